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
  job?: {
    task: TaskName;
    queueName?: string | null;
    maxAttempts?: number;
    /**
     * Whether a waiting job covers this event, for tasks whose job applies every pending event from
     * its own ids on (the PagerDuty drain). While a job of the same task and queue waits and is due,
     * no job is added, because that job starts after this event is stored.
     */
    coalesce?: boolean;
  };
}

export interface StoreInboundEventResult {
  /** False when an event with this id was stored before: the caller acknowledges it and stops. */
  stored: boolean;
}

/**
 * Writes that may run at once per pool. While they run, new events wait and then go together in
 * one statement. Two let one group be sent while the previous one commits.
 */
const MAX_WRITES_IN_FLIGHT = 2;
/** Maximum number of events in one statement; a larger backlog is split across statements. */
const MAX_GROUP_SIZE = 100;

/**
 * Stores an inbound event and queues its processing in one statement, so that both commit
 * together before the request is acknowledged. This is the whole of the work on the ack path.
 *
 * Events that arrive while earlier writes are in flight are stored together in the next statement
 * (group commit). That statement is one INSERT of all rows and one graphile_worker.add_jobs call,
 * so one commit, one WAL flush and one NOTIFY serve the whole group. PostgreSQL serialises the
 * commits of transactions that NOTIFY, so one statement per event capped the ack rate under
 * concurrency. A lone event is sent at once, without waiting for company.
 *
 * The events of a group that share a task, queue and attempt limit get one job, whose payload
 * lists their ids in arrival order (`{ inboundEventIds }`). Under load the worker then fetches,
 * locks and completes one job for a group instead of one per event, because fetching a job was
 * most of PostgreSQL's work per event. A lone event gets a job of its own.
 *
 * A coalescing job (`job.coalesce`) is added only when no job of its task and queue waits and is
 * due. The statement then locks that waiting job's row (FOR KEY SHARE), and graphile-worker's
 * fetch skips locked rows, so the job cannot start before this statement commits and its drain reads
 * these events. During a flood, while one drain runs, the queue therefore holds one waiting job
 * instead of thousands, each of which every job fetch would step over.
 *
 * Jobs of one group are queued in input order. Events sent one after another (the next only after
 * the previous was acknowledged, as PagerDuty sends one incident's webhooks) keep their order;
 * events sent at the same time never had one.
 */
export function storeInboundEvent(pool: Pool, input: StoreInboundEventInput): Promise<StoreInboundEventResult> {
  return writerFor(pool).store(input);
}

interface Waiting {
  input: StoreInboundEventInput;
  resolve: (result: StoreInboundEventResult) => void;
  reject: (error: unknown) => void;
}

/** Per-pool writers live on globalThis, because Next.js can bundle this module into several route chunks. */
const writersKey = Symbol.for("switchboard.inbox.writers");
const writers: WeakMap<Pool, InboxWriter> = ((globalThis as Record<symbol, WeakMap<Pool, InboxWriter> | undefined>)[writersKey] ??= new WeakMap());

function writerFor(pool: Pool): InboxWriter {
  let writer = writers.get(pool);
  if (!writer) {
    writer = new InboxWriter(pool);
    writers.set(pool, writer);
  }
  return writer;
}

class InboxWriter {
  private waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(private readonly pool: Pool) {}

  store(input: StoreInboundEventInput): Promise<StoreInboundEventResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.sendWaiting();
    });
  }

  private sendWaiting(): void {
    while (this.inFlight < MAX_WRITES_IN_FLIGHT && this.waiting.length > 0) {
      const group = this.waiting.splice(0, MAX_GROUP_SIZE);
      this.inFlight += 1;
      storeGroup(this.pool, group.map((entry) => entry.input))
        .then(
          (results) => group.forEach((entry, index) => entry.resolve(results[index]!)),
          // A failed statement stored nothing of its group, so every request in it fails alike.
          (error: unknown) => group.forEach((entry) => entry.reject(error)),
        )
        .finally(() => {
          this.inFlight -= 1;
          this.sendWaiting();
        });
    }
  }
}

