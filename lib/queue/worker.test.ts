import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../tests/support/database";
import { makeWorkerUtils } from "graphile-worker";
import { installJobQueue, startWorker, unlockJobsOfStoppedWorkers, type RunningWorker } from "./worker";

let database: TestDatabase;
let pool: pg.Pool;
let worker: RunningWorker | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  await installJobQueue(database.url);
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  // The tasks read DATABASE_URL through the shared Prisma client.
  process.env.DATABASE_URL = database.url;
});

afterAll(async () => {
  await worker?.stop();
  const { closeDatabaseClients } = await import("../db/client");
  await closeDatabaseClients();
  await pool.end();
  await database.drop();
});

async function waitFor<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

describe("startWorker", () => {
  it("resumes a job that a killed process left locked", async () => {
    // A stored interaction and its job, locked by a worker of a process that died mid-delivery:
    // it never beat, and its lock is older than the stale limit.
    const inserted = await pool.query<{ id: string }>(
      `INSERT INTO inbound_event (source, external_id, event_type, raw_body) VALUES ('slack_interaction', 'killed-mid-delivery', 'block_actions', 'payload=%7B%7D') RETURNING id::text`,
    );
    const inboundEventId = inserted.rows[0]!.id;
    const job = await pool.query<{ id: string }>(
      `SELECT (graphile_worker.add_job('process_slack_interaction', json_build_object('inboundEventId', $1::text))).id::text AS id`,
      [inboundEventId],
    );
    await pool.query(
      `UPDATE graphile_worker._private_jobs SET locked_by = 'worker-of-a-killed-process', locked_at = now() - interval '2 minutes' WHERE id = $1::bigint`,
      [job.rows[0]!.id],
    );

    worker = await startWorker({ connectionString: database.url, concurrency: 2, log: pino({ level: "silent" }) });

    const status = await waitFor(async () => {
      const rows = await pool.query<{ status: string }>(`SELECT status::text AS status FROM inbound_event WHERE id = $1::bigint`, [inboundEventId]);
      const current = rows.rows[0]?.status;
      return current && current !== "pending" ? current : undefined;
    }, "the stale job to run");
    // The payload has no interaction type, so the job ends by recording it as ignored.
    expect(status).toBe("ignored");
    const remaining = await pool.query(`SELECT id FROM graphile_worker._private_jobs WHERE id = $1::bigint`, [job.rows[0]!.id]);
    expect(remaining.rows).toHaveLength(0);
  });

  it("keeps its own running job locked however long it runs", async () => {
    const inserted = await pool.query<{ id: string }>(
      `INSERT INTO inbound_event (source, external_id, event_type, raw_body) VALUES ('slack_interaction', 'long-running', 'block_actions', 'payload=%7B%7D') RETURNING id::text`,
    );
    const inboundEventId = inserted.rows[0]!.id;
    // Holding the inbox row's lock keeps the job waiting in its first statement, so it stays running.
    const blocker = await pool.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query(`SELECT id FROM inbound_event WHERE id = $1::bigint FOR UPDATE`, [inboundEventId]);
      await worker?.stop();
      worker = await startWorker({ connectionString: database.url, concurrency: 2, log: pino({ level: "silent" }) });
      await pool.query(`SELECT graphile_worker.add_job('process_slack_interaction', json_build_object('inboundEventId', $1::text))`, [inboundEventId]);
      const lockedBy = await waitFor(async () => {
        const rows = await pool.query<{ locked_by: string | null }>(`SELECT locked_by FROM graphile_worker.jobs WHERE task_identifier = 'process_slack_interaction' AND locked_by IS NOT NULL`);
        return rows.rows[0]?.locked_by ?? undefined;
      }, "the job to start");

      // As if the job had run for two minutes: its locker still beats, so the sweep leaves it alone.
      await pool.query(`UPDATE graphile_worker._private_jobs SET locked_at = now() - interval '2 minutes' WHERE locked_by = $1`, [lockedBy]);
      const workerUtils = await makeWorkerUtils({ pgPool: pool });
      try {
        expect(await unlockJobsOfStoppedWorkers({ pool, workerUtils })).toEqual([]);
      } finally {
        await workerUtils.release();
      }
      const still = await pool.query(`SELECT locked_by FROM graphile_worker.jobs WHERE task_identifier = 'process_slack_interaction'`);
      expect(still.rows).toEqual([{ locked_by: lockedBy }]);
    } finally {
      await blocker.query("COMMIT");
      blocker.release();
    }
    const status = await waitFor(async () => {
      const rows = await pool.query<{ status: string; attempts: number }>(`SELECT status::text AS status, attempts FROM inbound_event WHERE id = $1::bigint`, [inboundEventId]);
      return rows.rows[0]?.status !== "pending" ? rows.rows[0] : undefined;
    }, "the job to finish");
    expect(status).toEqual({ status: "ignored", attempts: 1 });
  });

  it("leaves a job alone while the worker that locked it is alive", async () => {
    const job = await pool.query<{ id: string }>(
      `SELECT (graphile_worker.add_job('process_slack_interaction', json_build_object('inboundEventId', '999999'), run_at => now() + interval '1 hour')).id::text AS id`,
    );
    await pool.query(`INSERT INTO worker_heartbeat (worker_id, hostname, pid, last_seen_at) VALUES ('worker-alive-elsewhere', 'other-host', 1, now())`);
    await pool.query(
      `UPDATE graphile_worker._private_jobs SET locked_by = 'worker-alive-elsewhere', locked_at = now() - interval '2 minutes' WHERE id = $1::bigint`,
      [job.rows[0]!.id],
    );
    const workerUtils = await makeWorkerUtils({ pgPool: pool });
    try {
      expect(await unlockJobsOfStoppedWorkers({ pool, workerUtils })).toEqual([]);
      const rows = await pool.query<{ locked_by: string | null }>(`SELECT locked_by FROM graphile_worker._private_jobs WHERE id = $1::bigint`, [job.rows[0]!.id]);
      expect(rows.rows[0]?.locked_by).toBe("worker-alive-elsewhere");

      // Once its heartbeat is older than the limit, the same sweep releases it.
      await pool.query(`UPDATE worker_heartbeat SET last_seen_at = now() - interval '5 minutes' WHERE worker_id = 'worker-alive-elsewhere'`);
      expect(await unlockJobsOfStoppedWorkers({ pool, workerUtils })).toEqual(["worker-alive-elsewhere"]);
      const released = await pool.query<{ locked_by: string | null }>(`SELECT locked_by FROM graphile_worker._private_jobs WHERE id = $1::bigint`, [job.rows[0]!.id]);
      expect(released.rows[0]?.locked_by).toBeNull();
    } finally {
      await workerUtils.release();
    }
  });
});
