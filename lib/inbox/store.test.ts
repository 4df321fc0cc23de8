import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../tests/support/database";
import { TASKS } from "../queue/jobs";
import { installJobQueue } from "../queue/worker";
import { storeInboundEvent, type StoreInboundEventInput } from "./store";

let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  await installJobQueue(database.url);
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

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

async function jobsFor(externalIds: string[]): Promise<{ external_id: string; queue_name: string | null; max_attempts: number }[]> {
  const result = await pool.query<{ external_id: string; queue_name: string | null; max_attempts: number }>(
    // The public jobs view leaves the payload out, so this reads graphile-worker's own tables.
    `SELECT event.external_id, queues.queue_name, jobs.max_attempts
       FROM graphile_worker._private_jobs AS jobs
       LEFT JOIN graphile_worker._private_job_queues AS queues ON queues.id = jobs.job_queue_id
       JOIN inbound_event AS event ON event.id = (jobs.payload->>'inboundEventId')::bigint
      WHERE event.external_id = ANY($1::text[])
      ORDER BY jobs.id`,
    [externalIds],
  );
  return result.rows;
}

describe("storeInboundEvent", () => {
  it("stores one event and queues its job", async () => {
    const id = `single-${randomBytes(4).toString("hex")}`;
    expect(await storeInboundEvent(pool, webhook(id, "incident-7"))).toEqual({ stored: true });

    const rows = await pool.query(`SELECT status::text AS status, delivery_id FROM inbound_event WHERE external_id = $1`, [id]);
    expect(rows.rows).toEqual([{ status: "pending", delivery_id: `delivery-${id}` }]);
    expect(await jobsFor([id])).toEqual([{ external_id: id, queue_name: "incident-7", max_attempts: 12 }]);
  });

  it("reports a stored event's second delivery as a duplicate", async () => {
    const id = `again-${randomBytes(4).toString("hex")}`;
    expect(await storeInboundEvent(pool, webhook(id))).toEqual({ stored: true });
    expect(await storeInboundEvent(pool, webhook(id))).toEqual({ stored: false });
    expect(await jobsFor([id])).toHaveLength(1);
  });

  it("stores concurrent events once each, in groups", async () => {
    const ids = Array.from({ length: 250 }, (_, index) => `burst-${index}-${randomBytes(3).toString("hex")}`);
    // Every tenth event is sent twice at once, so some duplicates share a group with their original.
    const inputs = ids.flatMap((id, index) => (index % 10 === 0 ? [webhook(id), webhook(id)] : [webhook(id)]));
    const results = await Promise.all(inputs.map((input) => storeInboundEvent(pool, input)));

    expect(results.filter((result) => result.stored)).toHaveLength(ids.length);
    for (const id of ids) {
      const storedFlags = inputs.flatMap((input, index) => (input.externalId === id ? [results[index]!.stored] : []));
      expect(storedFlags.filter(Boolean), `exactly one request for ${id} is reported stored`).toHaveLength(1);
    }
    const count = await pool.query<{ count: string }>(`SELECT count(*) FROM inbound_event WHERE external_id = ANY($1::text[])`, [ids]);
    expect(Number(count.rows[0]!.count)).toBe(ids.length);
    expect(await jobsFor(ids)).toHaveLength(ids.length);
  });

  it("stores an event without a job as ignored and queues nothing", async () => {
    const id = `ignored-${randomBytes(4).toString("hex")}`;
    const results = await Promise.all([
      storeInboundEvent(pool, { ...webhook(id), job: undefined, eventType: "service.updated" }),
      storeInboundEvent(pool, webhook(`${id}-handled`)),
    ]);
    expect(results).toEqual([{ stored: true }, { stored: true }]);

    const rows = await pool.query(`SELECT external_id, status::text AS status FROM inbound_event WHERE external_id LIKE $1 ORDER BY external_id`, [`${id}%`]);
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
    const rows = await pool.query(`SELECT id FROM inbound_event WHERE external_id IN ('fails-1', 'fails-2')`);
    expect(rows.rows).toEqual([]);
  });
});
