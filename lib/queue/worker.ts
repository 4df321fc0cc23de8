import { EventEmitter } from "node:events";
import os from "node:os";
import { Logger as GraphileLogger, makeWorkerUtils, run, runMigrations, type LogFunctionFactory, type WorkerEvents, type WorkerUtils } from "graphile-worker";
import pg from "pg";
import type { Logger } from "pino";
import { queuePendingEventJobs, taskList } from "./tasks";

/** A worker that stops heartbeating for this long is taken for dead and its jobs are unlocked. */
const STALE_AFTER_SECONDS = 30;
const HEARTBEAT_INTERVAL_MS = 5_000;
const SWEEP_INTERVAL_MS = 10_000;
/**
 * Jobs that run at once. A delivery job that Slack rate-limits waits out Retry-After in its slot
 * (see waitOutRateLimits). The slots must therefore outnumber the channels that can be limited at
 * the same time, or waiting jobs hold up every other channel. Waiting costs no CPU, and idle slots
 * cost one poll per second each.
 */
const DEFAULT_CONCURRENCY = 64;
const MAX_QUEUE_CONNECTIONS = 12;

export interface RunningWorker {
  stop(): Promise<void>;
}

/** Installs or upgrades graphile-worker's own schema; safe to run from several processes at once. */
export async function installJobQueue(connectionString: string): Promise<void> {
  await runMigrations({ connectionString, logger: new GraphileLogger(silentLogFactory) });
}

/**
 * Starts the delivery worker: graphile-worker runs the tasks, woken by LISTEN/NOTIFY as soon as a
 * job is added. Each process records heartbeats for its workers, and unlocks the jobs of workers
 * that stopped beating, so a delivery cut off by a killed process resumes within a minute instead
 * of after graphile-worker's four-hour lock timeout.
 */
export async function startWorker(input: {
  connectionString: string;
  concurrency?: number;
  log: Logger;
  /** Called with each new connection of the worker's own pool. */
  onConnect?: (client: pg.ClientBase) => void;
}): Promise<RunningWorker> {
  const { log } = input;
  const concurrency = input.concurrency ?? DEFAULT_CONCURRENCY;
  // Jobs query through the process's own clients (Prisma, getPool). This pool serves graphile-worker's
  // queries (fetching and completing jobs, LISTEN), the heartbeat and the sweep. Those are short, so
  // it stays small whatever the concurrency: PostgreSQL allows 100 connections by default.
  //
  // Its commits do not wait for the WAL flush (synchronous_commit off). They only fetch, lock and
  // complete jobs. If PostgreSQL crashed before flushing one, the job would run again, which every
  // task allows, since each checks what its earlier run stored. The jobs' own writes go through
  // the other clients, whose commits stay durable. Each job fetch locks rows, so otherwise every
  // fetch, even one that found nothing, waited for a flush, and the acknowledgements' inserts
  // queued behind those flushes.
  const pool = new pg.Pool({
    connectionString: input.connectionString,
    max: Math.min(concurrency, MAX_QUEUE_CONNECTIONS) + 4,
    options: "-c synchronous_commit=off",
  });
  pool.on("error", (error) => logConnectionError(log, error, "Idle worker database connection failed"));
  pool.on("connect", (client) => {
    client.on("error", (error) => logConnectionError(log, error, "Worker database connection failed"));
    input.onConnect?.(client);
  });

  // The ids that lock this process's jobs. graphile-worker 0.17 locks a job with its worker pool's id
  // (jobs.locked_by); the ids of the pool's workers are recorded too, as older versions used them.
  // A running job whose locker had no heartbeat would be unlocked after the stale limit and run twice.
  const workerIds = new Set<string>();
  const events: WorkerEvents = new EventEmitter() as WorkerEvents;
  events.on("pool:create", ({ workerPool }) => {
    workerIds.add(workerPool.id);
    void beat();
  });
  events.on("worker:create", ({ worker }) => {
    workerIds.add(worker.workerId);
    void beat();
  });
  events.on("job:error", ({ job, error }) => log.warn({ jobId: job.id, task: job.task_identifier, attempt: job.attempts, err: error }, "Job attempt failed"));

  const beat = async () => {
    if (workerIds.size === 0) return;
    try {
      await pool.query(
        `INSERT INTO worker_heartbeat (worker_id, hostname, pid, last_seen_at)
         SELECT id, $2, $3, now() FROM unnest($1::text[]) AS id
         ON CONFLICT (worker_id) DO UPDATE SET last_seen_at = now()`,
        [[...workerIds], os.hostname(), process.pid],
      );
    } catch (error) {
      log.warn({ err: error }, "Could not record worker heartbeat");
    }
  };

  const workerUtils = await makeWorkerUtils({ pgPool: pool, logger: new GraphileLogger(silentLogFactory) });
  const sweep = async () => {
    try {
      const unlocked = await unlockJobsOfStoppedWorkers({ pool, workerUtils });
      if (unlocked.length > 0) log.warn({ workers: unlocked }, "Unlocked jobs of workers that stopped; they will run again");
      await pool.query(`DELETE FROM worker_heartbeat WHERE last_seen_at < now() - interval '1 day'`);
    } catch (error) {
      log.warn({ err: error }, "Could not sweep jobs of stopped workers");
    }
  };

  const runner = await run({
    pgPool: pool,
    concurrency,
    noHandleSignals: true,
    pollInterval: 1_000,
    // Job completions are not batched (graphile-worker's completeJobBatchDelay). A batched completion
    // keeps a named queue locked after its job has ended, so the channel's next job waited for the
    // next poll, up to a second. In the benchmark that put 400 ms on a button press's chat.update p99.
    taskList,
    events,
    logger: new GraphileLogger(pinoLogFactory(log)),
  });
  const heartbeatTimer = setInterval(() => void beat(), HEARTBEAT_INTERVAL_MS);
  const sweepTimer = setInterval(() => void sweep(), SWEEP_INTERVAL_MS);
  void sweep();
  await queuePendingEventJobs(pool);
  log.info({ concurrency }, "Delivery worker started");

  return {
    async stop() {
      clearInterval(heartbeatTimer);
      clearInterval(sweepTimer);
      await runner.stop();
      await pool.query(`DELETE FROM worker_heartbeat WHERE worker_id = ANY($1::text[])`, [[...workerIds]]).catch(() => undefined);
      await workerUtils.release();
      await pool.end();
      log.info("Delivery worker stopped");
    },
  };
}

