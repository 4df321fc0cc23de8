import type { z } from "zod";
import { AppError } from "../errors";

/**
 * Parses input with a zod schema, or throws AppError("invalid_input") whose `fields` map each
 * invalid field to its problem and whose message lists them all.
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema, value: unknown): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join(".") : "body";
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) fields[key] ??= "is not a known field";
      continue;
    }
    fields[field] ??= issue.message;
  }
  const summary = Object.entries(fields).map(([field, problem]) => `${field} ${problem}`).join("; ");
  throw new AppError("invalid_input", `Invalid input: ${summary}.`, fields);
}
