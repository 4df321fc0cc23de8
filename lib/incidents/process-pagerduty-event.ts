import type { Pool } from "pg";
import type { Logger } from "pino";
import { withTransaction } from "../db/transaction";
import {
  incidentDataSchema,
  incidentNoteDataSchema,
  isHandledEventType,
  webhookEnvelopeSchema,
  type IncidentData,
  type WebhookEnvelope,
} from "../pagerduty/webhook-event";
import { applyChannelRules } from "../incident-channels/incident-events";
import { channelQueue, enqueueJob, TASKS, type SqlRunner } from "../queue/jobs";
import { applyIncidentAction, applyIncidentState, type AppliedChange, type IncidentAction, type IncidentState } from "./apply-change";
import { announcementText, isAnnounced, type UpdateToggles } from "./announcements";

interface InboundRow {
  id: string;
  status: string;
  raw_body: string;
}

export type ProcessOutcome = "processed" | "ignored" | "already_done" | "failed";

/**
 * Applies one stored PagerDuty webhook event: updates the incident, creates the Slack messages of a
 * new incident, and queues their edits and thread replies. Runs in one transaction with the inbox
 * row locked, so an event takes effect exactly once even when its job runs twice. It runs for every
 * event, so every statement is SQL on the worker's pool rather than a Prisma query.
 */
export async function processPagerDutyEvent(input: { pool: Pool; inboundEventId: string; log: Logger }): Promise<ProcessOutcome> {
  const { log } = input;
  return withTransaction(input.pool, async (sql) => {
    const rows = await sql.$queryRawUnsafe<InboundRow[]>(
      `SELECT id::text AS id, status::text AS status, raw_body FROM inbound_event WHERE id = $1::bigint FOR UPDATE`,
      input.inboundEventId,
    );
    const row = rows[0];
    if (!row || row.status !== "pending") return "already_done";

    const parsed = webhookEnvelopeSchema.safeParse(JSON.parse(row.raw_body));
    if (!parsed.success) return finish(sql, row.id, "failed", `Stored body is not a webhook envelope: ${parsed.error.message}`);
    const envelope = parsed.data;
    if (!isHandledEventType(envelope.event.event_type)) return finish(sql, row.id, "ignored", null);

    const problem = await handleIncidentEvent(sql, envelope, log);
    return finish(sql, row.id, problem ? "failed" : "processed", problem);
  });
}

async function finish(sql: SqlRunner, id: string, status: "processed" | "ignored" | "failed", error: string | null): Promise<ProcessOutcome> {
  await sql.$queryRawUnsafe(
    `UPDATE inbound_event SET status = $2::"InboundStatus", processed_at = now(), attempts = attempts + 1, last_error = $3 WHERE id = $1::bigint`,
    id,
    status,
    error,
  );
  return status;
}

interface MessageRow {
  id: string;
  slack_channel_id: string;
  slack_message_ts: string | null;
  has_extension: boolean;
  notify_acknowledge: boolean | null;
  notify_resolve: boolean | null;
  notify_escalate: boolean | null;
  notify_reassign: boolean | null;
  notify_notes: boolean | null;
}

