import { validateBlocks, withGeneratedIds } from "../block-kit";
import { messageObject } from "../objects";
import type { JsonObject, StoredMessage } from "../state";
import { BOT, findMember } from "../workspace";
import { Args, SlackApiError, channelForBot, type MethodCall } from "./core";

/** Text Slack stores for a message sent with blocks and no `text`. */
export const NO_FALLBACK_TEXT = "This content can't be displayed.";

/** chat.update refuses text above this length with msg_too_long. */
export const UPDATE_TEXT_MAX = 4000;

/** chat.postMessage truncates text above this length (Slack's documented limit). */
export const POST_TEXT_MAX = 40_000;

export interface MessageContent {
  /** Absent when the call sent no `text`. */
  text?: string;
  /** Absent when the call sent no `blocks`; an empty array removes blocks on chat.update. */
  blocks?: JsonObject[];
}

/** Reads `text` and `blocks` with Slack's errors: invalid_blocks_format, invalid_blocks. */
export function readMessageContent(args: Args): MessageContent {
  const content: MessageContent = {};
  const blocksArg = args.json("blocks");
  if (blocksArg.present) {
    if (!blocksArg.ok) throw new SlackApiError("invalid_blocks_format");
    const problems = validateBlocks(blocksArg.value, "message");
    if (problems.length > 0) {
      throw new SlackApiError("invalid_blocks", {
        errors: problems,
        response_metadata: { messages: problems.map((problem) => `[ERROR] ${problem}`) },
      });
    }
    content.blocks = withGeneratedIds(blocksArg.value as JsonObject[]);
  }
  const text = args.string("text");
  if (text !== undefined && text !== "") content.text = text;
  return content;
}

function hasContent(content: MessageContent): boolean {
  return content.text !== undefined || (content.blocks !== undefined && content.blocks.length > 0);
}

function storedText(content: MessageContent): string {
  return (content.text ?? NO_FALLBACK_TEXT).slice(0, POST_TEXT_MAX);
}

/** Finds the parent for a thread_ts; Slack posts to the channel when the parent does not exist. */
function resolveThreadTs(call: MethodCall, channelId: string, threadTs: string | undefined): string | undefined {
  if (!threadTs) return undefined;
  const parent = call.server.state.findMessage(channelId, threadTs);
  if (!parent || parent.ephemeralFor) {
    // NOTE: assumed from observed Slack behaviour: an unknown thread_ts yields a top-level message.
    call.server.logger.warn({ channelId, threadTs }, "thread_ts names no message in the channel; posting to the channel");
    return undefined;
  }
  return parent.threadTs && parent.threadTs !== parent.ts ? parent.threadTs : parent.ts;
}

// POST /api/chat.postMessage: posts as the bot to a channel it is in.
export function chatPostMessage(call: MethodCall): JsonObject {
  const { state } = call.server;
  const channel = channelForBot(call, call.args.string("channel"), { allowNames: true });
  if (channel.isArchived) throw new SlackApiError("is_archived");
  if (!channel.memberIds.has(BOT.userId)) throw new SlackApiError("not_in_channel");

  const content = readMessageContent(call.args);
  if (!hasContent(content)) throw new SlackApiError("no_text");

  const threadTs = resolveThreadTs(call, channel.id, call.args.string("thread_ts"));
  const message = state.addMessage({
    channelId: channel.id,
    authorId: BOT.userId,
    text: storedText(content),
    ...(content.blocks && content.blocks.length > 0 ? { blocks: content.blocks } : {}),
    ...(threadTs ? { threadTs } : {}),
    replyBroadcast: threadTs !== undefined && call.args.bool("reply_broadcast"),
    unfurlLinks: call.args.bool("unfurl_links", true),
    unfurlMedia: call.args.bool("unfurl_media", true),
  });
  return { ok: true, channel: channel.id, ts: message.ts, message: messageObject(state, message, call.server.origin) };
}

// POST /api/chat.update: edits a message the bot posted.
export function chatUpdate(call: MethodCall): JsonObject {
  const { state } = call.server;
  const channel = channelForBot(call, call.args.string("channel"), { allowNames: false });
  const ts = call.args.string("ts");
  const message = ts ? state.findMessage(channel.id, ts) : undefined;
  if (!message || message.ephemeralFor) throw new SlackApiError("message_not_found");
  if (message.authorId !== BOT.userId) throw new SlackApiError("cant_update_message");

  const content = readMessageContent(call.args);
  if (!hasContent(content)) throw new SlackApiError("no_text");
  if (content.text !== undefined && content.text.length > UPDATE_TEXT_MAX) throw new SlackApiError("msg_too_long");

  // Slack keeps the previous blocks when `blocks` is absent and removes them for an empty array.
  // NOTE: without `text` the stored text becomes the no-fallback notice, as for chat.postMessage.
  if (content.blocks !== undefined) {
    if (content.blocks.length > 0) message.blocks = content.blocks;
    else delete message.blocks;
  }
  message.text = content.text ?? NO_FALLBACK_TEXT;
  message.edited = { user: BOT.userId, ts: state.clock.next() };
  state.touch();

  return {
    ok: true,
    channel: channel.id,
    ts: message.ts,
    text: message.text,
    message: messageObject(state, message, call.server.origin),
  };
}

// POST /api/chat.postEphemeral: shows a message to one member of a channel.
export function chatPostEphemeral(call: MethodCall): JsonObject {
  const { state } = call.server;
  const channel = channelForBot(call, call.args.string("channel"), { allowNames: true });
  if (channel.isArchived) throw new SlackApiError("is_archived");
  if (!channel.memberIds.has(BOT.userId)) throw new SlackApiError("not_in_channel");

  const userId = call.args.string("user") ?? "";
  if (!findMember(userId) || !channel.memberIds.has(userId)) throw new SlackApiError("user_not_in_channel");

  const content = readMessageContent(call.args);
  if (!hasContent(content)) throw new SlackApiError("no_text");

  const threadTs = resolveThreadTs(call, channel.id, call.args.string("thread_ts"));
  const message = postEphemeralMessage(call.server.state, {
    channelId: channel.id,
    userId,
    authorId: BOT.userId,
    text: storedText(content),
    blocks: content.blocks,
    threadTs,
  });
  return { ok: true, message_ts: message.ts };
}

export function postEphemeralMessage(
  state: MethodCall["server"]["state"],
  input: { channelId: string; userId: string; authorId: string; text: string; blocks?: JsonObject[]; threadTs?: string },
): StoredMessage {
  return state.addMessage({
    channelId: input.channelId,
    authorId: input.authorId,
    text: input.text,
    ...(input.blocks && input.blocks.length > 0 ? { blocks: input.blocks } : {}),
    ...(input.threadTs ? { threadTs: input.threadTs } : {}),
    replyBroadcast: false,
    ephemeralFor: input.userId,
  });
}
