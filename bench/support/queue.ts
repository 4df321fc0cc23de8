import type pg from "pg";

/**
 * Jobs in graphile-worker's queue that will still run or are running: waiting, waiting to be
 * retried, or locked. A running job counts even with its attempts used up, which add_jobs marks on
 * a running job when it queues a new one under the same key.
 */
export async function queuedJobs(pool: pg.Pool): Promise<number> {
  const result = await pool.query<{ count: string }>(`SELECT count(*) FROM graphile_worker.jobs WHERE attempts < max_attempts OR locked_at IS NOT NULL`);
  return Number(result.rows[0]!.count);
}

/** Waits until the job queue is empty; returns the backlog it started from and the seconds it took. */
export async function waitForQueueDrain(pool: pg.Pool, timeoutMs: number): Promise<{ backlogAtStart: number; seconds: number }> {
  const started = Date.now();
  const backlogAtStart = await queuedJobs(pool);
  let remaining = backlogAtStart;
  while (remaining > 0) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for the job queue to empty: ${remaining} jobs remain`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    remaining = await queuedJobs(pool);
  }
  return { backlogAtStart, seconds: (Date.now() - started) / 1000 };
}
