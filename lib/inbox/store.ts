import type { Pool } from "pg";
import type { TaskName } from "../queue/jobs";
import { MAX_ATTEMPTS } from "../queue/jobs";

export type InboundSourceName = "pagerduty_webhook" | "slack_interaction" | "slack_event" | "slack_command";

export interface StoreInboundEventInput {
  source: InboundSourceName;
  /** The sender's unique id of the event; a second event with the same id is a duplicate. */
  externalId: string;
  deliveryId?: string | null;
  eventType: string;
  rawBody: string;
  /** The job that processes the event; omitted for events that are stored but ignored. */
  job?: { task: TaskName; queueName?: string | null; maxAttempts?: number };
}

export interface StoreInboundEventResult {
  /** False when an event with this id was stored before: the caller acknowledges it and stops. */
  stored: boolean;
}

/**
 * Stores an inbound event and queues its processing in one statement, so that both commit
 * together before the request is acknowledged. This is the whole of the work on the ack path.
 */
export async function storeInboundEvent(pool: Pool, input: StoreInboundEventInput): Promise<StoreInboundEventResult> {
  const result = await pool.query<{ id: string | null }>({
    name: "store_inbound_event",
    text: `WITH inserted AS (
             INSERT INTO inbound_event (source, external_id, delivery_id, event_type, raw_body, status)
             VALUES ($1::"InboundSource", $2, $3, $4, $5, $6::"InboundStatus")
             ON CONFLICT (source, external_id) DO NOTHING
             RETURNING id
           ), queued AS (
             SELECT graphile_worker.add_job(
               identifier => $7::text,
               payload => json_build_object('inboundEventId', inserted.id::text),
               queue_name => $8::text,
               max_attempts => $9::int
             ) AS job
             FROM inserted
             WHERE $7::text IS NOT NULL
           )
           SELECT (SELECT id::text FROM inserted) AS id, (SELECT count(*) FROM queued) AS queued`,
    values: [
      input.source,
      input.externalId,
      input.deliveryId ?? null,
      input.eventType,
      input.rawBody,
      input.job ? "pending" : "ignored",
      input.job?.task ?? null,
      input.job?.queueName ?? null,
      input.job?.maxAttempts ?? MAX_ATTEMPTS,
    ],
  });
  return { stored: result.rows[0]?.id != null };
}
