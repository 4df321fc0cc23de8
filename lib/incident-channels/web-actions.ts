import type { Logger } from "pino";
import { z } from "zod";
import type { CurrentUser } from "../auth/session";
import type { Incident, PrismaClient } from "../db/generated/client";
import { AppError } from "../errors";
import { slackClientFor } from "../slack/client";
import { associateIncidentChannel } from "./associate-channel";
import { channelNameProblem, toSlackChannelName, type ChannelNameInput } from "./channel-name";
import { createIncidentChannel, type SetChannelResult } from "./create-channel";
import { slackUserIdForWebUser } from "./invitees";
import { listSlackChannels, searchChannels, type SlackChannelSummary } from "./list-channels";
import { checkPagerDutyUserMayAct } from "./permission";
import type { ChannelActor } from "./record-channel";
import { removeIncidentChannel } from "./remove-channel";
import { nameTemplateFor } from "./rules";
import { channelErrorFromSlack } from "./slack-errors";

/** The body of PUT /api/admin/incidents/<id>/channel: create a channel, or associate an existing one. */
export const setChannelRequestSchema = z.discriminatedUnion("mode", [
  z.object({
    mode: z.literal("create"),
    workspaceId: z.string().uuid("Choose a mapped workspace."),
    name: z.string().trim().min(1, "Enter a channel name.").max(200, "Use at most 200 characters; the name is cut to 80 anyway."),
    isPrivate: z.boolean().default(false),
  }),
  z.object({
    mode: z.literal("associate"),
    workspaceId: z.string().uuid("Choose a mapped workspace."),
    slackChannelId: z.string().trim().min(1, "Choose a channel from the list.").max(40),
  }),
]);

export type SetChannelRequest = z.infer<typeof setChannelRequestSchema>;

export interface SetChannelContext {
  /** Whether the signed-in user may set the channel, and why not. */
  canSetChannel: boolean;
  reason: string | null;
  /** Active mapped workspaces with the name template that applies to the incident in each. */
  workspaces: { id: string; name: string; nameTemplate: string }[];
  /** The values the template's placeholders take, for the dialog's live preview. */
  nameInput: Omit<ChannelNameInput, "createdAt"> & { createdAt: string };
}

async function loadIncident(prisma: PrismaClient, pagerdutyIncidentId: string): Promise<Incident> {
  const incident = await prisma.incident.findUnique({ where: { pagerdutyIncidentId } });
  if (!incident) throw new AppError("not_found", `Switchboard has no incident ${pagerdutyIncidentId}. It appears here once PagerDuty sends its webhook.`);
  return incident;
}

/** Throws forbidden unless the web user's PagerDuty role may act on the incident. */
async function requireMayAct(prisma: PrismaClient, user: CurrentUser, incident: Incident): Promise<void> {
  const check = await checkPagerDutyUserMayAct({ prisma, pagerdutyUserId: user.pagerdutyUserId, pagerdutyServiceId: incident.pagerdutyServiceId });
  if (!check.allowed) throw new AppError(check.reason === "not_connected" ? "not_configured" : "forbidden", check.message);
}

/** Returns what the Set Channel dialog needs for an incident and the signed-in user. */
export async function getSetChannelContext(input: { prisma: PrismaClient; user: CurrentUser; pagerdutyIncidentId: string }): Promise<SetChannelContext> {
  const { prisma } = input;
  const incident = await loadIncident(prisma, input.pagerdutyIncidentId);
  const check = await checkPagerDutyUserMayAct({ prisma, pagerdutyUserId: input.user.pagerdutyUserId, pagerdutyServiceId: incident.pagerdutyServiceId });
  const workspaces = await prisma.slackWorkspace.findMany({ where: { status: "active" }, orderBy: { name: "asc" } });
  const withTemplates = await Promise.all(
    workspaces.map(async (workspace) => ({
      id: workspace.id,
      name: workspace.name,
      nameTemplate: await nameTemplateFor(prisma, { pagerdutyServiceId: incident.pagerdutyServiceId, workspaceId: workspace.id }),
    })),
  );
  return {
    canSetChannel: check.allowed,
    reason: check.allowed ? null : check.message,
    workspaces: withTemplates,
    nameInput: { number: incident.number, title: incident.title, serviceName: incident.serviceName, createdAt: incident.createdAt.toISOString() },
  };
}

