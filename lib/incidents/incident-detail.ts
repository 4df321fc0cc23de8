import type { PrismaClient } from "../db/generated/client";
import { slackChannelUrl } from "../incident-channels/slack-links";
import type { PagerDutyReference } from "./types";

export interface IncidentMessageSummary {
  id: string;
  slackChannelId: string;
  /** The channel's name where Switchboard knows it. */
  channelName: string | null;
  workspaceName: string;
  /** "extension" for a mapped channel's message, "incident_channel" for the incident's own channel. */
  kind: "extension" | "incident_channel";
  extensionName: string | null;
  status: string;
  lastError: string | null;
  slackMessageTs: string | null;
  updatedAt: string;
  channelUrl: string;
}

export interface IncidentChannelSummary {
  id: string;
  workspaceId: string;
  workspaceName: string;
  slackChannelId: string;
  slackChannelName: string;
  isPrivate: boolean;
  createdBySwitchboard: boolean;
  status: string;
  requestedByLabel: string;
  archiveAt: string | null;
  archivedAt: string | null;
  lastError: string | null;
  createdAt: string;
  channelUrl: string;
}

export interface IncidentDetail {
  incident: {
    id: string;
    pagerdutyIncidentId: string;
    number: number;
    title: string;
    status: string;
    urgency: string;
    priority: string | null;
    serviceName: string;
    pagerdutyServiceId: string;
    assignees: PagerDutyReference[];
    escalationPolicyName: string | null;
    htmlUrl: string;
    lastAction: string | null;
    lastActionByName: string | null;
    lastActionAt: string | null;
    createdAt: string;
    lastChangeAt: string;
  };
  messages: IncidentMessageSummary[];
  channel: IncidentChannelSummary | null;
  /** A channel creation that has started and not finished, with the name last sent to Slack. */
  creationInProgress: { slackChannelName: string; since: string } | null;
}

/** Loads what the incident page shows from the database, or null when the incident is unknown. */
export async function getIncidentDetail(prisma: PrismaClient, pagerdutyIncidentId: string): Promise<IncidentDetail | null> {
  const row = await prisma.incident.findUnique({
    where: { pagerdutyIncidentId },
    include: {
      messages: { include: { extension: { select: { name: true, slackChannelName: true } }, workspace: { select: { name: true, slackTeamId: true } } }, orderBy: { createdAt: "asc" } },
      channel: { include: { workspace: { select: { name: true, slackTeamId: true } } } },
      channelAttempt: true,
    },
  });
  if (!row) return null;

  const channel = row.channel;
  const attempt = row.channelAttempt;
  return {
    incident: {
      id: row.id,
      pagerdutyIncidentId: row.pagerdutyIncidentId,
      number: row.number,
      title: row.title,
      status: row.status,
      urgency: row.urgency,
      priority: row.priority,
      serviceName: row.serviceName,
      pagerdutyServiceId: row.pagerdutyServiceId,
      assignees: Array.isArray(row.assignees) ? (row.assignees as unknown as PagerDutyReference[]) : [],
      escalationPolicyName: row.escalationPolicyName,
      htmlUrl: row.htmlUrl,
      lastAction: row.lastAction,
      lastActionByName: row.lastActionByName,
      lastActionAt: row.lastActionAt?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
      lastChangeAt: row.lastChangeAt.toISOString(),
    },
    messages: row.messages.map((message) => ({
      id: message.id,
      slackChannelId: message.slackChannelId,
      channelName: message.extension?.slackChannelName ?? (channel?.slackChannelId === message.slackChannelId ? channel.slackChannelName : null),
      workspaceName: message.workspace.name,
      kind: message.extensionId ? "extension" : "incident_channel",
      extensionName: message.extension?.name ?? null,
      status: message.status,
      lastError: message.lastError,
      slackMessageTs: message.slackMessageTs,
      updatedAt: message.updatedAt.toISOString(),
      channelUrl: slackChannelUrl({ slackTeamId: message.workspace.slackTeamId, slackChannelId: message.slackChannelId }),
    })),
    channel: channel
      ? {
          id: channel.id,
          workspaceId: channel.workspaceId,
          workspaceName: channel.workspace.name,
          slackChannelId: channel.slackChannelId,
          slackChannelName: channel.slackChannelName,
          isPrivate: channel.isPrivate,
          createdBySwitchboard: channel.createdBySwitchboard,
          status: channel.status,
          requestedByLabel: channel.requestedByLabel,
          archiveAt: channel.archiveAt?.toISOString() ?? null,
          archivedAt: channel.archivedAt?.toISOString() ?? null,
          lastError: channel.lastError,
          createdAt: channel.createdAt.toISOString(),
          channelUrl: slackChannelUrl({ slackTeamId: channel.workspace.slackTeamId, slackChannelId: channel.slackChannelId }),
        }
      : null,
    creationInProgress: attempt && attempt.lockedUntil > new Date() ? { slackChannelName: attempt.slackChannelName, since: attempt.createdAt.toISOString() } : null,
  };
}
