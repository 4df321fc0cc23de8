import type { JobHelpers, Task, TaskList } from "graphile-worker";
import type { Pool } from "pg";
import { z } from "zod";
import { getPool, getPrisma } from "../db/client";
import { prepared } from "../db/prepared";
import { poolRunner } from "../db/transaction";
import { incidentChannelTasks } from "../incident-channels/tasks";
import { drainPagerDutyEvents } from "../incidents/process-pagerduty-event";
import { newestInboxId, STORM_APPLIED_PER_SECOND, StormPace } from "../inbox/storm-pace";
import { scopedLogger } from "../log";
import { postThreadReply, syncIncidentMessage } from "../slack/deliver";
import { processSlackEvent } from "../slack/events/process-event";
import { resumeLinkedAction } from "../linking/resume";
import { processSlackCommand } from "../slack/commands/process-command";
import { claimSlackInteractions, processSlackInteraction } from "../slack/process-interaction";
import { channelQueue, enqueueJob, JobBatch, MAX_ATTEMPTS, PAGERDUTY_EVENTS_QUEUE, TASKS } from "./jobs";

const inboundEventId = z.string().regex(/^\d+$/);
/**
 * The stored events a job processes: a group stored together (`inboundEventIds`, in arrival
 * order), or one event (`inboundEventId`, the form of jobs queued one per event).
 */
const inboundPayload = z.union([
  z.object({ inboundEventIds: z.array(inboundEventId).min(1) }).transform((payload) => payload.inboundEventIds),
  z.object({ inboundEventId }).transform((payload) => [payload.inboundEventId]),
]);

/** Interactions and commands of one job that run at once. Each makes Slack and PagerDuty calls. */
const INBOUND_CONCURRENCY = 8;
const messagePayload = z.object({ incidentMessageId: z.string().uuid() });
const replyPayload = z.object({ threadReplyId: z.string().uuid() });
const linkRequestPayload = z.object({ linkRequestId: z.string().uuid() });

function isLastAttempt(helpers: JobHelpers): boolean {
  return helpers.job.attempts >= helpers.job.max_attempts;
}

function jobLogger(helpers: JobHelpers) {
  return scopedLogger("worker", { task: helpers.job.task_identifier, jobId: helpers.job.id, attempt: helpers.job.attempts });
}

/**
 * Runs a delivery and, when its last attempt fails too, records the failure with its reason on the
 * delivery row so that every accepted event ends sent or failed.
 */
