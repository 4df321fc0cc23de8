import { describe, expect, it } from "vitest";
import { useJobQueueDatabase } from "../../tests/support/database";
import { storeInboundEvent } from "./store";
import { newestInboxId, STORM_APPLIED_PER_SECOND, STORM_EVENTS_PER_SECOND, STORM_MAX_BATCH, STORM_MIN_BATCH, StormPace } from "./storm-pace";

/** Builds a StormPace on a clock and an inbox newest id that the test moves. */
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
  it("ordinary rate: full batches, no wait", async () => {
    const { pace, advance, sleeps } = harness();
    for (let batch = 0; batch < 20; batch++) {
      expect(await pace.nextBatchSize(200)).toBe(200);
      advance(300, 10);
    }
    expect(pace.isFlooded).toBe(false);
    expect(sleeps).toEqual([]);
  });

  it("flood: a burst, then the limited rate", async () => {
    const { pace, advance, sleeps } = harness();
    expect(await pace.nextBatchSize(200)).toBe(200);
    // 250 ms later, 100 more events: 400 a second. The allowance is full, so a burst goes at once.
    advance(250, 100);
    expect(await pace.nextBatchSize(200)).toBe(STORM_MAX_BATCH);
    expect(pace.isFlooded).toBe(true);
    expect(sleeps).toEqual([]);

    // The allowance is spent: the next batch waits until STORM_MIN_BATCH events are allowed.
    advance(100, 100);
    expect(await pace.nextBatchSize(200)).toBe(STORM_MIN_BATCH);
    const expectedWait = ((STORM_MIN_BATCH - STORM_APPLIED_PER_SECOND / 10) * 1000) / STORM_APPLIED_PER_SECOND;
    expect(sleeps).toEqual([expectedWait]);
    expect(pace.waitedMs).toBe(expectedWait);

    // Over ten seconds of flood, the batches take no more than the rate allows.
    let taken = 0;
    const started = pace.waitedMs;
    for (let batch = 0; batch < 20; batch++) {
      advance(10, 200);
      taken += await pace.nextBatchSize(200);
    }
    const seconds = (pace.waitedMs - started + 20 * 10) / 1000;
    expect(taken).toBeLessThanOrEqual(Math.ceil(seconds * STORM_APPLIED_PER_SECOND) + 1);
    expect(taken).toBeGreaterThanOrEqual(20 * STORM_MIN_BATCH - 1);
  });

  it("flood ends: full batches again", async () => {
    const { pace, advance } = harness();
    await pace.nextBatchSize(200);
    advance(250, 100);
    await pace.nextBatchSize(200);
    expect(pace.isFlooded).toBe(true);

    advance(300, 0);
    expect(await pace.nextBatchSize(200)).toBe(200);
    expect(pace.isFlooded).toBe(false);
  });

  it("flood threshold: above, not at", async () => {
    const { pace, advance } = harness();
    await pace.nextBatchSize(200);
    advance(1_000, STORM_EVENTS_PER_SECOND);
    await pace.nextBatchSize(200);
    expect(pace.isFlooded).toBe(false);
    advance(1_000, STORM_EVENTS_PER_SECOND + 1);
    await pace.nextBatchSize(200);
    expect(pace.isFlooded).toBe(true);
  });

  it("stale sample: no verdict", async () => {
    const { pace, advance } = harness();
    await pace.nextBatchSize(200);
    // A minute's events counted at once would look like a flood if spread over a short window.
    advance(60_000, 20_000);
    expect(await pace.nextBatchSize(200)).toBe(200);
    expect(pace.isFlooded).toBe(false);
  });
});

describe("newestInboxId", () => {
  const database = useJobQueueDatabase();

  it("empty inbox, then newest id", async () => {
    const pool = database.pool;
    const read = newestInboxId(pool);
    expect(await read()).toBe(0n);
    for (const externalId of ["P-NEWEST-1", "P-NEWEST-2"]) {
      await storeInboundEvent(pool, { source: "pagerduty_webhook", externalId, deliveryId: null, eventType: "incident.annotated", rawBody: "{}" });
    }
    const stored = await pool.query<{ id: string }>(`SELECT max(id)::text AS id FROM inbound_event WHERE external_id = 'P-NEWEST-2'`);
    expect(await read()).toBe(BigInt(stored.rows[0]!.id));
  });
});
