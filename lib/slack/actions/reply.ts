import type { Logger } from "pino";
import { slackClientFor, slackErrorName, type WorkspaceCredentials } from "../client";
import { isAllowedResponseUrl } from "../ephemeral";
import type { Block } from "../views/block-kit";

export interface EphemeralMessage {
  /** mrkdwn text; also the notification fallback when blocks are sent. */
  text: string;
  blocks?: Block[];
}

export interface ReplyTarget {
  /** The workspace's bot, for chat.postEphemeral; null when the workspace is not mapped. */
  workspace: WorkspaceCredentials | null;
  channelId?: string;
  slackUserId: string;
  responseUrl?: string;
  /**
   * Try the response_url before chat.postEphemeral. Slash commands do: their response_url works in
   * DMs and in private channels the bot is not in, where chat.postEphemeral fails.
   */
  preferResponseUrl?: boolean;
}

/**
 * Shows a message to one user only, through chat.postEphemeral or the response_url (always with
 * replace_original false, so the shared incident message is never replaced). Returns false when
 * neither way reached the user.
 */
export async function replyEphemeral(target: ReplyTarget, message: EphemeralMessage, log: Logger): Promise<boolean> {
  const viaResponseUrl = () => postToResponseUrl(target.responseUrl, message, log);
  const viaApi = () => postEphemeralMessage(target, message, log);
  if (target.preferResponseUrl) return (await viaResponseUrl()) || (await viaApi());
  return (await viaApi()) || (await viaResponseUrl());
}

async function postEphemeralMessage(target: ReplyTarget, message: EphemeralMessage, log: Logger): Promise<boolean> {
  if (!target.workspace || !target.channelId) return false;
  try {
    await slackClientFor(target.workspace).chat.postEphemeral({
      channel: target.channelId,
      user: target.slackUserId,
      text: message.text,
      ...(message.blocks ? { blocks: message.blocks as never } : {}),
    });
    return true;
  } catch (error) {
    const name = slackErrorName(error);
    if (!name) throw error;
    log.info({ channel: target.channelId, error: name }, "chat.postEphemeral failed");
    return false;
  }
}

async function postToResponseUrl(responseUrl: string | undefined, message: EphemeralMessage, log: Logger): Promise<boolean> {
  if (!responseUrl) return false;
  if (!isAllowedResponseUrl(responseUrl)) {
    log.warn("response_url is not a Slack URL; not requested");
    return false;
  }
  const response = await fetch(responseUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ response_type: "ephemeral", replace_original: false, text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) }),
    signal: AbortSignal.timeout(10_000),
  });
  if (response.ok) return true;
  log.info({ status: response.status }, "response_url rejected the reply");
  return false;
}
