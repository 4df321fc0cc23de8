import type { PrismaClient, Prisma } from "../../db/generated/client";
import { applyIncidentAction, applyIncidentState, type AppliedChange } from "../../incidents/apply-change";
import { stateFromRest } from "../../incidents/rest-state";
import type { RestIncident } from "../../pagerduty/client";
import type { PagerDutyUserProfile } from "../../pagerduty/users";
import { channelQueue, enqueueJob, TASKS } from "../../queue/jobs";

/**
 * Shows a change made from Slack at once, from PagerDuty's reply, without waiting for the webhook:
 * the incident takes the reply's state and the action as its last action, and its messages are
 * queued for an edit. The webhook that follows applies under the same newest-wins rule, and it is
 * the webhook that posts the thread announcement where the extension's toggle is on.
 */
export async function applyIncidentFromRest(prisma: PrismaClient, input: { incident: RestIncident; action: string; profile: PagerDutyUserProfile }): Promise<void> {
  const { incident, profile } = input;
  const occurredAt = new Date(incident.last_status_change_at ?? incident.updated_at ?? Date.now());
  await prisma.$transaction(async (tx) => {
    const change = await applyIncidentState(tx, {
      state: stateFromRest(incident),
      occurredAt,
      action: { action: input.action, byName: profile.name, byPagerdutyUserId: profile.pagerdutyUserId },
    });
    await queueMessageEdits(tx, change);
  });
}

/** Records a note added from Slack as the incident's last action and queues the message edits. */
export async function applyNoteFromRest(prisma: PrismaClient, input: { pagerdutyIncidentId: string; createdAt: string; profile: PagerDutyUserProfile }): Promise<void> {
  const occurredAt = new Date(input.createdAt);
  await prisma.$transaction(async (tx) => {
    const change = await applyIncidentAction(tx, {
      pagerdutyIncidentId: input.pagerdutyIncidentId,
      occurredAt: Number.isNaN(occurredAt.getTime()) ? new Date() : occurredAt,
      action: { action: "annotated", byName: input.profile.name, byPagerdutyUserId: input.profile.pagerdutyUserId },
    });
    if (change) await queueMessageEdits(tx, change);
  });
}

async function queueMessageEdits(tx: Prisma.TransactionClient, change: AppliedChange): Promise<void> {
  if (!change.stateApplied && !change.actionApplied) return;
  const messages = await tx.incidentMessage.findMany({ where: { incidentId: change.incidentId } });
  for (const message of messages) {
    await enqueueJob(tx, TASKS.syncIncidentMessage, { incidentMessageId: message.id }, { queueName: channelQueue(message.slackChannelId), jobKey: `sync:${message.id}` });
  }
}