/** Returns a reason when the event cannot be applied; null when it was. */
async function handleIncidentEvent(sql: SqlRunner, envelope: WebhookEnvelope, log: Logger): Promise<string | null> {
  const event = envelope.event;
  const occurredAt = parseOccurredAt(event.occurred_at);
  if (!occurredAt) return `event.occurred_at is missing or not a date: ${JSON.stringify(event.occurred_at ?? null)}`;

  const agent = event.agent && event.agent.type?.includes("user") ? event.agent : null;
  const action: IncidentAction = {
    action: event.event_type.replace(/^incident\./, ""),
    byName: agent?.summary ?? null,
    byPagerdutyUserId: agent?.id ?? null,
  };

  let change: AppliedChange | null;
  let noteContent: string | undefined;
  if (event.event_type === "incident.annotated") {
    const note = incidentNoteDataSchema.safeParse(event.data);
    if (!note.success) return `event.data is not an incident_note: ${note.error.issues.map((issue) => issue.path.join(".") + " " + issue.message).join("; ")}`;
    noteContent = note.data.content;
    change = await applyIncidentAction(sql, { pagerdutyIncidentId: note.data.incident.id, occurredAt, action });
    if (!change) {
      log.info({ eventId: event.id, incidentId: note.data.incident.id }, "Note on an incident Switchboard has not seen; nothing to update");
      return null;
    }
  } else {
    const data = incidentDataSchema.safeParse(event.data);
    if (!data.success) return `event.data is not an incident: ${data.error.issues.map((issue) => issue.path.join(".") + " " + issue.message).join("; ")}`;
    change = await applyIncidentState(sql, { state: stateFromWebhook(data.data), occurredAt, action });
  }

  if (event.event_type === "incident.triggered") {
    await createMessagesForNewIncident(sql, change);
  }
  await applyChannelRules(sql, { change, eventType: event.event_type, occurredAt });

  const messages = await sql.$queryRawUnsafe<MessageRow[]>(
    `SELECT m.id, m.slack_channel_id, m.slack_message_ts, e.id IS NOT NULL AS has_extension,
            e.notify_acknowledge, e.notify_resolve, e.notify_escalate, e.notify_reassign, e.notify_notes
       FROM incident_message m
       LEFT JOIN slack_extension e ON e.id = m.extension_id
      WHERE m.incident_id = $1::uuid
      ORDER BY m.created_at, m.id`,
    change.incidentId,
  );
  const changed = change.stateApplied || change.actionApplied;
  for (const message of messages) {
    if (changed || !message.slack_message_ts) {
      await enqueueJob(sql, TASKS.syncIncidentMessage, { incidentMessageId: message.id }, {
        queueName: channelQueue(message.slack_channel_id),
        jobKey: `sync:${message.id}`,
      });
    }
    // A stale event (older than the state shown) is not announced: the thread would contradict the card.
    const fresh = event.event_type === "incident.annotated" || change.stateApplied;
    if (!fresh || !isAnnounced(event.event_type, togglesOf(message))) continue;
    const text = announcementText({ eventType: event.event_type, agentName: action.byName, incident: change.snapshot, noteContent });
    // A redelivered event finds its reply already there; only a reply still pending is queued again.
    const replies = await sql.$queryRawUnsafe<{ id: string; status: string }[]>(
      `INSERT INTO thread_reply (id, incident_message_id, source_event_id, text, updated_at)
       VALUES (gen_random_uuid(), $1::uuid, $2, $3, now())
       ON CONFLICT (incident_message_id, source_event_id) DO UPDATE SET source_event_id = EXCLUDED.source_event_id
       RETURNING id, status::text AS status`,
      message.id,
      event.id,
      text,
    );
    const reply = replies[0]!;
    if (reply.status === "pending") {
      await enqueueJob(sql, TASKS.postThreadReply, { threadReplyId: reply.id }, {
        queueName: channelQueue(message.slack_channel_id),
        jobKey: `reply:${reply.id}`,
      });
    }
  }
  return null;
}

function togglesOf(row: MessageRow): UpdateToggles | null {
  if (!row.has_extension) return null;
  return {
    notifyAcknowledge: row.notify_acknowledge === true,
    notifyResolve: row.notify_resolve === true,
    notifyEscalate: row.notify_escalate === true,
    notifyReassign: row.notify_reassign === true,
    notifyNotes: row.notify_notes === true,
  };
}

/**
 * Creates one pending message per extension of the incident's service that is not disabled. A
 * second extension on the same channel shares the first one's message.
 */
async function createMessagesForNewIncident(sql: SqlRunner, change: AppliedChange): Promise<void> {
  await sql.$queryRawUnsafe(
    `INSERT INTO incident_message (id, incident_id, workspace_id, extension_id, slack_channel_id, updated_at)
     SELECT gen_random_uuid(), $1::uuid, e.workspace_id, e.id, e.slack_channel_id, now()
       FROM slack_extension e
      WHERE e.pagerduty_service_id = $2 AND e.status <> 'disabled'
      ORDER BY e.created_at
     ON CONFLICT DO NOTHING`,
    change.incidentId,
    change.snapshot.pagerdutyServiceId,
  );
}

export function stateFromWebhook(data: IncidentData): IncidentState {
  return {
    pagerdutyIncidentId: data.id,
    number: data.number,
    title: data.title,
    status: data.status,
    urgency: data.urgency,
    priority: data.priority?.summary ?? null,
    pagerdutyServiceId: data.service.id,
    serviceName: data.service.summary ?? data.service.id,
    assignees: (data.assignees ?? []).map((assignee) => ({ id: assignee.id, summary: assignee.summary ?? assignee.id })),
    escalationPolicyId: data.escalation_policy?.id ?? null,
    escalationPolicyName: data.escalation_policy?.summary ?? null,
    htmlUrl: data.html_url,
  };
}

function parseOccurredAt(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
