import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../tests/support/database";
import { installJobQueue } from "../queue/worker";
import { storeInboundEvent } from "./store";
import { newestInboxId, STORM_BATCH_INTERVAL_MS, STORM_EVENTS_PER_SECOND, StormPace } from "./storm-pace";

/** A clock the test moves, and an inbox whose newest id the test sets. */
function harness() {
  let now = 1_000_000;
  let newestId = 0n;
  const sleeps: number[] = [];
  const pace = new StormPace({
    readNewestId: async () => newestId,
    now: () => now,
    sleep: async (milliseconds) => {
      sleeps.push(milliseconds);
      now += milliseconds;
    },
  });
  return {
    pace,
    sleeps,
    advance(milliseconds: number, arrivals: number) {
      now += milliseconds;
      newestId += BigInt(arrivals);
    },
  };
}

describe("StormPace", () => {
  it("ordinary rate: no wait", async () => {
    const { pace, advance, sleeps } = harness();
    for (let batch = 0; batch < 20; batch++) {
      expect(await pace.beforeBatch()).toBe(0);
      advance(300, 10);
    }
    expect(pace.isFlooded).toBe(false);
    expect(sleeps).toEqual([]);
  });

  it("flood: one batch per interval", async () => {
    const { pace, advance, sleeps } = harness();
    expect(await pace.beforeBatch()).toBe(0);
    // 250 ms later, 100 more events: 400 a second.
    advance(250, 100);
    const waited = await pace.beforeBatch();
    expect(pace.isFlooded).toBe(true);
    expect(waited).toBe(STORM_BATCH_INTERVAL_MS - 250);
    expect(sleeps).toEqual([STORM_BATCH_INTERVAL_MS - 250]);

    // The batch took 300 ms and the flood goes on: the next batch starts an interval after this one.
    advance(300, 400);
    expect(await pace.beforeBatch()).toBe(STORM_BATCH_INTERVAL_MS - 300);

    // The flood ends: the next measurement sees no arrivals and the drain runs without waiting.
    advance(300, 0);
    expect(await pace.beforeBatch()).toBe(0);
    expect(pace.isFlooded).toBe(false);
    advance(300, 0);
    expect(await pace.beforeBatch()).toBe(0);
  });

  it("flood threshold: above, not at", async () => {
    const { pace, advance } = harness();
    await pace.beforeBatch();
    advance(1_000, STORM_EVENTS_PER_SECOND);
    await pace.beforeBatch();
    expect(pace.isFlooded).toBe(false);
    advance(1_000, STORM_EVENTS_PER_SECOND + 1);
    await pace.beforeBatch();
    expect(pace.isFlooded).toBe(true);
  });

  it("stale sample: no verdict", async () => {
    const { pace, advance } = harness();
    await pace.beforeBatch();
    // A minute's events counted at once would look like a flood if spread over a short window.
    advance(60_000, 20_000);
    expect(await pace.beforeBatch()).toBe(0);
    expect(pace.isFlooded).toBe(false);
  });
});

describe("newestInboxId", () => {
  let database: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    await installJobQueue(database.url);
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it("empty inbox, then newest id", async () => {
    const read = newestInboxId(pool);
    expect(await read()).toBe(0n);
    for (const externalId of ["P-NEWEST-1", "P-NEWEST-2"]) {
      await storeInboundEvent(pool, { source: "pagerduty_webhook", externalId, deliveryId: null, eventType: "incident.annotated", rawBody: "{}" });
    }
    const stored = await pool.query<{ id: string }>(`SELECT max(id)::text AS id FROM inbound_event WHERE external_id = 'P-NEWEST-2'`);
    expect(await read()).toBe(BigInt(stored.rows[0]!.id));
  });
});
