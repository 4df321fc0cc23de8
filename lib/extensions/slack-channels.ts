import type { WebClient } from "@slack/web-api";
import type { PrismaClient, SlackWorkspace } from "../db/generated/client";
import { AppError } from "../errors";
import { scopedLogger } from "../log";
import { describeSlackError, slackClientFor, slackErrorName } from "../slack/client";
import { escapeMrkdwn } from "../slack/mrkdwn";

const log = scopedLogger("extensions");

export interface ChannelOption {
  id: string;
  name: string;
  isPrivate: boolean;
  /** Whether the bot is a member; a public channel without the bot needs an /invite before posts. */
  isMember: boolean;
}

/** Slack recommends at most 200 channels per conversations.list page. */
const PAGE_LIMIT = 200;
/**
 * Stops a runaway cursor loop. 2,000 pages of up to 200 channels is far more than any workspace has,
 * but Slack may return short or empty pages, so the bound counts pages, not channels.
 */
const MAX_PAGES = 2_000;
const CHANNELS_CACHE_MS = 30_000;
const channelCache = new Map<string, { at: number; channels: ChannelOption[] }>();

type WorkspaceRow = Pick<SlackWorkspace, "id" | "name" | "status" | "statusReason" | "botTokenEncrypted" | "slackBotUserId">;

/** Loads an active workspace, or throws AppError naming the workspaceId field. */
export async function requireActiveWorkspace(prisma: PrismaClient, workspaceId: string): Promise<WorkspaceRow & { slackTeamId: string }> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(workspaceId);
  const workspace = await prisma.slackWorkspace.findFirst({ where: isUuid ? { id: workspaceId } : { slackTeamId: workspaceId } });
  if (!workspace) {
    const message = `No Slack workspace "${workspaceId}" is mapped. Install the app into it under Slack Workspace Mapping first.`;
    throw new AppError("invalid_input", message, { workspaceId: message });
  }
  if (workspace.status !== "active") {
    const message = `The workspace ${workspace.name} is inactive${workspace.statusReason ? ` (${workspace.statusReason})` : ""}: reinstall the app into it under Slack Workspace Mapping.`;
    throw new AppError("invalid_input", message, { workspaceId: message });
  }
  return workspace;
}

function slackFailure(error: unknown, workspaceName: string, what: string): AppError {
  const name = slackErrorName(error);
  if (name && ["invalid_auth", "not_authed", "token_revoked", "account_inactive", "token_expired"].includes(name)) {
    return new AppError("upstream_failed", `Slack rejected the bot token of ${workspaceName} (${name}) while ${what}: reinstall the app under Slack Workspace Mapping.`);
  }
  if (name === "missing_scope") {
    return new AppError("upstream_failed", `The app in ${workspaceName} lacks a Slack scope needed for ${what}: reinstall it under Slack Workspace Mapping to grant the current scopes.`);
  }
  log.warn({ workspaceName, reason: describeSlackError(error) }, `Slack call failed while ${what}`);
  return new AppError("upstream_failed", `Slack failed while ${what} in ${workspaceName}: ${describeSlackError(error)}. Try again in a minute.`);
}

interface SlackChannelObject {
  id?: string;
  name?: string;
  is_private?: boolean;
  is_member?: boolean;
  is_archived?: boolean;
}

/**
 * Lists every channel the bot can see: public channels and the private channels it is in, without
 * archived ones. Follows `next_cursor` to the end, also past short or empty pages, because Slack
 * may return fewer channels than `limit` while more remain.
 */
export async function fetchAllChannels(client: WebClient): Promise<ChannelOption[]> {
  const channels: ChannelOption[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await client.conversations.list({ types: "public_channel,private_channel", exclude_archived: true, limit: PAGE_LIMIT, cursor });
    for (const channel of (result.channels ?? []) as SlackChannelObject[]) {
      if (!channel.id || !channel.name || channel.is_archived) continue;
      channels.push({ id: channel.id, name: channel.name, isPrivate: Boolean(channel.is_private), isMember: Boolean(channel.is_member) });
    }
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!cursor) return channels.sort((a, b) => a.name.localeCompare(b.name));
  }
  log.warn({ pages: MAX_PAGES }, "conversations.list still had a cursor after the page limit; the channel list is incomplete");
  return channels.sort((a, b) => a.name.localeCompare(b.name));
}

export interface ChannelSearchResult {
  channels: ChannelOption[];
  total: number;
}

/**
 * Channels of a workspace whose name or ID contains `query`, at most `limit`. The full list is
 * cached for 30 seconds per workspace; `refresh` reads it from Slack again.
 */
