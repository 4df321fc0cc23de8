import type { JobHelpers, Task, TaskList } from "graphile-worker";
import { z } from "zod";
import { getPool, getPrisma } from "../db/client";
import { incidentChannelTasks } from "../incident-channels/tasks";
import { processPagerDutyEvent } from "../incidents/process-pagerduty-event";
import { scopedLogger } from "../log";
import { postThreadReply, syncIncidentMessage } from "../slack/deliver";
import { processSlackEvent } from "../slack/events/process-event";
import { resumeLinkedAction } from "../linking/resume";
import { processSlackCommand } from "../slack/commands/process-command";
import { processSlackInteraction } from "../slack/process-interaction";
import { TASKS } from "./jobs";

const inboundPayload = z.object({ inboundEventId: z.string().regex(/^\d+$/) });
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

const processPagerDutyEventTask: Task = async (payload, helpers) => {
  const { inboundEventId } = inboundPayload.parse(payload);
  const pool = getPool();
  await withFailureRecord(
    helpers,
    () => processPagerDutyEvent({ pool, inboundEventId, log: jobLogger(helpers) }),
    (reason) =>
      pool.query(
        `UPDATE inbound_event SET status = 'failed', processed_at = now(), attempts = attempts + 1, last_error = $2 WHERE id = $1::bigint AND status = 'pending'`,
        [inboundEventId, reason],
      ),
  );
};

const processSlackInteractionTask: Task = async (payload, helpers) => {
  const { inboundEventId } = inboundPayload.parse(payload);
  await processSlackInteraction({ prisma: getPrisma(), pool: getPool(), inboundEventId, log: jobLogger(helpers), lastAttempt: isLastAttempt(helpers) });
};

const processSlackEventTask: Task = async (payload, helpers) => {
  const { inboundEventId } = inboundPayload.parse(payload);
  const prisma = getPrisma();
  await withFailureRecord(
    helpers,
    () => processSlackEvent({ prisma, inboundEventId, log: jobLogger(helpers) }),
    (reason) =>
      prisma.$executeRawUnsafe(
        `UPDATE inbound_event SET status = 'failed', processed_at = now(), attempts = attempts + 1, last_error = $2 WHERE id = $1::bigint AND status = 'pending'`,
        inboundEventId,
        reason,
      ),
  );
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
  const { inboundEventId } = inboundPayload.parse(payload);
  await processSlackCommand({ prisma: getPrisma(), inboundEventId, log: jobLogger(helpers), lastAttempt: isLastAttempt(helpers) });
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
  [TASKS.processSlackEvent]: processSlackEventTask,
  [TASKS.processSlackCommand]: processSlackCommandTask,
  [TASKS.resumeLinkedAction]: resumeLinkedActionTask,
  ...incidentChannelTasks,
};
