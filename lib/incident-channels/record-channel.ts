import { recordAudit, type AuditActor } from "../audit/record-audit";
import type { IncidentChannel, Prisma } from "../db/generated/client";
import { channelQueue, enqueueJob, TASKS } from "../queue/jobs";
import { scheduleArchiveIfDue } from "./archive-schedule";

type Tx = Prisma.TransactionClient;

/** The actor that sets or removes an incident's channel: a web user, a Slack user, or an extension's rule. */
export interface ChannelActor extends AuditActor {
  /** The actor's Slack user id in the channel's workspace, invited to a created channel. */
  slackUserId: string | null;
}

export interface RecordChannelInput {
  incidentId: string;
  pagerdutyIncidentId: string;
  workspaceId: string;
  slackChannelId: string;
  slackChannelName: string;
  isPrivate: boolean;
  createdBySwitchboard: boolean;
  extensionId: string | null;
  actor: ChannelActor;
  /** Extra audit details, for example that the channel was found again on retry. */
  details?: Record<string, string | number | boolean | null>;
}

/**
 * Records a channel as the incident's channel, replacing any earlier one, and queues the incident
 * message for it. Call inside a transaction, so the channel, its message and the audit entry are
 * stored together or not at all.
 */
export async function recordIncidentChannel(tx: Tx, input: RecordChannelInput): Promise<IncidentChannel> {
  const previous = await tx.incidentChannel.findUnique({ where: { incidentId: input.incidentId } });
  if (previous && previous.slackChannelId !== input.slackChannelId) {
    await stopMessageInChannel(tx, { incidentId: input.incidentId, slackChannelId: previous.slackChannelId });
  }

  const fields = {
    workspaceId: input.workspaceId,
    slackChannelId: input.slackChannelId,
    slackChannelName: input.slackChannelName,
    isPrivate: input.isPrivate,
    createdBySwitchboard: input.createdBySwitchboard,
    status: "active" as const,
    extensionId: input.extensionId,
    requestedByLabel: input.actor.label,
    archiveAt: null,
    archivedAt: null,
    archiveNoteAt: null,
    lastError: null,
  };
  const channel = await tx.incidentChannel.upsert({
    where: { incidentId: input.incidentId },
    create: { incidentId: input.incidentId, ...fields },
    update: fields,
  });
  await tx.incidentChannelAttempt.deleteMany({ where: { incidentId: input.incidentId } });

  const message = await tx.incidentMessage.upsert({
    where: { incidentId_slackChannelId: { incidentId: input.incidentId, slackChannelId: input.slackChannelId } },
    create: { incidentId: input.incidentId, workspaceId: input.workspaceId, extensionId: null, slackChannelId: input.slackChannelId },
    update: {},
  });
  await enqueueJob(tx, TASKS.syncIncidentMessage, { incidentMessageId: message.id }, { queueName: channelQueue(message.slackChannelId), jobKey: `sync:${message.id}` });

  await recordAudit(tx, {
    actor: { userId: input.actor.userId, label: input.actor.label },
    action: input.createdBySwitchboard ? "incident_channel.create" : "incident_channel.associate",
    targetType: "incident",
    targetId: input.pagerdutyIncidentId,
    details: {
      slackChannelId: input.slackChannelId,
      slackChannelName: input.slackChannelName,
      isPrivate: input.isPrivate,
      ...(previous && previous.slackChannelId !== input.slackChannelId ? { replacedSlackChannelId: previous.slackChannelId } : {}),
      ...input.details,
    },
  });
  return scheduleArchiveIfDue(tx, channel);
}

/**
 * Stops keeping the incident message in sync in a channel that is no longer the incident's. The
 * message stays in Slack as it was. A message an extension posts in that channel is left alone.
 */
export async function stopMessageInChannel(tx: Tx, input: { incidentId: string; slackChannelId: string }): Promise<void> {
  await tx.incidentMessage.deleteMany({ where: { incidentId: input.incidentId, slackChannelId: input.slackChannelId, extensionId: null } });
}