/**
 * Unlocks the jobs of workers that hold a lock older than the stale limit and have not beaten
 * within it, so that live workers run those jobs again. Returns the ids of the workers released.
 */
export async function unlockJobsOfStoppedWorkers(input: { pool: pg.Pool; workerUtils: WorkerUtils; staleAfterSeconds?: number }): Promise<string[]> {
  const staleAfter = input.staleAfterSeconds ?? STALE_AFTER_SECONDS;
  const stale = await input.pool.query<{ locked_by: string }>(
    `SELECT DISTINCT jobs.locked_by
       FROM graphile_worker.jobs AS jobs
      WHERE jobs.locked_by IS NOT NULL
        AND jobs.locked_at < now() - make_interval(secs => $1)
        AND NOT EXISTS (
          SELECT 1 FROM worker_heartbeat AS heartbeat
           WHERE heartbeat.worker_id = jobs.locked_by
             AND heartbeat.last_seen_at > now() - make_interval(secs => $1))`,
    [staleAfter],
  );
  const deadWorkers = stale.rows.map((row) => row.locked_by);
  if (deadWorkers.length > 0) await input.workerUtils.forceUnlockWorkers(deadWorkers);
  return deadWorkers;
}

/** PostgreSQL's code for a connection ended because the server is shutting down. */
const ADMIN_SHUTDOWN = "57P01";

/** Logs a broken connection, at info level when PostgreSQL is only shutting down (as on Ctrl+C). */
function logConnectionError(log: Logger, error: unknown, message: string): void {
  if ((error as { code?: string }).code === ADMIN_SHUTDOWN) log.info("Database is shutting down; worker connection closed");
  else log.error({ err: error }, message);
}

function pinoLogFactory(log: Logger): LogFunctionFactory {
  return (scope) => (level, message, meta) => {
    const bindings = { graphile: scope, ...(meta ?? {}) };
    // graphile-worker advises a pool as large as the concurrency. The pool above is smaller on
    // purpose, because most job slots wait on Slack, so that advice is logged at debug level only.
    if (level === "warning" && message.includes("smaller than concurrency")) log.debug(bindings, message);
    else if (level === "error" && message.includes("terminating connection due to administrator command")) log.info(bindings, "Database is shutting down; a worker query was cut off");
    else if (level === "error") log.error(bindings, message);
    else if (level === "warning") log.warn(bindings, message);
    else log.debug(bindings, message);
  };
}

const silentLogFactory: LogFunctionFactory = () => () => undefined;