/** Stores a group of events and queues their jobs in one statement. Results are in input order. */
async function storeGroup(pool: Pool, inputs: StoreInboundEventInput[]): Promise<StoreInboundEventResult[]> {
  // Two requests in one group for the same event: the first is stored, the second is its duplicate.
  const keyOf = (input: StoreInboundEventInput) => `${input.source}\u0000${input.externalId}`;
  const firstIndexOf = new Map<string, number>();
  inputs.forEach((input, index) => {
    if (!firstIndexOf.has(keyOf(input))) firstIndexOf.set(keyOf(input), index);
  });
  const unique = inputs.filter((input, index) => firstIndexOf.get(keyOf(input)) === index);

  const result = await pool.query<{ source: string; external_id: string }>({
    name: "store_inbound_events",
    text: `WITH input AS (
             SELECT *
               FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[], $10::boolean[])
                    WITH ORDINALITY AS input(source, external_id, delivery_id, event_type, raw_body, status, task, queue_name, max_attempts, coalesce, position)
           ), inserted AS (
             INSERT INTO inbound_event (source, external_id, delivery_id, event_type, raw_body, status)
             SELECT source::"InboundSource", external_id, delivery_id, event_type, raw_body, status::"InboundStatus"
               FROM input
              ORDER BY position
             ON CONFLICT (source, external_id) DO NOTHING
             RETURNING id, source::text AS source, external_id
           ), batches AS (
             SELECT input.task, input.queue_name, input.max_attempts, bool_and(input.coalesce) AS coalesce,
                    array_agg(inserted.id::text ORDER BY input.position) AS ids, min(input.position) AS first_position
               FROM inserted
               JOIN input ON input.source = inserted.source AND input.external_id = inserted.external_id
              WHERE input.task IS NOT NULL
              GROUP BY input.task, input.queue_name, input.max_attempts
           ), covered AS MATERIALIZED (
             SELECT batches.task, batches.queue_name
               FROM batches
              CROSS JOIN LATERAL (
                      SELECT jobs.id
                        FROM graphile_worker._private_jobs AS jobs
                        JOIN graphile_worker._private_tasks AS tasks ON tasks.id = jobs.task_id
                        JOIN graphile_worker._private_job_queues AS queues ON queues.id = jobs.job_queue_id
                       WHERE batches.coalesce
                         AND tasks.identifier = batches.task
                         AND queues.queue_name = batches.queue_name
                         AND jobs.is_available
                         AND jobs.run_at <= now()
                       LIMIT 1
                         FOR KEY SHARE OF jobs SKIP LOCKED
                    ) AS waiting
           ), specs AS (
             SELECT array_agg(
                      ROW(task, json_build_object('inboundEventIds', ids), queue_name,
                          NULL::timestamptz, max_attempts, NULL::text, NULL::int, NULL::text[])::graphile_worker.job_spec
                      ORDER BY first_position) AS specs
               FROM batches
              WHERE NOT EXISTS (SELECT 1 FROM covered WHERE covered.task = batches.task AND covered.queue_name = batches.queue_name)
           ), queued AS (
             SELECT count(*) AS jobs FROM specs, graphile_worker.add_jobs(specs.specs) WHERE specs.specs IS NOT NULL
           )
           SELECT inserted.source, inserted.external_id, (SELECT jobs FROM queued) AS jobs FROM inserted`,
    values: [
      unique.map((input) => input.source),
      unique.map((input) => input.externalId),
      unique.map((input) => input.deliveryId ?? null),
      unique.map((input) => input.eventType),
      unique.map((input) => input.rawBody),
      unique.map((input) => (input.job ? "pending" : "ignored")),
      unique.map((input) => input.job?.task ?? null),
      unique.map((input) => input.job?.queueName ?? null),
      unique.map((input) => input.job?.maxAttempts ?? MAX_ATTEMPTS),
      unique.map((input) => input.job?.coalesce === true),
    ],
  });

  const storedKeys = new Set(result.rows.map((row) => `${row.source}\u0000${row.external_id}`));
  return inputs.map((input, index) => ({ stored: firstIndexOf.get(keyOf(input)) === index && storedKeys.has(keyOf(input)) }));
}
