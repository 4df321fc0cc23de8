import type { JsonObject, SlackState, StoredChannel, StoredMessage } from "./state";
import { BOT, GENERAL_CHANNEL_ID, TEAM, WORKSPACE_CREATED, findMember, timeZoneDetails, type SlackMember } from "./workspace";

/**
 * Builders of the objects the Web API returns (user, conversation, message, team), with the fields
 * and formats of Slack's OpenAPI definitions (objs_user, objs_conversation, objs_message, objs_team).
 */

const BOT_UPDATED = WORKSPACE_CREATED + 60;

export function avatarUrl(origin: string, userId: string, size: number): string {
  return `${origin}/avatars/${userId}.svg?s=${size}`;
}

function hashOf(text: string): string {
  let hash = 0;
  for (const character of text) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  return hash.toString(16).padStart(8, "0").slice(0, 12);
}

function profileImages(origin: string, userId: string): JsonObject {
  return {
    image_24: avatarUrl(origin, userId, 24),
    image_32: avatarUrl(origin, userId, 32),
    image_48: avatarUrl(origin, userId, 48),
    image_72: avatarUrl(origin, userId, 72),
    image_192: avatarUrl(origin, userId, 192),
    image_512: avatarUrl(origin, userId, 512),
  };
}

export function memberObject(member: SlackMember, origin: string, now: Date): JsonObject {
  const zone = timeZoneDetails(member.timeZone, now);
  const [firstName = member.realName, ...rest] = member.realName.split(" ");
  return {
    id: member.id,
    team_id: TEAM.id,
    name: member.handle,
    deleted: false,
    color: hashOf(member.id).slice(0, 6).replace(/[^a-f0-9]/g, "a").padEnd(6, "a"),
    real_name: member.realName,
    tz: member.timeZone,
    tz_label: zone.label,
    tz_offset: zone.offsetSeconds,
    profile: {
      title: "",
      phone: "",
      skype: "",
      real_name: member.realName,
      real_name_normalized: member.realName,
      display_name: member.handle,
      display_name_normalized: member.handle,
      fields: {},
      status_text: "",
      status_emoji: "",
      status_expiration: 0,
      avatar_hash: hashOf(member.email),
      email: member.email,
      first_name: firstName,
      last_name: rest.join(" "),
      ...profileImages(origin, member.id),
      team: TEAM.id,
    },
    is_admin: member.isAdmin,
    is_owner: member.isOwner,
    is_primary_owner: member.isOwner,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: false,
    is_app_user: false,
    updated: WORKSPACE_CREATED,
    has_2fa: false,
  };
}

export function botUserObject(origin: string): JsonObject {
  return {
    id: BOT.userId,
    team_id: TEAM.id,
    name: BOT.name,
    deleted: false,
    color: "4bbe2e",
    real_name: BOT.name,
    tz: "America/Los_Angeles",
    tz_label: "Pacific Standard Time",
    tz_offset: -28800,
    profile: {
      title: "",
      phone: "",
      skype: "",
      real_name: BOT.name,
      real_name_normalized: BOT.name,
      display_name: "",
      display_name_normalized: "",
      fields: null,
      status_text: "",
      status_emoji: "",
      status_expiration: 0,
      avatar_hash: hashOf(BOT.botId),
      api_app_id: BOT.appId,
      always_active: true,
      bot_id: BOT.botId,
      first_name: BOT.name,
      last_name: "",
      ...profileImages(origin, BOT.userId),
      team: TEAM.id,
    },
    is_admin: false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: true,
    is_app_user: false,
    updated: BOT_UPDATED,
  };
}

/** users.info's `user`: a member, the bot, or undefined for unknown ids. */
export function userObject(userId: string, origin: string, now: Date): JsonObject | undefined {
  if (userId === BOT.userId) return botUserObject(origin);
  const member = findMember(userId);
  return member ? memberObject(member, origin, now) : undefined;
}

