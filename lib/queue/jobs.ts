import { createHash } from "node:crypto";

/** Job queue task names. Each has one handler in lib/queue/tasks/. */
export const TASKS = {
  processPagerDutyEvent: "process_pagerduty_event",
  processSlackInteraction: "process_slack_interaction",
  syncIncidentMessage: "sync_incident_message",
  postThreadReply: "post_thread_reply",
  processSlackEvent: "process_slack_event",
  createIncidentChannel: "create_incident_channel",
  archiveIncidentChannel: "archive_incident_channel",
  scheduleChannelArchive: "schedule_channel_archive",
  processSlackCommand: "process_slack_command",
  resumeLinkedAction: "resume_linked_action",
} as const;

export type TaskName = (typeof TASKS)[keyof typeof TASKS];

/**
 * Jobs in one named queue run one at a time, in order. Incident queues are buckets of a hash rather
 * than one per incident, because graphile-worker keeps a row per queue name and incidents never
 * stop coming: a bounded number of names keeps that table small, and two incidents sharing a
 * bucket only wait for each other.
 */
const QUEUE_BUCKETS = 64;

function bucket(prefix: string, key: string): string {
  const hash = createHash("sha1").update(key).digest().readUInt32BE(0);
  return `${prefix}-${hash % QUEUE_BUCKETS}`;
}

/** Events of one PagerDuty incident are processed in the order they were received. */
export function incidentQueue(pagerdutyIncidentId: string): string {
  return bucket("incident", pagerdutyIncidentId);
}

/**
 * Slack writes to one channel run in order: the message is posted before its edits and thread
 * replies. Each channel has a queue of its own (channels are few, unlike incidents), because Slack
 * limits chat.postMessage per channel: a job waiting out a 429 holds back only its own channel. With
 * hashed buckets, two busy channels sharing one took turns and posted at half the allowed rate.
 */
export function channelQueue(slackChannelId: string): string {
  return `channel-${slackChannelId}`;
}

/** How often a job is tried before it is recorded as failed. */
export const MAX_ATTEMPTS = 12;

export interface EnqueueOptions {
  queueName?: string;
  jobKey?: string;
  runAt?: Date;
  maxAttempts?: number;
}

/** Something that runs parameterised SQL: a Prisma client or transaction. */
export interface SqlRunner {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

/**
 * Adds a job through graphile-worker's SQL API, so it commits or rolls back with the caller's
 * transaction. A job key replaces a pending job with the same key, which coalesces repeated edits;
 * the pending job keeps its place in the queue (preserve_run_at), so it still runs before later jobs.
 */
export async function enqueueJob(runner: SqlRunner, task: TaskName, payload: object, options: EnqueueOptions = {}): Promise<void> {
  await runner.$queryRawUnsafe(
    `SELECT (graphile_worker.add_job(
       identifier => $1::text,
       payload => $2::json,
       queue_name => $3::text,
       run_at => $4::timestamptz,
       max_attempts => $5::int,
       job_key => $6::text,
       job_key_mode => 'preserve_run_at'
     )).id::text AS id`,
    task,
    JSON.stringify(payload),
    options.queueName ?? null,
    options.runAt ?? null,
    options.maxAttempts ?? MAX_ATTEMPTS,
    options.jobKey ?? null,
  );
}
