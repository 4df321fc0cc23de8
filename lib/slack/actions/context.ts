import type { Logger } from "pino";
import type { PrismaClient, SlackWorkspace } from "../../db/generated/client";
import { replyEphemeral, type EphemeralMessage } from "./reply";

/**
 * One Slack user's request, whatever carried it (a button, a modal submission, a slash command or
 * the resumption of an action after linking): who asked, where, and how to reply to them.
 */
export interface SlackUserContext {
  prisma: PrismaClient;
  workspace: SlackWorkspace;
  slackUserId: string;
  /** The channel where the user acted; a DM's id starts with D. */
  channelId?: string;
  responseUrl?: string;
  /** Good for one views.open within 3 seconds of the user's action. */
  triggerId?: string;
  /** Reply through the response_url first (slash commands). */
  preferResponseUrl?: boolean;
  log: Logger;
}

/** Sends an ephemeral message to the acting user. */
export async function replyToUser(context: SlackUserContext, message: EphemeralMessage | string): Promise<void> {
  const body = typeof message === "string" ? { text: message } : message;
  const reached = await replyEphemeral(
    {
      workspace: context.workspace,
      channelId: context.channelId,
      slackUserId: context.slackUserId,
      responseUrl: context.responseUrl,
      preferResponseUrl: context.preferResponseUrl,
    },
    body,
    context.log,
  );
  if (!reached) context.log.warn({ channel: context.channelId }, "Could not reach the user with an ephemeral reply");
}

/**
 * Runs what follows a PagerDuty write that succeeded (showing the change, confirming to the user).
 * A failure there is logged and not thrown: a retry of the job would repeat the write itself.
 */
export async function afterWrite(context: SlackUserContext, what: string, step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (error) {
    context.log.error({ err: error, slackUserId: context.slackUserId }, `Failed after a PagerDuty write succeeded: ${what}`);
  }
}