export function conversationObject(
  channel: StoredChannel,
  viewerId: string,
  options: { includeNumMembers?: boolean } = {},
): JsonObject {
  const object: JsonObject = {
    id: channel.id,
    name: channel.name,
    is_channel: true,
    is_group: false,
    is_im: false,
    is_mpim: false,
    is_private: channel.isPrivate,
    created: channel.created,
    is_archived: channel.isArchived,
    is_general: channel.id === GENERAL_CHANNEL_ID,
    unlinked: 0,
    name_normalized: channel.name,
    is_shared: false,
    is_org_shared: false,
    is_pending_ext_shared: false,
    pending_shared: [],
    parent_conversation: null,
    creator: channel.creator,
    is_ext_shared: false,
    shared_team_ids: [TEAM.id],
    pending_connected_team_ids: [],
    is_member: channel.memberIds.has(viewerId),
    topic: { value: channel.topic, creator: channel.topic ? channel.creator : "", last_set: channel.topic ? channel.created : 0 },
    purpose: { value: channel.purpose, creator: channel.purpose ? channel.creator : "", last_set: channel.purpose ? channel.created : 0 },
    previous_names: [],
  };
  if (options.includeNumMembers) object.num_members = channel.memberIds.size;
  return object;
}

export function botProfile(origin: string): JsonObject {
  return {
    id: BOT.botId,
    deleted: false,
    name: BOT.name,
    updated: BOT_UPDATED,
    app_id: BOT.appId,
    icons: {
      image_36: avatarUrl(origin, BOT.userId, 36),
      image_48: avatarUrl(origin, BOT.userId, 48),
      image_72: avatarUrl(origin, BOT.userId, 72),
    },
    team_id: TEAM.id,
  };
}

/**
 * The message object as the Web API returns it (chat.postMessage's `message`). With `forPayload`,
 * the fields Slack adds in interaction payloads (edited) are included too.
 */
export function messageObject(state: SlackState, message: StoredMessage, origin: string, forPayload = false): JsonObject {
  const object: JsonObject = {
    user: message.authorId,
    type: "message",
    ts: message.ts,
    text: message.text,
    team: TEAM.id,
  };
  if (message.authorId === BOT.userId) {
    object.bot_id = BOT.botId;
    object.app_id = BOT.appId;
    object.bot_profile = botProfile(origin);
  }
  if (message.blocks) object.blocks = message.blocks;
  if (message.threadTs && message.threadTs !== message.ts) {
    object.thread_ts = message.threadTs;
    const parent = state.findMessage(message.channelId, message.threadTs);
    if (parent) object.parent_user_id = parent.authorId;
    if (message.replyBroadcast) object.subtype = "thread_broadcast";
  } else {
    const replies = state.threadReplies(message.channelId, message.ts);
    if (replies.length > 0) {
      object.thread_ts = message.ts;
      object.reply_count = replies.length;
      object.reply_users = [...new Set(replies.map((reply) => reply.authorId))];
      object.reply_users_count = (object.reply_users as string[]).length;
      object.latest_reply = replies[replies.length - 1]?.ts;
    }
  }
  if (forPayload && message.edited) object.edited = message.edited;
  return object;
}

export function teamObject(origin: string): JsonObject {
  return {
    id: TEAM.id,
    name: TEAM.name,
    domain: TEAM.domain,
    email_domain: "example.com",
    icon: {
      image_default: true,
      image_34: `${origin}/avatars/${TEAM.id}.svg?s=34`,
      image_44: `${origin}/avatars/${TEAM.id}.svg?s=44`,
      image_68: `${origin}/avatars/${TEAM.id}.svg?s=68`,
      image_88: `${origin}/avatars/${TEAM.id}.svg?s=88`,
      image_102: `${origin}/avatars/${TEAM.id}.svg?s=102`,
      image_132: `${origin}/avatars/${TEAM.id}.svg?s=132`,
      image_230: `${origin}/avatars/${TEAM.id}.svg?s=230`,
    },
    avatar_base_url: `${origin}/avatars/`,
  };
}
