import { randomBytes } from "node:crypto";
import { BOT, SEED_CHANNELS, WORKSPACE_CREATED } from "./workspace";

export type JsonObject = Record<string, unknown>;

export interface StoredChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  created: number;
  creator: string;
  /** Slack user ids of the members; the bot's user id is in here when the bot is a member. */
  memberIds: Set<string>;
  topic: string;
  purpose: string;
}

export interface StoredMessage {
  channelId: string;
  ts: string;
  /** The parent's ts on a thread reply; absent on top-level messages. */
  threadTs?: string;
  /** Slack user id of the author: the bot, a member, or USLACKBOT for Slack's own notices. */
  authorId: string;
  text: string;
  blocks?: JsonObject[];
  /** A thread reply that is also shown in the channel. */
  replyBroadcast: boolean;
  /** The only user who sees this message, for ephemeral messages. */
  ephemeralFor?: string;
  edited?: { user: string; ts: string };
  unfurlLinks?: boolean;
  unfurlMedia?: boolean;
}

export interface RecordedCall {
  method: string;
  /** Arguments as received, with the token removed. */
  args: JsonObject;
  time: string;
  status: number;
  response: JsonObject;
}

export interface Delivery {
  kind: string;
  url: string;
  /** The exact body sent to the app. */
  body: string;
  contentType: string;
  headers: Record<string, string>;
  time: string;
  status: number | null;
  responseBody: string;
  durationMs: number | null;
  timedOut: boolean;
  error?: string;
  retryNum?: number;
}

export interface StoredView {
  id: string;
  userId: string;
  view: JsonObject;
  hash: string;
  externalId: string;
  rootViewId: string;
  previousViewId: string | null;
  /** The view's input values as the user last entered them: `state.values`. */
  values: Record<string, Record<string, JsonObject>>;
  /** Errors by block_id from the app's last `response_action: errors`. */
  errors: Record<string, string>;
  /** A delivery failure to show in the modal, such as "This app didn't respond in time". */
  notice?: string;
  /** The channel of the interaction whose trigger_id opened the view, if any. */
  channelId?: string;
}

export interface Trigger {
  createdMs: number;
  used: boolean;
  userId: string;
  channelId?: string;
}

export type ResponseUrlSource =
  | { kind: "message"; channelId: string; messageTs: string; ephemeral: boolean }
  | { kind: "command"; channelId: string };

export interface ResponseUrl {
  createdMs: number;
  uses: number;
  userId: string;
  source: ResponseUrlSource;
  /** The last message posted through this URL: what replace_original and delete_original act on for commands. */
  lastMessageTs?: string;
}

export interface TokenInfo {
  kind: "bot" | "user";
  userId: string;
  scopes: string[];
  revoked: boolean;
}

export interface AuthorizationCode {
  createdMs: number;
  used: boolean;
  clientId: string;
  redirectUri?: string;
  userId: string;
  scopes: string[];
  userScopes: string[];
  nonce?: string;
}

export interface ActionNotice {
  text: string;
  timeMs: number;
}

/** Generates message timestamps like "1712345678.000100": unique and increasing across the workspace. */
export class TimestampClock {
  private lastMicros = 0;

  constructor(private readonly nowMs: () => number = Date.now) {}

