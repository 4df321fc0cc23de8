import type { Logger } from "pino";
import { getEnv } from "../config/env";
import { slackClientFor, slackErrorName, type WorkspaceCredentials } from "./client";

/**
 * True when a response_url may be called: Slack's own hooks host, or the origin of the configured
 * SLACK_API_URL when that points at a local fake. Any other URL from a payload is never requested.
 */
export function isAllowedResponseUrl(url: string, slackApiUrl = getEnv().slackApiUrl): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === "https:" && parsed.hostname === "hooks.slack.com" && parsed.port === "") return true;
  const api = new URL(slackApiUrl);
  const apiIsSlack = api.hostname === "slack.com" || api.hostname.endsWith(".slack.com");
  return !apiIsSlack && parsed.origin === api.origin;
}

/**
 * Shows a message to one user only. chat.postEphemeral is tried first; where the bot cannot post
 * in the channel (a DM, a private channel without the bot), the interaction's response_url is used
 * with replace_original false, so the shared message is never replaced.
 */
export async function sendEphemeral(input: {
  workspace: WorkspaceCredentials;
  channelId: string | undefined;
  slackUserId: string;
  text: string;
  responseUrl?: string;
  log: Logger;
}): Promise<void> {
  const { log } = input;
  if (input.channelId) {
    try {
      await slackClientFor(input.workspace).chat.postEphemeral({ channel: input.channelId, user: input.slackUserId, text: input.text });
      return;
    } catch (error) {
      const name = slackErrorName(error);
      if (!name) throw error;
      log.info({ channel: input.channelId, error: name }, "chat.postEphemeral failed; trying the response_url");
    }
  }
  if (!input.responseUrl) {
    log.warn({ channel: input.channelId, slackUserId: input.slackUserId }, "No way to reach the user with an ephemeral message");
    return;
  }
  if (!isAllowedResponseUrl(input.responseUrl)) {
    log.warn({ host: safeHost(input.responseUrl) }, "response_url is not a Slack URL; not requested");
    return;
  }
  const response = await fetch(input.responseUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ response_type: "ephemeral", replace_original: false, text: input.text }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`response_url answered ${response.status}`);
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "invalid URL";
  }
}
