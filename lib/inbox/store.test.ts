import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { useJobQueueDatabase } from "../../tests/support/database";
import { TASKS } from "../queue/jobs";
import { storeInboundEvent, type StoreInboundEventInput } from "./store";

const database = useJobQueueDatabase({ maxConnections: 4 });

function webhook(externalId: string, queueName: string | null = null): StoreInboundEventInput {
  return {
    source: "pagerduty_webhook",
    externalId,
    deliveryId: `delivery-${externalId}`,
    eventType: "incident.triggered",
    rawBody: JSON.stringify({ event: { id: externalId } }),
    job: { task: TASKS.processPagerDutyEvent, queueName },
  };
}

interface EventJob {
  external_id: string;
  job_id: string;
  queue_name: string | null;
  max_attempts: number;
}

/** Lists each event with the job that lists it, in the order of the jobs and of their lists. */
async function jobsFor(externalIds: string[]): Promise<EventJob[]> {
  const result = await database.pool.query<EventJob>(
    // The public jobs view leaves the payload out, so this reads graphile-worker's own tables.
    `SELECT event.external_id, jobs.id::text AS job_id, queues.queue_name, jobs.max_attempts
       FROM graphile_worker._private_jobs AS jobs
       LEFT JOIN graphile_worker._private_job_queues AS queues ON queues.id = jobs.job_queue_id
       CROSS JOIN LATERAL json_array_elements_text(jobs.payload->'inboundEventIds') WITH ORDINALITY AS listed(id, position)
       JOIN inbound_event AS event ON event.id = listed.id::bigint
      WHERE event.external_id = ANY($1::text[])
      ORDER BY jobs.id, listed.position`,
    [externalIds],
  );
  return result.rows;
}