async function withFailureRecord(helpers: JobHelpers, run: () => Promise<unknown>, recordFailure: (reason: string) => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (isLastAttempt(helpers)) {
      jobLogger(helpers).error({ reason }, "Job failed on its last attempt");
      await recordFailure(`Gave up after ${helpers.job.attempts} attempts: ${reason}`);
      return;
    }
    jobLogger(helpers).warn({ reason }, "Job failed; it will be retried");
    throw error;
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `work` for each id, `concurrency` at a time, and returns the ids whose work threw. */
async function forEachEvent(ids: string[], concurrency: number, work: (id: string) => Promise<unknown>): Promise<{ inboundEventId: string; error: unknown }[]> {
  const errors: { inboundEventId: string; error: unknown }[] = [];
  let next = 0;
  const lane = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      try {
        await work(id);
      } catch (error) {
        errors.push({ inboundEventId: id, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, lane));
  return errors;
}

/** Records a stored event as failed with `reason`, unless it was processed meanwhile. */
const recordInboundFailure = (id: string, reason: string) =>
  getPool().query(`UPDATE inbound_event SET status = 'failed', processed_at = now(), attempts = attempts + 1, last_error = $2 WHERE id = $1::bigint AND status = 'pending'`, [id, reason]);

/**
 * Ends a job whose events did not all succeed. The events that succeeded are no longer pending,
 * so a retried job skips them and runs only these again. On the job's last attempt the failures
 * are recorded on their inbox rows instead, so that every accepted event ends processed or failed.
 */
async function retryOrRecord(helpers: JobHelpers, total: number, errors: { inboundEventId: string; error: unknown }[]): Promise<void> {
  if (errors.length === 0) return;
  const log = jobLogger(helpers);
  if (isLastAttempt(helpers)) {
    for (const { inboundEventId, error } of errors) {
      log.error({ inboundEventId, reason: reasonOf(error) }, "Event failed on its last attempt");
      await recordInboundFailure(inboundEventId, `Gave up after ${helpers.job.attempts} attempts: ${reasonOf(error)}`);
    }
    return;
  }
  const first = errors[0]!;
  log.warn({ failed: errors.map((entry) => entry.inboundEventId), reason: reasonOf(first.error) }, "Events failed; the job will be retried");
  throw new Error(`${errors.length} of ${total} events failed; the first, ${first.inboundEventId}: ${reasonOf(first.error)}`);
}

/**
 * The PagerDuty events a job was queued for: a stored group, or the events a retry job tries
 * again. A job without a list was queued when the worker started.
 */
const pagerDutyPayload = z.union([
  z.array(inboundEventId).min(1),
  inboundPayload,
  z.object({}).transform(() => undefined),
]);

/** Seconds before a failed PagerDuty event is tried again: e^attempts, as graphile-worker waits, up to an hour. */
function retryDelaySeconds(attempts: number): number {
  return Math.min(Math.exp(attempts), 3_600);
}

/** Shared by every PagerDuty job of this process, so that the pace carries over from one job to the next. */
let stormPace: StormPace | undefined;

/**
 * Applies every pending PagerDuty event from the job's own on, in the order received, so under
 * load one job applies the events of many stored groups in batches of 200. It drains even when an
 * earlier job has applied its own events, because events stored while it waited queued no job of
 * their own (see `coalesce` in lib/inbox/store.ts). Events that failed and stay pending are queued
 * again in a job of their own after a delay, instead of failing this job, so that the events
 * applied with them are not read again. While the inbox is flooded, the batches are paced so that
 * acknowledgements keep the CPU (StormPace).
 */
const processPagerDutyEventTask: Task = async (payload, helpers) => {
  const ids = pagerDutyPayload.parse(payload);
  const pool = getPool();
  stormPace ??= new StormPace({ readNewestId: newestInboxId(pool) });
  const pace = stormPace;
  // Events stored before this job's own were applied by earlier jobs, or have jobs of their own,
  // and those that failed wait for their retry job.
  const fromId = ids ? ids.reduce((lowest, id) => (BigInt(id) < BigInt(lowest) ? id : lowest)) : undefined;
  const log = jobLogger(helpers);
  const waitedBefore = pace.waitedMs;
  const { done, errors } = await drainPagerDutyEvents({
    pool,
    log,
    maxAttempts: MAX_ATTEMPTS,
    fromId,
    signal: helpers.abortSignal,
    nextBatchSize: (size) => pace.nextBatchSize(size),
  });
  const waitedMs = pace.waitedMs - waitedBefore;
  if (waitedMs > 0) {
    log.info({ applied: done, waitedMs, perSecond: STORM_APPLIED_PER_SECOND }, "Inbox flooded: PagerDuty events were applied at a limited rate to leave the CPU to acknowledgements");
  }
  if (errors.length === 0) return;
  const fewest = Math.min(...errors.map((entry) => entry.attempts));
  await enqueueJob(poolRunner(pool), TASKS.processPagerDutyEvent, errors.map((entry) => entry.inboundEventId), {
    queueName: PAGERDUTY_EVENTS_QUEUE,
    runAt: new Date(Date.now() + retryDelaySeconds(fewest) * 1000),
  });
  jobLogger(helpers).warn({ failed: errors.map((entry) => entry.inboundEventId), reason: reasonOf(errors[0]!.error) }, "PagerDuty events failed; queued to be tried again");
};

const processSlackInteractionTask: Task = async (payload, helpers) => {
  const ids = inboundPayload.parse(payload);
  const lastAttempt = isLastAttempt(helpers);
  const claimed = await claimSlackInteractions(getPool(), ids);
  // processSlackInteraction records its own failure on the last attempt, so it throws only before.
  const errors = await forEachEvent([...claimed.keys()], INBOUND_CONCURRENCY, (inboundEventId) =>
    processSlackInteraction({ prisma: getPrisma(), pool: getPool(), inboundEventId, rawBody: claimed.get(inboundEventId), log: jobLogger(helpers), lastAttempt }),
  );
  await retryOrRecord(helpers, ids.length, errors);
};

const processSlackEventTask: Task = async (payload, helpers) => {
  const ids = inboundPayload.parse(payload);
  // One at a time: the job's events come from one workspace, in the order Slack sent them.
  const errors = await forEachEvent(ids, 1, (inboundEventId) => processSlackEvent({ prisma: getPrisma(), inboundEventId, log: jobLogger(helpers) }));
  await retryOrRecord(helpers, ids.length, errors);
};

const syncIncidentMessageTask: Task = async (payload, helpers) => {
  const { incidentMessageId } = messagePayload.parse(payload);
  const pool = getPool();
  await withFailureRecord(
    helpers,
    () => syncIncidentMessage({ pool, incidentMessageId, log: jobLogger(helpers) }),
    (reason) => pool.query(`UPDATE incident_message SET status = 'failed', last_error = $2, updated_at = now() WHERE id = $1::uuid`, [incidentMessageId, reason]),
  );
};

const channelDeliveries = z.array(z.union([messagePayload.extend({ channel: z.string().min(1) }), replyPayload.extend({ channel: z.string().min(1) })])).min(1);

/**
 * Runs a channel's Slack writes in the order queued, each message once (its sync renders the
 * current state, so a later request for it adds nothing). A write that fails does not hold up the
 * others: it is queued again as a job of its own in the channel's queue, with that job's retries
 * and failure record, and the rest go on.
 */
const deliverToChannelTask: Task = async (payload, helpers) => {
  const deliveries = channelDeliveries.parse(payload);
  const pool = getPool();
  const log = jobLogger(helpers);
  const seen = new Set<string>();
  const retries = new JobBatch();
  for (const delivery of deliveries) {
    const key = "incidentMessageId" in delivery ? `sync:${delivery.incidentMessageId}` : `reply:${delivery.threadReplyId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    try {
      if ("incidentMessageId" in delivery) await syncIncidentMessage({ pool, incidentMessageId: delivery.incidentMessageId, log });
      else await postThreadReply({ pool, threadReplyId: delivery.threadReplyId, log });
    } catch (error) {
      log.warn({ ...delivery, reason: reasonOf(error) }, "Slack write failed; it is queued again on its own");
      const queueName = channelQueue(delivery.channel);
      if ("incidentMessageId" in delivery) retries.add(TASKS.syncIncidentMessage, { incidentMessageId: delivery.incidentMessageId }, { queueName, jobKey: key });
      else retries.add(TASKS.postThreadReply, { threadReplyId: delivery.threadReplyId }, { queueName, jobKey: key });
    }
  }
  await retries.addTo(poolRunner(pool));
};

const postThreadReplyTask: Task = async (payload, helpers) => {
  const { threadReplyId } = replyPayload.parse(payload);
  const pool = getPool();
  await withFailureRecord(
    helpers,
    () => postThreadReply({ pool, threadReplyId, log: jobLogger(helpers) }),
    (reason) => pool.query(`UPDATE thread_reply SET status = 'failed', last_error = $2, updated_at = now() WHERE id = $1::uuid`, [threadReplyId, reason]),
  );
};

const processSlackCommandTask: Task = async (payload, helpers) => {
  const ids = inboundPayload.parse(payload);
  const lastAttempt = isLastAttempt(helpers);
  const errors = await forEachEvent(ids, INBOUND_CONCURRENCY, (inboundEventId) =>
    processSlackCommand({ prisma: getPrisma(), inboundEventId, log: jobLogger(helpers), lastAttempt }),
  );
  await retryOrRecord(helpers, ids.length, errors);
};

const resumeLinkedActionTask: Task = async (payload, helpers) => {
  const { linkRequestId } = linkRequestPayload.parse(payload);
  await withFailureRecord(
    helpers,
    () => resumeLinkedAction({ prisma: getPrisma(), linkRequestId, log: jobLogger(helpers) }),
    // Nothing to record: the link stays, and the user can try the action again from Slack.
    async () => undefined,
  );
};

export const taskList: TaskList = {
  [TASKS.processPagerDutyEvent]: processPagerDutyEventTask,
  [TASKS.processSlackInteraction]: processSlackInteractionTask,
  [TASKS.syncIncidentMessage]: syncIncidentMessageTask,
  [TASKS.postThreadReply]: postThreadReplyTask,
  [TASKS.deliverToChannel]: deliverToChannelTask,
  [TASKS.processSlackEvent]: processSlackEventTask,
  [TASKS.processSlackCommand]: processSlackCommandTask,
  [TASKS.resumeLinkedAction]: resumeLinkedActionTask,
  ...incidentChannelTasks,
};

/**
 * Queues the PagerDuty events' job when events wait without one: its earlier run may have used up
 * its attempts while an event kept failing for a reason that has since gone. Storing the next event
 * would queue it too; this does it when the worker starts.
 */
export async function queuePendingEventJobs(pool: Pool): Promise<void> {
  const pending = await pool.query<{ waiting: boolean }>(`SELECT EXISTS (SELECT 1 FROM inbound_event WHERE status = 'pending' AND source = 'pagerduty_webhook') AS waiting`);
  if (!pending.rows[0]?.waiting) return;
  await enqueueJob(poolRunner(pool), TASKS.processPagerDutyEvent, {}, { queueName: PAGERDUTY_EVENTS_QUEUE });
}