  next(): string {
    const micros = Math.max(this.nowMs() * 1000, this.lastMicros + 1);
    this.lastMicros = micros;
    const seconds = Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, "0")}`;
  }
}

/** Random upper-case letters and digits, as in Slack ids. */
export function randomId(length: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const bytes = randomBytes(length);
  let result = "";
  for (const byte of bytes) result += alphabet[byte % alphabet.length];
  return result;
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}

/** The whole in-memory workspace. `reset()` returns it to the seed. */
export class SlackState {
  channels = new Map<string, StoredChannel>();
  messages = new Map<string, StoredMessage[]>();
  calls: RecordedCall[] = [];
  deliveries: Delivery[] = [];
  views = new Map<string, StoredView>();
  /** Open views per user, bottom first; the last one is shown. */
  viewStacks = new Map<string, string[]>();
  triggers = new Map<string, Trigger>();
  responseUrls = new Map<string, ResponseUrl>();
  tokens = new Map<string, TokenInfo>();
  oauthCodes = new Map<string, AuthorizationCode>();
  openidCodes = new Map<string, AuthorizationCode>();
  notices = new Map<string, ActionNotice>();
  appInstalled = true;
  /** Incremented on every change the page shows, so the page can skip unchanged polls. */
  version = 1;
  readonly clock: TimestampClock;

  constructor(
    private readonly botToken: string,
    readonly nowMs: () => number = Date.now,
  ) {
    this.clock = new TimestampClock(nowMs);
    this.reset();
  }

  reset(): void {
    this.channels.clear();
    for (const seed of SEED_CHANNELS) {
      const memberIds = new Set(seed.memberIds);
      if (seed.botIsMember) memberIds.add(BOT.userId);
      this.channels.set(seed.id, {
        id: seed.id,
        name: seed.name,
        isPrivate: seed.isPrivate,
        isArchived: false,
        created: WORKSPACE_CREATED,
        creator: seed.memberIds[0] ?? BOT.userId,
        memberIds,
        topic: "",
        purpose: "",
      });
    }
    this.messages.clear();
    this.calls = [];
    this.deliveries = [];
    this.views.clear();
    this.viewStacks.clear();
    this.triggers.clear();
    this.responseUrls.clear();
    this.tokens.clear();
    this.tokens.set(this.botToken, { kind: "bot", userId: BOT.userId, scopes: DEFAULT_BOT_SCOPES, revoked: false });
    this.oauthCodes.clear();
    this.openidCodes.clear();
    this.notices.clear();
    this.appInstalled = true;
    this.touch();
  }

  touch(): void {
    this.version += 1;
  }

  /** Looks a channel up by id, or by name with or without "#". */
  findChannel(idOrName: string): StoredChannel | undefined {
    const byId = this.channels.get(idOrName);
    if (byId) return byId;
    const name = idOrName.startsWith("#") ? idOrName.slice(1) : idOrName;
    for (const channel of this.channels.values()) if (channel.name === name) return channel;
    return undefined;
  }

  channelMessages(channelId: string): StoredMessage[] {
    let list = this.messages.get(channelId);
    if (!list) {
      list = [];
      this.messages.set(channelId, list);
    }
    return list;
  }

  findMessage(channelId: string, ts: string): StoredMessage | undefined {
    return this.messages.get(channelId)?.find((message) => message.ts === ts);
  }

  /** Stores a message with a fresh ts. A thread_ts naming a reply is moved to that reply's parent. */
  addMessage(message: Omit<StoredMessage, "ts">): StoredMessage {
    const stored: StoredMessage = { ...message, ts: this.clock.next() };
    if (stored.threadTs) {
      const parent = this.findMessage(stored.channelId, stored.threadTs);
      if (parent?.threadTs && parent.threadTs !== parent.ts) stored.threadTs = parent.threadTs;
    }
    this.channelMessages(stored.channelId).push(stored);
    this.touch();
    return stored;
  }

  deleteMessage(channelId: string, ts: string): boolean {
    const list = this.messages.get(channelId);
    if (!list) return false;
    const index = list.findIndex((message) => message.ts === ts);
    if (index < 0) return false;
    list.splice(index, 1);
    this.touch();
    return true;
  }

  /** Replies of a thread, oldest first, excluding ephemeral ones. */
  threadReplies(channelId: string, parentTs: string): StoredMessage[] {
    return (this.messages.get(channelId) ?? []).filter(
      (message) => message.threadTs === parentTs && message.ts !== parentTs && !message.ephemeralFor,
    );
  }

  /** Issues a trigger_id the way Slack formats them ("12345.98765.abcd2358fdea"); valid 3 s, once. */
  issueTrigger(userId: string, channelId?: string): string {
    const triggerId = `${Math.floor(this.nowMs() / 1000)}.${randomDigits(10)}.${randomHex(16)}`;
    this.triggers.set(triggerId, { createdMs: this.nowMs(), used: false, userId, channelId });
    return triggerId;
  }

  noticeKey(viewerId: string, channelId: string, messageTs: string): string {
    return `${viewerId}|${channelId}|${messageTs}`;
  }
}

function randomDigits(length: number): string {
  let result = "";
  for (const byte of randomBytes(length)) result += String(byte % 10);
  return result.replace(/^0/, "1");
}

/** Scopes reported for the seeded bot token and granted by default on install. */
export const DEFAULT_BOT_SCOPES = [
  "channels:join",
  "channels:manage",
  "channels:read",
  "chat:write",
  "chat:write.public",
  "commands",
  "groups:read",
  "groups:write",
  "team:read",
  "users:read",
  "users:read.email",
];