describe("storeInboundEvent", () => {
  it("stores one event and queues its job", async () => {
    const id = `single-${randomBytes(4).toString("hex")}`;
    expect(await storeInboundEvent(database.pool, webhook(id, "pagerduty-events"))).toEqual({ stored: true });

    const rows = await database.pool.query(`SELECT status::text AS status, delivery_id FROM inbound_event WHERE external_id = $1`, [id]);
    expect(rows.rows).toEqual([{ status: "pending", delivery_id: `delivery-${id}` }]);
    expect(await jobsFor([id])).toEqual([{ external_id: id, job_id: expect.any(String), queue_name: "pagerduty-events", max_attempts: 12 }]);
  });

  it("reports a stored event's second delivery as a duplicate", async () => {
    const id = `again-${randomBytes(4).toString("hex")}`;
    expect(await storeInboundEvent(database.pool, webhook(id))).toEqual({ stored: true });
    expect(await storeInboundEvent(database.pool, webhook(id))).toEqual({ stored: false });
    expect(await jobsFor([id])).toHaveLength(1);
  });

  it("stores concurrent events once each, in groups", async () => {
    const ids = Array.from({ length: 250 }, (_, index) => `burst-${index}-${randomBytes(3).toString("hex")}`);
    // Every tenth event is sent twice at once, so some duplicates share a group with their original.
    const inputs = ids.flatMap((id, index) => (index % 10 === 0 ? [webhook(id), webhook(id)] : [webhook(id)]));
    const results = await Promise.all(inputs.map((input) => storeInboundEvent(database.pool, input)));

    expect(results.filter((result) => result.stored)).toHaveLength(ids.length);
    for (const id of ids) {
      const storedFlags = inputs.flatMap((input, index) => (input.externalId === id ? [results[index]!.stored] : []));
      expect(storedFlags.filter(Boolean), `exactly one request for ${id} is reported stored`).toHaveLength(1);
    }
    const count = await database.pool.query<{ count: string }>(`SELECT count(*) FROM inbound_event WHERE external_id = ANY($1::text[])`, [ids]);
    expect(Number(count.rows[0]!.count)).toBe(ids.length);
    // Each event is listed by exactly one job, and events stored together share one.
    const jobs = await jobsFor(ids);
    expect(jobs.map((job) => job.external_id).sort()).toEqual([...ids].sort());
    expect(new Set(jobs.map((job) => job.job_id)).size).toBeLessThan(ids.length);
  });

  it("lists a group's events in one job per queue, in the order they arrived", async () => {
    const ids = Array.from({ length: 40 }, (_, index) => `order-${String(index).padStart(2, "0")}-${randomBytes(3).toString("hex")}`);
    const queueOf = (index: number) => (index % 2 === 0 ? "queue-even" : "queue-odd");
    // Sent at once, the first ones go alone and the rest wait for them, so they form a large group.
    await Promise.all(ids.map((id, index) => storeInboundEvent(database.pool, webhook(id, queueOf(index)))));

    const jobs = await jobsFor(ids);
    expect(jobs.map((job) => job.external_id).sort(), "each event is listed by one job").toEqual([...ids].sort());
    const jobIds = [...new Set(jobs.map((job) => job.job_id))];
    expect(jobIds.length).toBeLessThan(ids.length / 2);
    for (const jobId of jobIds) {
      const listed = jobs.filter((job) => job.job_id === jobId);
      const indexes = listed.map((job) => ids.indexOf(job.external_id));
      expect(indexes, "a job lists its events in arrival order").toEqual([...indexes].sort((a, b) => a - b));
      expect(new Set(listed.map((job) => job.queue_name)), "a job holds the events of one queue").toEqual(new Set([queueOf(indexes[0]!)]));
      expect(indexes.every((index) => queueOf(index) === listed[0]!.queue_name)).toBe(true);
    }
  });

  it("coalescing: one waiting job covers later events", async () => {
    const queue = `coalesce-${randomBytes(3).toString("hex")}`;
    const event = (name: string): StoreInboundEventInput => {
      const input = webhook(`${name}-${randomBytes(3).toString("hex")}`, queue);
      return { ...input, job: { ...input.job!, coalesce: true } };
    };
    const jobsInQueue = async () =>
      (
        await database.pool.query<{ id: string; locked: boolean }>(
          `SELECT jobs.id::text AS id, jobs.locked_at IS NOT NULL AS locked
             FROM graphile_worker._private_jobs AS jobs
             JOIN graphile_worker._private_job_queues AS queues ON queues.id = jobs.job_queue_id
            WHERE queues.queue_name = $1
            ORDER BY jobs.id`,
          [queue],
        )
      ).rows;

    const first = event("first");
    await storeInboundEvent(database.pool, first);
    const [waiting] = await jobsInQueue();
    expect(waiting).toEqual({ id: expect.any(String), locked: false });

    // While that job waits and is due, later events add no job: it drains them too.
    const later = [event("second"), event("third")];
    for (const input of later) {
      expect(await storeInboundEvent(database.pool, input)).toEqual({ stored: true });
    }
    expect(await jobsInQueue()).toEqual([waiting]);
    expect((await jobsFor([first.externalId, ...later.map((input) => input.externalId)])).map((job) => job.external_id)).toEqual([first.externalId]);

    // Once it has started, the next event queues a job of its own.
    await database.pool.query(`UPDATE graphile_worker._private_jobs SET locked_at = now(), locked_by = 'store-test' WHERE id = $1::bigint`, [waiting!.id]);
    const afterStart = event("after-start");
    await storeInboundEvent(database.pool, afterStart);
    const jobs = await jobsInQueue();
    expect(jobs).toHaveLength(2);
    expect(await jobsFor([afterStart.externalId])).toEqual([{ external_id: afterStart.externalId, job_id: jobs[1]!.id, queue_name: queue, max_attempts: 12 }]);

    // A job that waits for a later time (a retry) does not cover new events either.
    await database.pool.query(`UPDATE graphile_worker._private_jobs SET run_at = now() + interval '1 hour' WHERE id = $1::bigint`, [jobs[1]!.id]);
    const whileRetrying = event("while-retrying");
    await storeInboundEvent(database.pool, whileRetrying);
    expect(await jobsInQueue()).toHaveLength(3);
  });

  it("stores an event without a job as ignored and queues nothing", async () => {
    const id = `ignored-${randomBytes(4).toString("hex")}`;
    const results = await Promise.all([
      storeInboundEvent(database.pool, { ...webhook(id), job: undefined, eventType: "service.updated" }),
      storeInboundEvent(database.pool, webhook(`${id}-handled`)),
    ]);
    expect(results).toEqual([{ stored: true }, { stored: true }]);

    const rows = await database.pool.query(`SELECT external_id, status::text AS status FROM inbound_event WHERE external_id LIKE $1 ORDER BY external_id`, [`${id}%`]);
    expect(rows.rows).toEqual([
      { external_id: id, status: "ignored" },
      { external_id: `${id}-handled`, status: "pending" },
    ]);
    expect(await jobsFor([id])).toEqual([]);
    expect(await jobsFor([`${id}-handled`])).toHaveLength(1);
  });

  it("rejects the request when the statement fails", async () => {
    const closed = new pg.Pool({ connectionString: database.url, max: 1 });
    await closed.end();
    const results = await Promise.allSettled([storeInboundEvent(closed, webhook("fails-1")), storeInboundEvent(closed, webhook("fails-2"))]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    const rows = await database.pool.query(`SELECT id FROM inbound_event WHERE external_id IN ('fails-1', 'fails-2')`);
    expect(rows.rows).toEqual([]);
  });
});
