import type { WebClient } from "@slack/web-api";
import { AppError } from "../errors";

/** A Slack channel as the Set Channel dialog and channel recovery need it. */
export interface SlackChannelSummary {
  id: string;
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  /** Whether the bot is a member; private channels are listed only where it is. */
  isMember: boolean;
  /** Slack user id of the channel's creator. */
  creator: string | null;
  /** Unix seconds. */
  created: number | null;
}

const PAGE_LIMIT = 200;

/**
 * A guard against a Slack that keeps returning a next_cursor: 2,000 pages of up to 200 channels
 * is far more than a workspace has, so reaching it means the listing would never end.
 */
const MAX_PAGES = 2_000;

/**
 * Lists the public channels and the private channels the bot is in, following next_cursor to the
 * end. Slack may return pages shorter than the limit, or empty, that still carry a cursor, so only
 * an empty or missing next_cursor ends the listing.
 */
export async function listSlackChannels(client: WebClient, options: { includeArchived?: boolean } = {}): Promise<SlackChannelSummary[]> {
  const channels: SlackChannelSummary[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await client.conversations.list({
      types: "public_channel,private_channel",
      exclude_archived: !options.includeArchived,
      limit: PAGE_LIMIT,
      cursor,
    });
    for (const channel of response.channels ?? []) {
      if (!channel.id || !channel.name) continue;
      channels.push({
        id: channel.id,
        name: channel.name,
        isPrivate: Boolean(channel.is_private),
        isArchived: Boolean(channel.is_archived),
        isMember: Boolean(channel.is_member),
        creator: channel.creator ?? null,
        created: channel.created ?? null,
      });
    }
    cursor = response.response_metadata?.next_cursor || undefined;
    if (!cursor) return channels;
  }
  throw new AppError("upstream_failed", `Slack's channel list did not end after ${MAX_PAGES} pages, so Switchboard stopped reading it. Try again later.`);
}

/**
 * Filters channels by a search text (case-insensitive, "#" ignored): names that start with it
 * first, then names that contain it, each alphabetical.
 */
export function searchChannels(channels: SlackChannelSummary[], query: string, limit: number): SlackChannelSummary[] {
  const text = query.trim().replace(/^#/, "").toLowerCase();
  const byName = (a: SlackChannelSummary, b: SlackChannelSummary) => a.name.localeCompare(b.name);
  if (!text) return [...channels].sort(byName).slice(0, limit);
  const prefix = channels.filter((channel) => channel.name.startsWith(text)).sort(byName);
  const inner = channels.filter((channel) => !channel.name.startsWith(text) && channel.name.includes(text)).sort(byName);
  return [...prefix, ...inner].slice(0, limit);
}
