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
import { addChannelDelivery, JobBatch, type SqlRunner } from "../queue/jobs";
import { applyIncidentAction, applyIncidentState, type AppliedChange, type IncidentAction, type IncidentState } from "./apply-change";
import { announcementText, isAnnounced, type UpdateToggles } from "./announcements";

interface InboundRow {
  id: string;
  attempts: number;
  raw_body: string;
}

export type ProcessOutcome = "processed" | "ignored" | "failed";

/** Events processed in one transaction. */
const BATCH_SIZE = 200;

export interface DrainOutcome {
  /** Events that were applied, ignored or recorded as failed. */
  done: number;
  /** Events whose processing threw and that stay pending, with the attempts they have used. */
  errors: { inboundEventId: string; attempts: number; error: unknown }[];
}

/**
 * Applies stored PagerDuty webhook events in the order stored: the pending ones among
 * `inboundEventIds`, or without it every pending event from `fromId` on. For each, updates the incident, creates
 * the Slack messages of a new incident, and queues their edits and thread replies. Events are taken
 * in batches, each processed in one transaction with its inbox rows locked, so an event takes
 * effect once and a batch costs one commit and one job insert. Each event runs after a savepoint:
 * one that throws is rolled back alone and counts an attempt, and it stays pending for the caller
 * to try again, until its attempts run out and it is recorded as failed. Every statement is SQL on
 * the worker's pool rather than a Prisma query, because it runs for every event.
 */
export async function drainPagerDutyEvents(input: {
  pool: Pool;
  log: Logger;
  maxAttempts: number;
  inboundEventIds?: string[];
  /** Without `inboundEventIds`: the lowest inbox id to look at, so that the scan skips older rows. */
  fromId?: string;
  batchSize?: number;
  /**
   * Returns the number of events the next batch may take, at most `batchSize`, and is awaited
   * before each batch. The worker paces the drain with it during a flood (StormPace).
   */
  nextBatchSize?: (batchSize: number) => Promise<number>;
  /**
   * Ends the drain before its next batch, as on a graceful shutdown. The events left pending are
   * applied by their own jobs, or by the job the worker queues when it starts.
   */
  signal?: AbortSignal;
}): Promise<DrainOutcome> {
  const batchSize = input.batchSize ?? BATCH_SIZE;
  const outcome: DrainOutcome = { done: 0, errors: [] };
  const nextBatchSize = input.nextBatchSize ?? (async (size: number) => size);
  if (input.inboundEventIds) {
    for (let start = 0; start < input.inboundEventIds.length; ) {
      const size = await nextBatchSize(batchSize);
      if (input.signal?.aborted) return outcome;
      const ids = input.inboundEventIds.slice(start, start + size);
      start += size;
      await processBatch(input, outcome, (sql) =>
        sql.$queryRawUnsafe<InboundRow[]>(
          `SELECT id::text AS id, attempts, raw_body
             FROM inbound_event
            WHERE id = ANY($1::bigint[]) AND status = 'pending'
            ORDER BY inbound_event.id
              FOR UPDATE`,
          ids,
        ),
      );
    }
    return outcome;
  }
  // Every pending event, batch after batch along the primary key. Each batch starts after the
  // last one, which also leaves out the events that failed in this call.
  let fromId = input.fromId ?? "0";
  for (;;) {
    let lastId: string | null = null;
    const size = await nextBatchSize(batchSize);
    if (input.signal?.aborted) return outcome;
    const claimed = await processBatch(input, outcome, async (sql) => {
      const rows = await sql.$queryRawUnsafe<InboundRow[]>(
        `SELECT id::text AS id, attempts, raw_body
           FROM inbound_event
          WHERE id >= $1::bigint AND status = 'pending' AND source = 'pagerduty_webhook'
          ORDER BY inbound_event.id
          LIMIT $2
            FOR UPDATE SKIP LOCKED`,
        fromId,
        size,
      );
      lastId = rows.at(-1)?.id ?? null;
      return rows;
    });
    if (claimed < size || lastId === null) return outcome;
    fromId = (BigInt(lastId) + 1n).toString();
  }
}

/** Applies the events `claim` locks, in one transaction. Returns how many it claimed. */
async function processBatch(
  input: { pool: Pool; log: Logger; maxAttempts: number },
  outcome: DrainOutcome,
  claim: (sql: SqlRunner) => Promise<InboundRow[]>,
): Promise<number> {
  const { log } = input;
  // The batch's commit does not wait for the flush to disk. Its events are stored durably, so a
  // batch lost in a PostgreSQL crash is applied again. What a batch leads to outside the database
  // is recorded by a later durable commit (a message's ts after chat.postMessage), whose flush
  // includes this batch. So a crash can undo a batch that posted a message only in the window
  // that exists anyway between chat.postMessage and storing its ts (see lib/slack/deliver.ts).
  return withTransaction(input.pool, async (sql, transaction) => {
    const rows = await claim(sql);
    const jobs = new JobBatch();
    for (const row of rows) {
      const eventJobs = new JobBatch();
      try {
        await transaction.savepoint(() => applyEvent(sql, row, eventJobs, log));
        jobs.append(eventJobs);
        outcome.done += 1;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const attempts = row.attempts + 1;
        const lastAttempt = attempts >= input.maxAttempts;
        await sql.$queryRawUnsafe(
          `UPDATE inbound_event
              SET attempts = attempts + 1, last_error = $2,
                  status = CASE WHEN $3::boolean THEN 'failed'::"InboundStatus" ELSE status END,
                  processed_at = CASE WHEN $3::boolean THEN now() ELSE processed_at END
            WHERE id = $1::bigint`,
          row.id,
          lastAttempt ? `Gave up after ${attempts} attempts: ${reason}` : reason,
          lastAttempt,
        );
        if (lastAttempt) {
          log.error({ inboundEventId: row.id, reason }, "PagerDuty event failed on its last attempt");
          outcome.done += 1;
        } else {
          log.warn({ inboundEventId: row.id, attempts, reason }, "PagerDuty event failed; it will be tried again");
          outcome.errors.push({ inboundEventId: row.id, attempts, error });
        }
      }
    }
    await jobs.addTo(sql);
    return rows.length;
  }, { waitForFlush: false });
}

async function applyEvent(sql: SqlRunner, row: InboundRow, jobs: JobBatch, log: Logger): Promise<ProcessOutcome> {
  const parsed = webhookEnvelopeSchema.safeParse(JSON.parse(row.raw_body));
  if (!parsed.success) return finish(sql, row.id, "failed", `Stored body is not a webhook envelope: ${parsed.error.message}`);
  const envelope = parsed.data;
  if (!isHandledEventType(envelope.event.event_type)) return finish(sql, row.id, "ignored", null);

  const problem = await handleIncidentEvent(sql, envelope, jobs, log);
  return finish(sql, row.id, problem ? "failed" : "processed", problem);
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
async function handleIncidentEvent(sql: SqlRunner, envelope: WebhookEnvelope, jobs: JobBatch, log: Logger): Promise<string | null> {
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
      addChannelDelivery(jobs, message.slack_channel_id, { incidentMessageId: message.id });
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
      addChannelDelivery(jobs, message.slack_channel_id, { threadReplyId: reply.id });
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
