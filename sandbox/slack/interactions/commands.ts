import { sendToApp } from "../app-client";
import type { ServerContext } from "../context";
import type { StoredChannel } from "../state";
import { postEphemeralMessage } from "../web-api/chat";
import { BOT, TEAM, findMember } from "../workspace";
import { InteractionError, issueResponseUrl, replyJson } from "./common";
import { sendMessageEvent } from "./events";
import { applyResponse, parseResponseBody } from "./response-url";

/** Slack's own user, the author of its notices ("Only visible to you"). */
export const SLACKBOT_USER_ID = "USLACKBOT";

export interface ComposerInput {
  userId: string;
  channelId: string;
  text: string;
  /** Posts the message as a reply in this thread. */
  threadTs?: string;
}

export interface ComposerResult {
  kind: "message" | "slash_command" | "unknown_command";
  /** For slash commands: the app's HTTP status, or null when it timed out or could not be reached. */
  status?: number | null;
  body?: string;
  /** The request body sent to the app, for slash commands. */
  sent?: string;
  messageTs?: string;
}

function channelForUser(server: ServerContext, userId: string, channelId: string): StoredChannel {
  if (!findMember(userId)) throw new InteractionError("user_not_found", 404, `No workspace member has the Slack user id ${userId}.`);
  const channel = server.state.channels.get(channelId);
  if (!channel) throw new InteractionError("channel_not_found", 404, `No channel has the id ${channelId}.`);
  if (!channel.memberIds.has(userId)) {
    throw new InteractionError("not_in_channel", 403, `${userId} is not a member of ${channel.id}; join the channel first.`);
  }
  if (channel.isArchived) throw new InteractionError("is_archived", 409, `The channel ${channel.id} is archived.`);
  return channel;
}

/**
 * Handles what a user types in the message box: a slash command when the text starts with "/",
 * otherwise a message in the channel (sent to the app as a `message` event when the bot is in it).
 */
export async function sendComposerText(server: ServerContext, input: ComposerInput): Promise<ComposerResult> {
  const channel = channelForUser(server, input.userId, input.channelId);
  const text = input.text.trim();
  if (!text) throw new InteractionError("no_text", 400, "The message is empty.");

  if (text.startsWith("/")) {
    const command = text.split(/\s+/)[0] ?? text;
    if (!server.slashCommands.includes(command)) {
      postEphemeralMessage(server.state, {
        channelId: channel.id,
        userId: input.userId,
        authorId: SLACKBOT_USER_ID,
        text: `${command} is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands.`,
      });
      return { kind: "unknown_command" };
    }
    return runSlashCommand(server, { userId: input.userId, channel, command, text: text.slice(command.length).trim() });
  }

  // Slack's client escapes &, < and > in what people type, so typed text is never control syntax.
  const message = server.state.addMessage({
    channelId: channel.id,
    authorId: input.userId,
    text: escapeTyped(input.text),
    ...(input.threadTs ? { threadTs: input.threadTs } : {}),
    replyBroadcast: false,
  });
  if (channel.memberIds.has(BOT.userId) && server.state.appInstalled) void sendMessageEvent(server, channel, message);
  return { kind: "message", messageTs: message.ts };
}

function escapeTyped(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Returns the error name Slack shows for a failed slash command (`/pd failed with the error "…"`), or null. */
function commandFailure(status: number | null, timedOut: boolean): string | null {
  // NOTE: "operation_timeout" is Slack's word for a timeout; the other two names are best guesses.
  if (timedOut) return "operation_timeout";
  if (status === null) return "dispatch_failed";
  if (status < 200 || status > 299) return "http_service_error";
  return null;
}

async function runSlashCommand(
  server: ServerContext,
  input: { userId: string; channel: StoredChannel; command: string; text: string },
): Promise<ComposerResult> {
  const { state } = server;
  const member = findMember(input.userId);
  const responseUrl = issueResponseUrl(server, input.userId, { kind: "command", channelId: input.channel.id });
  const form = new URLSearchParams({
    token: server.verificationToken,
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: input.channel.id,
    channel_name: input.channel.isPrivate ? "privategroup" : input.channel.name,
    user_id: input.userId,
    user_name: member?.handle ?? input.userId,
    command: input.command,
    text: input.text,
    api_app_id: BOT.appId,
    is_enterprise_install: "false",
    response_url: responseUrl,
    trigger_id: state.issueTrigger(input.userId, input.channel.id),
  }).toString();

  const reply = await sendToApp(server, {
    kind: "slash_command",
    url: server.endpoints.commands,
    body: form,
    contentType: "application/x-www-form-urlencoded",
  });
  const result: ComposerResult = { kind: "slash_command", status: reply.status, body: reply.body, sent: form };

  const failure = commandFailure(reply.status, reply.timedOut);
  if (failure) {
    postEphemeralMessage(state, {
      channelId: input.channel.id,
      userId: input.userId,
      authorId: SLACKBOT_USER_ID,
      text: `${input.command} failed with the error "${failure}"`,
    });
    return result;
  }

  const record = state.responseUrls.get(new URL(responseUrl).pathname);
  const json = replyJson(reply);
  const isJson = reply.contentType.includes("application/json") || json !== null;
  if (isJson && json) {
    const body = parseResponseBody(json);
    if (!body || !record) return result;
    // An in_channel reply also shows the user's command in the channel, before the reply.
    if (body.response_type === "in_channel") {
      state.addMessage({ channelId: input.channel.id, authorId: input.userId, text: `${input.command} ${input.text}`.trim(), replyBroadcast: false });
    }
    if (body.text !== undefined || (body.blocks && body.blocks.length > 0)) applyResponse(server, record, body);
    return result;
  }
  if (reply.body.trim()) {
    const posted = postEphemeralMessage(state, { channelId: input.channel.id, userId: input.userId, authorId: BOT.userId, text: reply.body.trim() });
    if (record) record.lastMessageTs = posted.ts;
  }
  return result;
}
