import type { AppliedChange } from "../incidents/apply-change";
import { enqueueJob, PAGERDUTY_EVENTS_QUEUE, TASKS, type SqlRunner } from "../queue/jobs";
import { ruleCreatesChannel } from "./rules";

/** Events after which an extension's rule may create a channel: a new incident, or a new priority. */
const CREATING_EVENTS = new Set(["incident.triggered", "incident.priority_updated"]);

/** Events that start or stop an archive countdown. */
const ARCHIVE_EVENTS = new Set(["incident.resolved", "incident.reopened"]);

/**
 * Applies the extensions' incident channel rules after a PagerDuty event changed an incident:
 * queues the automatic creation of a channel, and queues setting or clearing the archive time of
 * the incident's channel (scheduleArchiveIfDue, in the PagerDuty events' queue so it follows the event).
 * Runs in the event's transaction. A stale event (older than the stored state) changes nothing.
 */
export async function applyChannelRules(sql: SqlRunner, input: { change: AppliedChange; eventType: string; occurredAt: Date }): Promise<void> {
  const { change, eventType } = input;
  if (!change.stateApplied) return;

  if (CREATING_EVENTS.has(eventType) && change.snapshot.status !== "resolved") {
    await queueAutomaticChannel(sql, change);
  }
  if (ARCHIVE_EVENTS.has(eventType)) {
    const channels = await sql.$queryRawUnsafe<{ id: string }[]>(`SELECT id FROM incident_channel WHERE incident_id = $1::uuid`, change.incidentId);
    const channel = channels[0];
    if (channel) {
      await enqueueJob(sql, TASKS.scheduleChannelArchive, { incidentChannelId: channel.id, resolvedAt: input.occurredAt.toISOString() }, {
        queueName: PAGERDUTY_EVENTS_QUEUE,
        jobKey: `schedule-archive:${channel.id}`,
      });
    }
  }
}

interface RuleRow {
  extension_id: string;
  auto_create_high_urgency: boolean;
  auto_create_priorities: string[];
}

async function queueAutomaticChannel(sql: SqlRunner, change: AppliedChange): Promise<void> {
  // The rules of the service's working extensions, oldest first, unless the incident has a channel.
  const rules = await sql.$queryRawUnsafe<RuleRow[]>(
    `SELECT e.id AS extension_id, r.auto_create_high_urgency, r.auto_create_priorities
       FROM slack_extension e
       JOIN incident_channel_rule r ON r.extension_id = e.id
      WHERE e.pagerduty_service_id = $1 AND e.status <> 'disabled'
        AND NOT EXISTS (SELECT 1 FROM incident_channel c WHERE c.incident_id = $2::uuid)
      ORDER BY e.created_at`,
    change.snapshot.pagerdutyServiceId,
    change.incidentId,
  );
  // An incident has one channel, so the oldest extension whose rule matches creates it.
  const match = rules.find((rule) =>
    ruleCreatesChannel({ autoCreateHighUrgency: rule.auto_create_high_urgency, autoCreatePriorities: rule.auto_create_priorities }, change.snapshot),
  );
  if (!match) return;
  await enqueueJob(sql, TASKS.createIncidentChannel, { incidentId: change.incidentId, extensionId: match.extension_id }, { jobKey: `auto-channel:${change.incidentId}`, maxAttempts: 5 });
}
