import { z } from "zod";

/** The form fields of a slash command request that Switchboard reads. */
export const slashCommandSchema = z.object({
  team_id: z.string().min(1),
  channel_id: z.string().min(1),
  channel_name: z.string().optional(),
  user_id: z.string().min(1),
  command: z.string().min(1),
  text: z.string().default(""),
  response_url: z.string().optional(),
  trigger_id: z.string().optional(),
});

export type SlashCommand = z.infer<typeof slashCommandSchema>;

/** Reads a slash command from its form body; null when a required field is missing. */
export function parseSlashCommand(form: URLSearchParams): SlashCommand | null {
  const parsed = slashCommandSchema.safeParse(Object.fromEntries(form.entries()));
  return parsed.success ? parsed.data : null;
}

export const SUBCOMMANDS = ["help", "trigger", "oncall", "unlink"] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

/** Splits "/pd oncall Checkout On-Call" text into the subcommand ("oncall") and the rest. */
export function splitSubcommand(text: string): { name: string; argument: string } {
  const trimmed = text.trim();
  const match = /^(\S+)\s*([\s\S]*)$/.exec(trimmed);
  if (!match) return { name: "", argument: "" };
  return { name: match[1]!.toLowerCase(), argument: match[2]!.trim() };
}

export function isSubcommand(name: string): name is Subcommand {
  return (SUBCOMMANDS as readonly string[]).includes(name);
}