/** Creates or associates the incident's channel as the signed-in user, after checking their PagerDuty role. */
export async function setIncidentChannelAsWebUser(input: {
  prisma: PrismaClient;
  user: CurrentUser;
  pagerdutyIncidentId: string;
  request: SetChannelRequest;
  log: Logger;
}): Promise<SetChannelResult> {
  const { prisma, user, request, log } = input;
  const incident = await loadIncident(prisma, input.pagerdutyIncidentId);
  await requireMayAct(prisma, user, incident);

  if (request.mode === "associate") {
    const actor: ChannelActor = { userId: user.id, label: user.email, slackUserId: null };
    return associateIncidentChannel({ prisma, incidentId: incident.id, workspaceId: request.workspaceId, slackChannelId: request.slackChannelId, actor, log });
  }

  const name = toSlackChannelName(request.name, `inc-${incident.number}`);
  const problem = channelNameProblem(name);
  if (problem) throw new AppError("invalid_input", problem, { name: problem });
  const workspace = await prisma.slackWorkspace.findUnique({ where: { id: request.workspaceId } });
  const slackUserId = workspace ? await slackUserIdForWebUser(prisma, { userId: user.id, workspace, log }) : null;
  const actor: ChannelActor = { userId: user.id, label: user.email, slackUserId };
  const result = await createIncidentChannel({ prisma, incidentId: incident.id, workspaceId: request.workspaceId, name, isPrivate: request.isPrivate, actor, log });
  if (!slackUserId) {
    result.warnings.push(`Switchboard found no Slack account for ${user.email} in that workspace, so you were not invited. Join the channel in Slack.`);
  }
  return result;
}

/** Ends the incident's channel association as the signed-in user, after checking their PagerDuty role. */
export async function removeIncidentChannelAsWebUser(input: { prisma: PrismaClient; user: CurrentUser; pagerdutyIncidentId: string }): Promise<void> {
  const incident = await loadIncident(input.prisma, input.pagerdutyIncidentId);
  await requireMayAct(input.prisma, input.user, incident);
  await removeIncidentChannel({ prisma: input.prisma, incidentId: incident.id, actor: { userId: input.user.id, label: input.user.email, slackUserId: null } });
}

/** Channels listed per workspace are reused this long, so searching as one types lists Slack once. */
const CHANNEL_CACHE_MS = 30_000;
const channelCache = new Map<string, { at: number; channels: SlackChannelSummary[] }>();

export interface ChannelSearchResult {
  channels: { id: string; name: string; isPrivate: boolean; isMember: boolean }[];
  /** The number of matching channels; `channels` contains the first of them. */
  total: number;
}

/**
 * Searches a workspace's channels for the Set Channel dialog: public channels, and private ones
 * the bot is in, not archived. The whole list is read from Slack (every page to the end) and kept
 * for 30 seconds; `refresh` reads it again.
 */
export async function searchWorkspaceChannels(input: {
  prisma: PrismaClient;
  user: CurrentUser;
  pagerdutyIncidentId: string;
  workspaceId: string;
  query: string;
  refresh?: boolean;
  limit?: number;
}): Promise<ChannelSearchResult> {
  const { prisma } = input;
  const incident = await loadIncident(prisma, input.pagerdutyIncidentId);
  await requireMayAct(prisma, input.user, incident);
  const workspace = await prisma.slackWorkspace.findUnique({ where: { id: input.workspaceId } });
  if (!workspace || workspace.status !== "active") throw new AppError("not_found", "That Slack workspace is not mapped, or it is inactive. Choose another workspace.");

  let cached = channelCache.get(workspace.id);
  if (input.refresh || !cached || Date.now() - cached.at > CHANNEL_CACHE_MS) {
    try {
      cached = { at: Date.now(), channels: await listSlackChannels(slackClientFor(workspace)) };
    } catch (error) {
      throw channelErrorFromSlack(error, { operation: "list", workspaceName: workspace.name }) ?? error;
    }
    channelCache.set(workspace.id, cached);
  }
  const limit = input.limit ?? 50;
  const matches = searchChannels(cached.channels, input.query, Number.MAX_SAFE_INTEGER);
  return {
    channels: matches.slice(0, limit).map((channel) => ({ id: channel.id, name: channel.name, isPrivate: channel.isPrivate, isMember: channel.isMember })),
    total: matches.length,
  };
}
