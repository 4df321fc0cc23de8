import type { Prisma } from "../db/generated/client";
import type { AppliedChange } from "../incidents/apply-change";
import { enqueueJob, TASKS } from "../queue/jobs";
import { scheduleArchiveIfDue } from "./archive-schedule";
import { extensionsForService, ruleCreatesChannel } from "./rules";

type Tx = Prisma.TransactionClient;

/** Events after which an extension's rule may create a channel: a new incident, or a new priority. */
const CREATING_EVENTS = new Set(["incident.triggered", "incident.priority_updated"]);

/** Events that start or stop an archive countdown. */
const ARCHIVE_EVENTS = new Set(["incident.resolved", "incident.reopened"]);

/**
 * Applies the extensions' incident channel rules after a PagerDuty event changed an incident:
 * queues the automatic creation of a channel, and sets or clears the archive time of the
 * incident's channel. Runs in the event's transaction; a stale event (older than the stored state)
 * changes nothing.
 */
export async function applyChannelRules(tx: Tx, input: { change: AppliedChange; eventType: string; occurredAt: Date }): Promise<void> {
  const { change, eventType } = input;
  if (!change.stateApplied) return;

  if (CREATING_EVENTS.has(eventType) && change.snapshot.status !== "resolved") {
    await queueAutomaticChannel(tx, change);
  }
  if (ARCHIVE_EVENTS.has(eventType)) {
    const channel = await tx.incidentChannel.findUnique({ where: { incidentId: change.incidentId } });
    if (channel) await scheduleArchiveIfDue(tx, channel, input.occurredAt);
  }
}

async function queueAutomaticChannel(tx: Tx, change: AppliedChange): Promise<void> {
  const existing = await tx.incidentChannel.findUnique({ where: { incidentId: change.incidentId }, select: { id: true } });
  if (existing) return;
  const extensions = await extensionsForService(tx, { pagerdutyServiceId: change.snapshot.pagerdutyServiceId });
  // An incident has one channel, so the oldest extension whose rule matches creates it.
  const extension = extensions.find((candidate) => candidate.channelRule && ruleCreatesChannel(candidate.channelRule, change.snapshot));
  if (!extension) return;
  await enqueueJob(tx, TASKS.createIncidentChannel, { incidentId: change.incidentId, extensionId: extension.id }, { jobKey: `auto-channel:${change.incidentId}`, maxAttempts: 5 });
}
