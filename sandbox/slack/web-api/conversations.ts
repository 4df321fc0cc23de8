import { conversationObject } from "../objects";
import { randomId, type JsonObject, type StoredChannel } from "../state";
import { BOT, GENERAL_CHANNEL_ID, findMember } from "../workspace";
import { SlackApiError, type MethodCall } from "./core";

const CHANNEL_TYPES = new Set(["public_channel", "private_channel", "mpim", "im"]);
const NAME_MAX = 80;
const INVITE_MAX_USERS = 100;
const DEFAULT_LIMIT = 100;
/** conversations.list and conversations.members take a `limit` under 1000. */
const MAX_LIMIT = 999;

function callerId(call: MethodCall): string {
  return call.token?.userId ?? BOT.userId;
}

/** Finds a channel the caller can see: any public one, or a private one the caller is in. */
function visibleChannel(call: MethodCall, channelId: string | undefined): StoredChannel {
  const channel = channelId ? call.server.state.channels.get(channelId) : undefined;
  if (!channel) throw new SlackApiError("channel_not_found");
  if (channel.isPrivate && !channel.memberIds.has(callerId(call))) throw new SlackApiError("channel_not_found");
  return channel;
}

interface Cursor {
  offset: number;
  emptyPagesLeft: number;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`offset:${cursor.offset}:empty:${cursor.emptyPagesLeft}`, "utf8").toString("base64");
}

function decodeCursor(value: string | undefined, emptyPages: number): Cursor {
  if (!value) return { offset: 0, emptyPagesLeft: emptyPages };
  const match = /^offset:(\d+):empty:(\d+)$/.exec(Buffer.from(value, "base64").toString("utf8"));
  if (!match) throw new SlackApiError("invalid_cursor");
  return { offset: Number(match[1]), emptyPagesLeft: Number(match[2]) };
}

function readLimit(call: MethodCall): number {
  const limit = call.args.int("limit");
  if (limit === undefined || limit === 0) return DEFAULT_LIMIT;
  if (limit === "invalid" || limit < 0 || limit > MAX_LIMIT) throw new SlackApiError("invalid_limit");
  return limit;
}

/**
 * Cuts one page out of `items`. With the pagination quirks switched on, pages may be empty or
 * shorter than `limit` while a next_cursor still points at the rest, as Slack's own pages can be.
 */
function paginate<T>(call: MethodCall, items: T[], options: { allowEmptyPages: boolean }): { page: T[]; nextCursor: string } {
  const quirks = call.server.pagination;
  const cursor = decodeCursor(call.args.string("cursor"), options.allowEmptyPages ? quirks.emptyPages : 0);
  if (cursor.offset > items.length) throw new SlackApiError("invalid_cursor");
  if (cursor.emptyPagesLeft > 0 && cursor.offset < items.length) {
    return { page: [], nextCursor: encodeCursor({ offset: cursor.offset, emptyPagesLeft: cursor.emptyPagesLeft - 1 }) };
  }
  const size = Math.min(readLimit(call), quirks.maxPageSize ?? Number.POSITIVE_INFINITY);
  const page = items.slice(cursor.offset, cursor.offset + size);
  const nextOffset = cursor.offset + page.length;
  const nextCursor = nextOffset < items.length ? encodeCursor({ offset: nextOffset, emptyPagesLeft: 0 }) : "";
  return { page, nextCursor };
}

// POST /api/conversations.info: one channel the caller can see.
export function conversationsInfo(call: MethodCall): JsonObject {
  const channel = visibleChannel(call, call.args.string("channel"));
  return {
    ok: true,
    channel: conversationObject(channel, callerId(call), { includeNumMembers: call.args.bool("include_num_members") }),
  };
}

// POST /api/conversations.list: channels of the requested types, paginated with cursors.
export function conversationsList(call: MethodCall): JsonObject {
  const types = (call.args.string("types") || "public_channel").split(",").map((type) => type.trim()).filter(Boolean);
  if (types.length === 0 || types.some((type) => !CHANNEL_TYPES.has(type))) throw new SlackApiError("invalid_types");
  readLimit(call);

  const viewer = callerId(call);
  const excludeArchived = call.args.bool("exclude_archived");
  const channels = [...call.server.state.channels.values()].filter((channel) => {
    if (excludeArchived && channel.isArchived) return false;
    if (channel.isPrivate) return types.includes("private_channel") && channel.memberIds.has(viewer);
    return types.includes("public_channel");
  });
  const { page, nextCursor } = paginate(call, channels, { allowEmptyPages: true });
  return {
    ok: true,
    channels: page.map((channel) => conversationObject(channel, viewer)),
    response_metadata: { next_cursor: nextCursor },
  };
}

