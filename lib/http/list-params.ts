import type { z } from "zod";

/** The search parameters Next.js passes to a page: each name maps to a string, repeated names to an array. */
export type PageSearchParams = Record<string, string | string[] | undefined>;

/** Returns the parameter's value, or the first one when the address repeats it. */
export function singleParam(params: PageSearchParams, name: string): string | undefined {
  const value = params[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Parses a list page's address parameters with the schema of its JSON route. A parameter that the
 * schema rejects is dropped, so a hand-edited address shows the list with that parameter's default
 * instead of an error. Every field of the schema must be optional or have a default.
 */
export function parseListParams<Schema extends z.ZodObject>(schema: Schema, raw: Record<string, string | undefined>): z.output<Schema> {
  const first = schema.safeParse(raw);
  if (first.success) return first.data;
  const invalid = new Set(first.error.issues.map((issue) => String(issue.path[0])));
  return schema.parse(Object.fromEntries(Object.entries(raw).filter(([name]) => !invalid.has(name))));
}
