import { z } from "zod";
import { AppError } from "../errors";
import { passwordProblem } from "../auth/password";

/** An email address as stored on users and invitations: trimmed and lowercased. */
export const emailSchema = z.string().trim().toLowerCase().max(254, "Use an email address of at most 254 characters.").email("Enter a valid email address, such as jane@example.com.");

const nameSchema = z.string().trim().min(1, "Enter a name.").max(200, "Use a name of at most 200 characters.");

const newPasswordSchema = z.string().superRefine((password, context) => {
  const problem = passwordProblem(password);
  if (problem) context.addIssue({ code: "custom", message: problem });
});

const passwordsMatch = {
  check: (input: { password: string; confirmPassword: string }) => input.password === input.confirmPassword,
  issue: { path: ["confirmPassword"], message: "The two passwords are not the same." },
};

/** The setup form: the owner's name, email, password and its confirmation. */
export const ownerAccountSchema = z
  .object({ name: nameSchema, email: emailSchema, password: newPasswordSchema, confirmPassword: z.string() })
  .refine(passwordsMatch.check, passwordsMatch.issue);

/** The invitation form: the invitee's name, password and its confirmation (the email is the invited one). */
export const invitedAccountSchema = z
  .object({ name: nameSchema, password: newPasswordSchema, confirmPassword: z.string() })
  .refine(passwordsMatch.check, passwordsMatch.issue);

/**
 * Parses input with a zod schema, or throws AppError("invalid_input") whose `fields` map each
 * invalid field to its problem, written as a sentence to show beside the input.
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema, value: unknown): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join(".") : "body";
    fields[field] ??= issue.message;
  }
  const summary = Object.entries(fields)
    .map(([field, problem]) => `${field}: ${problem}`)
    .join(" ");
  throw new AppError("invalid_input", `Invalid input. ${summary}`, fields);
}