// POST /api/conversations.members: user ids of a channel's members, paginated with cursors.
export function conversationsMembers(call: MethodCall): JsonObject {
  const channel = visibleChannel(call, call.args.string("channel"));
  const { page, nextCursor } = paginate(call, [...channel.memberIds].sort(), { allowEmptyPages: false });
  return { ok: true, members: page, response_metadata: { next_cursor: nextCursor } };
}

/** Slack's channel name rules: lowercase letters, digits, hyphens and underscores, at most 80. */
export function channelNameError(name: string): string | null {
  if (name.length === 0) return "invalid_name_required";
  if (name.length > NAME_MAX) return "invalid_name_maxlength";
  if (!/^[a-z0-9_-]+$/.test(name)) return "invalid_name_specials";
  if (/^[-_]+$/.test(name)) return "invalid_name_punctuation";
  return null;
}

// POST /api/conversations.create: a new channel with the caller as creator and only member.
export function conversationsCreate(call: MethodCall): JsonObject {
  const { state } = call.server;
  const name = call.args.string("name") ?? "";
  const nameError = channelNameError(name);
  if (nameError) throw new SlackApiError(nameError);
  // Archived channels keep their names, so their names are taken too.
  for (const existing of state.channels.values()) if (existing.name === name) throw new SlackApiError("name_taken");

  const creator = callerId(call);
  const channel: StoredChannel = {
    id: `C${randomId(10)}`,
    name,
    isPrivate: call.args.bool("is_private"),
    isArchived: false,
    created: Math.floor(call.server.nowMs() / 1000),
    creator,
    memberIds: new Set([creator]),
    topic: "",
    purpose: "",
  };
  state.channels.set(channel.id, channel);
  state.touch();
  return { ok: true, channel: conversationObject(channel, creator) };
}

// POST /api/conversations.invite: adds up to 100 users to a channel the caller is in.
export function conversationsInvite(call: MethodCall): JsonObject {
  const channel = visibleChannel(call, call.args.string("channel"));
  if (channel.isArchived) throw new SlackApiError("is_archived");
  const inviter = callerId(call);
  if (!channel.memberIds.has(inviter)) throw new SlackApiError("not_in_channel");

  const userIds = (call.args.string("users") ?? "").split(",").map((id) => id.trim()).filter(Boolean);
  if (userIds.length === 0) throw new SlackApiError("no_user");
  if (userIds.length > INVITE_MAX_USERS) throw new SlackApiError("too_many_users");

  const errors: JsonObject[] = [];
  const toAdd: string[] = [];
  for (const userId of userIds) {
    let error: string | null = null;
    if (userId === inviter) error = "cant_invite_self";
    else if (!findMember(userId) && userId !== BOT.userId) error = "user_not_found";
    else if (channel.memberIds.has(userId)) error = "already_in_channel";
    if (error) errors.push({ user: userId, ok: false, error });
    else toAdd.push(userId);
  }
  const force = call.args.bool("force");
  const firstError = errors[0];
  if (firstError && !force) throw new SlackApiError(String(firstError.error), { errors });

  for (const userId of toAdd) channel.memberIds.add(userId);
  call.server.state.touch();
  return { ok: true, channel: conversationObject(channel, inviter) };
}

// POST /api/conversations.join: the caller joins a public channel.
export function conversationsJoin(call: MethodCall): JsonObject {
  const channel = visibleChannel(call, call.args.string("channel"));
  if (channel.isPrivate) throw new SlackApiError("method_not_supported_for_channel_type");
  if (channel.isArchived) throw new SlackApiError("is_archived");
  const joiner = callerId(call);
  if (channel.memberIds.has(joiner)) {
    return {
      ok: true,
      channel: conversationObject(channel, joiner),
      warning: "already_in_channel",
      response_metadata: { warnings: ["already_in_channel"] },
    };
  }
  channel.memberIds.add(joiner);
  call.server.state.touch();
  return { ok: true, channel: conversationObject(channel, joiner) };
}

// POST /api/conversations.archive: archives a channel the caller is in.
export function conversationsArchive(call: MethodCall): JsonObject {
  const channel = visibleChannel(call, call.args.string("channel"));
  if (channel.id === GENERAL_CHANNEL_ID) throw new SlackApiError("cant_archive_general");
  if (channel.isArchived) throw new SlackApiError("already_archived");
  if (!channel.memberIds.has(callerId(call))) throw new SlackApiError("not_in_channel");
  channel.isArchived = true;
  call.server.state.touch();
  return { ok: true };
}
