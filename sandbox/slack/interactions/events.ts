import { sendToApp, type AppReply } from "../app-client";
import type { ServerContext } from "../context";
import { randomId, type JsonObject, type StoredChannel, type StoredMessage } from "../state";
import { BOT, TEAM } from "../workspace";
import { InteractionError } from "./common";

/** Slack retries a failed event delivery three times: at once, after a minute, after five minutes. */
export const SLACK_EVENT_RETRY_DELAYS_MS = [1000, 60_000, 300_000];

function retryReason(reply: AppReply): string {
  if (reply.timedOut) return "http_timeout";
  if (reply.status === null) return "connection_failed";
  return "http_error";
}

function failed(reply: AppReply): boolean {
  return reply.status === null || reply.status < 200 || reply.status > 299;
}

/**
 * Sends one event in an `event_callback` envelope to the app's events URL. A failed delivery is
 * retried with the same event_id unless the app responded with `X-Slack-No-Retry: 1`.
 */
export async function deliverEvent(server: ServerContext, event: JsonObject): Promise<AppReply> {
  const nowMs = server.nowMs();
  const eventTs = (nowMs / 1000).toFixed(6);
  const envelope: JsonObject = {
    token: server.verificationToken,
    team_id: TEAM.id,
    api_app_id: BOT.appId,
    event: { ...event, event_ts: eventTs },
    type: "event_callback",
    event_id: `Ev${randomId(10)}`,
    event_time: Math.floor(nowMs / 1000),
    authorizations: [{ enterprise_id: null, team_id: TEAM.id, user_id: BOT.userId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(JSON.stringify({ et: event.type, tid: TEAM.id, aid: BOT.appId })).toString("base64url")}`,
  };
  const body = JSON.stringify(envelope);
  const kind = `event_callback:${String(event.type)}`;
  const first = await sendToApp(server, { kind, url: server.endpoints.events, body, contentType: "application/json" });
  if (failed(first) && !first.noRetry) scheduleRetry(server, { kind, body, attempt: 1, reason: retryReason(first) });
  return first;
}

function scheduleRetry(server: ServerContext, input: { kind: string; body: string; attempt: number; reason: string }): void {
  const delay = server.eventRetryDelaysMs[input.attempt - 1];
  if (delay === undefined) return;
  const timer = setTimeout(() => {
    server.timers.delete(timer);
    void sendToApp(server, {
      kind: input.kind,
      url: server.endpoints.events,
      body: input.body,
      contentType: "application/json",
      retry: { num: input.attempt, reason: input.reason },
    }).then((reply) => {
      if (failed(reply) && !reply.noRetry) scheduleRetry(server, { ...input, attempt: input.attempt + 1, reason: retryReason(reply) });
    });
  }, delay);
  timer.unref();
  server.timers.add(timer);
}

export function cancelEventRetries(server: ServerContext): void {
  for (const timer of server.timers) clearTimeout(timer);
  server.timers.clear();
}

/** Sends a user's message in a channel the bot is in as the `message` event (message.channels, message.groups). */
export function sendMessageEvent(server: ServerContext, channel: StoredChannel, message: StoredMessage): Promise<AppReply> {
  const parent = message.threadTs ? server.state.findMessage(channel.id, message.threadTs) : undefined;
  return deliverEvent(server, {
    type: "message",
    channel: channel.id,
    user: message.authorId,
    text: message.text,
    ts: message.ts,
    team: TEAM.id,
    channel_type: channel.isPrivate ? "group" : "channel",
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    ...(parent ? { parent_user_id: parent.authorId } : {}),
  });
}

/** Adds the bot to a channel, as "Add apps to this channel" does, and sends member_joined_channel. */
export async function addBotToChannel(server: ServerContext, input: { channelId: string; inviterId: string }): Promise<AppReply> {
  const channel = server.state.channels.get(input.channelId);
  if (!channel) throw new InteractionError("channel_not_found", 404, `No channel has the id ${input.channelId}.`);
  if (channel.memberIds.has(BOT.userId)) throw new InteractionError("already_in_channel", 409, `The bot is already in ${channel.id}.`);
  if (channel.isPrivate && !channel.memberIds.has(input.inviterId)) {
    throw new InteractionError("not_in_channel", 403, `${input.inviterId} is not a member of the private channel ${channel.id}.`);
  }
  channel.memberIds.add(BOT.userId);
  server.state.touch();
  return deliverEvent(server, {
    type: "member_joined_channel",
    user: BOT.userId,
    channel: channel.id,
    channel_type: channel.isPrivate ? "G" : "C",
    team: TEAM.id,
    inviter: input.inviterId,
  });
}

/**
 * Uninstalls the app: revokes every token and sends `tokens_revoked` (user ids, not tokens) and then
 * `app_uninstalled`, as Slack does when a workspace removes an app.
 */
export async function uninstallApp(server: ServerContext): Promise<AppReply[]> {
  const { state } = server;
  if (!state.appInstalled) throw new InteractionError("not_installed", 409, "The app is not installed; install it again through OAuth first.");
  const oauthUsers = new Set<string>();
  const botUsers = new Set<string>();
  for (const info of state.tokens.values()) {
    if (info.revoked) continue;
    info.revoked = true;
    (info.kind === "bot" ? botUsers : oauthUsers).add(info.userId);
  }
  state.appInstalled = false;
  state.touch();
  const revoked = await deliverEvent(server, { type: "tokens_revoked", tokens: { oauth: [...oauthUsers], bot: [...botUsers] } });
  const uninstalled = await deliverEvent(server, { type: "app_uninstalled" });
  return [revoked, uninstalled];
}