export async function searchSlackChannels(input: { prisma: PrismaClient; workspaceId: string; query?: string; limit?: number; refresh?: boolean }): Promise<ChannelSearchResult> {
  const workspace = await requireActiveWorkspace(input.prisma, input.workspaceId);
  let cached = channelCache.get(workspace.id);
  if (input.refresh || !cached || Date.now() - cached.at > CHANNELS_CACHE_MS) {
    try {
      cached = { at: Date.now(), channels: await fetchAllChannels(slackClientFor(workspace)) };
    } catch (error) {
      throw slackFailure(error, workspace.name, "listing channels");
    }
    channelCache.set(workspace.id, cached);
  }
  const needle = (input.query ?? "").trim().replace(/^#/, "").toLowerCase();
  const matches = needle ? cached.channels.filter((channel) => channel.name.toLowerCase().includes(needle) || channel.id.toLowerCase() === needle) : cached.channels;
  return { channels: matches.slice(0, input.limit ?? 100), total: matches.length };
}

/** A channel the admin chose, as conversations.info returns it to the workspace's bot. */
export type ChannelLookup =
  | { visible: true; id: string; name: string; isPrivate: boolean; isMember: boolean }
  /** conversations.info returned channel_not_found: a private channel without the bot, or no channel at all. */
  | { visible: false; id: string };

/** Looks a channel up with conversations.info; an archived channel is rejected on the channelId field. */
export async function lookUpChannel(workspace: WorkspaceRow, channelId: string): Promise<ChannelLookup> {
  const client = slackClientFor(workspace);
  try {
    const result = await client.conversations.info({ channel: channelId });
    const channel = (result.channel ?? {}) as SlackChannelObject;
    if (channel.is_archived) {
      const message = `#${channel.name ?? channelId} is archived: choose another channel or unarchive it in Slack.`;
      throw new AppError("invalid_input", message, { channelId: message });
    }
    return { visible: true, id: channelId, name: channel.name ?? channelId, isPrivate: Boolean(channel.is_private), isMember: Boolean(channel.is_member) };
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (slackErrorName(error) === "channel_not_found") return { visible: false, id: channelId };
    throw slackFailure(error, workspace.name, `looking up channel ${channelId}`);
  }
}

const botNames = new Map<string, string>();

/** Returns the bot's Slack name (as in @switchboard) for the "invite the bot" fix, or "switchboard" when users.info has none. */
export async function botDisplayName(workspace: WorkspaceRow): Promise<string> {
  const known = botNames.get(workspace.id);
  if (known) return known;
  try {
    const result = await slackClientFor(workspace).users.info({ user: workspace.slackBotUserId });
    const user = result.user as { name?: string; profile?: { display_name?: string } } | undefined;
    const name = user?.profile?.display_name || user?.name;
    if (name) {
      botNames.set(workspace.id, name);
      return name;
    }
  } catch (error) {
    log.warn({ workspaceId: workspace.id, reason: describeSlackError(error) }, "users.info failed for the bot user; using the default bot name");
  }
  return "switchboard";
}

/** Builds the status reason shown while the bot is not in an extension's channel, with the fix. */
export function inviteBotReason(botName: string, channelLabel: string): string {
  return `Invite @${botName} to ${channelLabel}: type /invite @${botName} in the channel. The extension starts working by itself once the bot has joined.`;
}

/** Channel errors of chat.postMessage that an invitation of the bot fixes. */
export const BOT_NOT_IN_CHANNEL_ERRORS = new Set(["not_in_channel", "channel_not_found"]);

/**
 * Posts the short "PagerDuty integration added" message in the extension's channel. Returns null on
 * success, or the Slack error name when Slack refused it.
 */
export async function postIntegrationAdded(workspace: WorkspaceRow, input: { channelId: string; serviceName: string; extensionName: string }): Promise<string | null> {
  const text = `PagerDuty integration added: incidents of the service *${escapeMrkdwn(input.serviceName)}* will be posted in this channel (extension ${escapeMrkdwn(input.extensionName)}).`;
  try {
    await slackClientFor(workspace).chat.postMessage({ channel: input.channelId, text, unfurl_links: false, unfurl_media: false });
    return null;
  } catch (error) {
    const name = slackErrorName(error);
    log.warn({ workspaceId: workspace.id, channel: input.channelId, reason: describeSlackError(error) }, "Posting the integration-added message failed");
    return name ?? "request_failed";
  }
}

/** Forgets cached channel lists, for example after a channel was created. */
export function clearChannelCache(workspaceId?: string): void {
  if (workspaceId) channelCache.delete(workspaceId);
  else channelCache.clear();
}
