import { CHANNELS, PEOPLE, SLACK_BOT, SLACK_TEAM, type SeedPerson } from "../seed";

/** A member of the fake workspace: a seeded person with a Slack account. */
export interface SlackMember {
  id: string;
  /** The Slack handle (`name` in the Web API), taken from the email's local part. */
  handle: string;
  realName: string;
  email: string;
  timeZone: string;
  isOwner: boolean;
  isAdmin: boolean;
}

export interface SeedChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  botIsMember: boolean;
  /** Slack user ids of the people in the channel, without the bot. */
  memberIds: string[];
}

function toMember(person: SeedPerson): SlackMember {
  return {
    id: person.slackUserId,
    handle: person.email.split("@")[0] ?? person.key,
    realName: person.name,
    email: person.email,
    timeZone: person.timeZone,
    isOwner: person.role === "owner",
    isAdmin: person.role === "owner" || person.role === "admin",
  };
}

/** Everyone seeded with a Slack user id, in seed order. */
export const MEMBERS: readonly SlackMember[] = PEOPLE.filter((person) => person.slackUserId !== "").map(toMember);

function slackIdsOf(keys: readonly string[]): string[] {
  return keys.map((key) => {
    const found = PEOPLE.find((person) => person.key === key);
    if (!found || !found.slackUserId) throw new Error(`Seeded person "${key}" has no Slack user id`);
    return found.slackUserId;
  });
}

const EVERYONE = MEMBERS.map((member) => member.id);

/**
 * Channel membership of the seeded people. The seed fixes channel ids and the bot's membership, and
 * this list adds the people. Rosa (the default viewer) is not in #platform-alerts, so
 * chat.postEphemeral to her there fails with user_not_in_channel. The private channel has three
 * members.
 */
export const SEED_CHANNELS: readonly SeedChannel[] = [
  { ...CHANNELS.incidents, memberIds: EVERYONE },
  { ...CHANNELS.platform, memberIds: slackIdsOf(["owner", "admin", "limited", "observer"]) },
  { ...CHANNELS.general, memberIds: EVERYONE },
  { ...CHANNELS.security, memberIds: slackIdsOf(["owner", "admin", "responder"]) },
  { ...CHANNELS.support, memberIds: EVERYONE },
  { ...CHANNELS.warRoom, memberIds: EVERYONE },
  { ...CHANNELS.random, memberIds: EVERYONE },
];

/** The #general-like channel: Slack refuses to archive it (cant_archive_general). */
export const GENERAL_CHANNEL_ID = CHANNELS.general.id;

/** The workspace's creation time (seconds), used for `created` fields of seeded objects. */
export const WORKSPACE_CREATED = 1_700_000_000;

export const TEAM = SLACK_TEAM;
export const BOT = SLACK_BOT;

export function findMember(userId: string): SlackMember | undefined {
  return MEMBERS.find((member) => member.id === userId);
}

/** Returns the display name of a user id, bot included; unknown ids are returned unchanged. */
export function displayName(userId: string): string {
  if (userId === BOT.userId) return BOT.name;
  return findMember(userId)?.realName ?? userId;
}

/** Offset of a time zone from UTC in seconds at `date`, and its long name (for tz_offset, tz_label). */
export function timeZoneDetails(timeZone: string, date: Date): { offsetSeconds: number; label: string } {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    timeZoneName: "long",
  }).formatToParts(date);
  const value = (type: string): number => Number(parts.find((part) => part.type === type)?.value ?? "0");
  const localAsUtc = Date.UTC(value("year"), value("month") - 1, value("day"), value("hour"), value("minute"), value("second"));
  const offsetSeconds = Math.round((localAsUtc - Math.floor(date.getTime() / 1000) * 1000) / 1000);
  const label = parts.find((part) => part.type === "timeZoneName")?.value ?? timeZone;
  return { offsetSeconds, label };
}
