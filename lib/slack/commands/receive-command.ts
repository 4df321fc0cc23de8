import { createHash } from "node:crypto";
import type { Pool } from "pg";
import type { Logger } from "pino";
import { storeInboundEvent } from "../../inbox/store";
import { TASKS } from "../../queue/jobs";
import { rejectUnverifiedSlackRequest } from "../verify-request";
import { helpReply, type CommandReply } from "./help";
import { isSubcommand, parseSlashCommand, splitSubcommand } from "./payload";

export type CommandResult =
  | { status: 200; outcome: "ssl_check" | "queued" | "duplicate"; body: null }
  /** Help, and the help shown for an unknown subcommand: returned in the response, nothing stored. */
  | { status: 200; outcome: "answered"; body: CommandReply }
  | { status: 400 | 401; code: string; message: string };

/**
 * Verifies a slash command over its exact form body and replies within Slack's 3 seconds. Help is
 * returned at once. The other subcommands are stored and queued, and reply through the
 * response_url or a modal when their job runs.
 */
export async function receiveSlackCommand(input: {
  rawBody: Buffer;
  timestampHeader: string | null;
  signatureHeader: string | null;
  signingSecret: string | undefined;
  pool: Pool;
  log: Logger;
  nowSeconds?: number;
}): Promise<CommandResult> {
  const { log } = input;
  const text = input.rawBody.toString("utf8");
  const form = new URLSearchParams(text);
  // Slack checks the certificate of a command URL with ssl_check=1 and no command; nothing is done for it.
  if (form.get("ssl_check") === "1" && !form.has("command")) return { status: 200, outcome: "ssl_check", body: null };

  const rejection = rejectUnverifiedSlackRequest(
    {
      signingSecret: input.signingSecret,
      rawBody: input.rawBody,
      timestampHeader: input.timestampHeader,
      signatureHeader: input.signatureHeader,
      nowSeconds: input.nowSeconds,
    },
    log,
    "command",
  );
  if (rejection) return rejection;

  const command = parseSlashCommand(form);
  if (!command) return { status: 400, code: "invalid_command", message: "The form body lacks team_id, channel_id, user_id or command." };
  const { name } = splitSubcommand(command.text);
  if (name === "" || name === "help") return { status: 200, outcome: "answered", body: helpReply(command.command) };
  if (!isSubcommand(name)) return { status: 200, outcome: "answered", body: helpReply(command.command, name) };

  // Slack does not retry commands, and each carries its own trigger_id, which keys the inbox.
  const externalId = command.trigger_id ?? createHash("sha256").update(text).digest("hex");
  const { stored } = await storeInboundEvent(input.pool, {
    source: "slack_command",
    externalId,
    eventType: `command.${name}`,
    rawBody: text,
    job: { task: TASKS.processSlackCommand, maxAttempts: 3 },
  });
  return { status: 200, outcome: stored ? "queued" : "duplicate", body: null };
}
