import { createHash } from "node:crypto";
import type pg from "pg";

const names = new Map<string, string>();

/**
 * Builds a query config whose statement is prepared once per connection, so PostgreSQL parses and
 * plans it once instead of on every call. The name comes from the SQL text, so only code with fixed SQL
 * texts may use it (values go in `values`, never into the text), and the number of statements
 * stays that of the call sites.
 */
export function prepared(text: string, values: unknown[] = []): pg.QueryConfig {
  let name = names.get(text);
  if (!name) {
    name = `sb_${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
    names.set(text, name);
  }
  return { name, text, values };
}
