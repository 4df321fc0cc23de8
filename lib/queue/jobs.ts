/** Job queue task names. Each has one handler in lib/queue/tasks/. */
export const TASKS = {
  processPagerDutyEvent: "process_pagerduty_event",
  processSlackInteraction: "process_slack_interaction",
  syncIncidentMessage: "sync_incident_message",
  deliverToChannel: "deliver_to_channel",
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
 * PagerDuty events are processed by one job at a time, in the order received. Stored events join
 * the waiting job's list under one key, so under load one job applies hundreds of events in a few
 * transactions (drainPagerDutyEvents), and the next one gathers the events stored while it ran.
 * One job per event cost a job fetch and completion each, and each fetch locks every idle named
 * queue, which per-incident queues made many.
 */
export const PAGERDUTY_EVENTS_QUEUE = "pagerduty-events";
export const PAGERDUTY_EVENTS_JOB_KEY = "pagerduty-events";

/**
 * Slack writes to one channel run in order: the message is posted before its edits and thread
 * replies. Each channel has a queue of its own (channels are few, unlike incidents), because Slack
 * limits chat.postMessage per channel: a job waiting out a 429 holds back only its own channel. With
 * hashed buckets, two busy channels sharing one took turns and posted at half the allowed rate.
 */
export function channelQueue(slackChannelId: string): string {
  return `channel-${slackChannelId}`;
}

/** One Slack write of a channel's delivery job: a message to post or edit, or a thread reply. */
export type ChannelDelivery = { incidentMessageId: string } | { threadReplyId: string };

/**
 * Queues Slack writes to a channel in the channel's delivery job. While that job waits, writes
 * queued later join its list (graphile-worker appends to a waiting job's list payload under the
 * same key), so under load one job fetch serves many messages. A running job is left alone, and
 * the writes go in a new job that runs after it.
 */
export function addChannelDelivery(jobs: JobBatch, slackChannelId: string, delivery: ChannelDelivery): void {
  jobs.addToList(TASKS.deliverToChannel, { ...delivery, channel: slackChannelId }, { queueName: channelQueue(slackChannelId), jobKey: `deliver:${slackChannelId}` });
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

interface JobSpec {
  task: TaskName;
  payload: unknown;
  queueName: string | null;
  maxAttempts: number;
  jobKey: string | null;
}

/**
 * Jobs collected while a transaction runs, added together by one graphile_worker.add_jobs call
 * before it commits: one statement and one NOTIFY instead of one each per job. Jobs are added in
 * the order they were collected, with enqueueJob's job key rule (a waiting job with the same key
 * is updated and keeps its place). A key collected twice is added once, at its first place.
 * Jobs are added without a run time, so they are due at once.
 */
export class JobBatch {
  private readonly specs: JobSpec[] = [];
  private readonly keys = new Set<string>();

  get size(): number {
    return this.specs.length;
  }

  add(task: TaskName, payload: object, options: Omit<EnqueueOptions, "runAt"> = {}): void {
    const jobKey = options.jobKey ?? null;
    if (jobKey !== null) {
      if (this.keys.has(jobKey)) return;
      this.keys.add(jobKey);
    }
    this.specs.push({ task, payload, queueName: options.queueName ?? null, maxAttempts: options.maxAttempts ?? MAX_ATTEMPTS, jobKey });
  }

  /**
   * Adds `item` to the list payload of the keyed job, which is added once with every item listed,
   * in order. Added to a waiting job with the same key, the list joins the end of that job's list.
   */
  addToList(task: TaskName, item: unknown, options: Omit<EnqueueOptions, "runAt"> & { jobKey: string }): void {
    const existing = this.specs.find((spec) => spec.jobKey === options.jobKey);
    if (existing) {
      if (!Array.isArray(existing.payload)) throw new Error(`Job key ${options.jobKey} is already used by a job without a list payload.`);
      existing.payload.push(item);
      return;
    }
    this.keys.add(options.jobKey);
    this.specs.push({ task, payload: [item], queueName: options.queueName ?? null, maxAttempts: options.maxAttempts ?? MAX_ATTEMPTS, jobKey: options.jobKey });
  }

  /** Takes over the jobs of `other`, after this batch's own. Lists under one key are joined. */
  append(other: JobBatch): void {
    for (const spec of other.specs) {
      if (spec.jobKey !== null && this.keys.has(spec.jobKey)) {
        const existing = this.specs.find((mine) => mine.jobKey === spec.jobKey)!;
        if (Array.isArray(existing.payload) && Array.isArray(spec.payload)) existing.payload.push(...(spec.payload as unknown[]));
        continue;
      }
      if (spec.jobKey !== null) this.keys.add(spec.jobKey);
      this.specs.push({ ...spec, payload: Array.isArray(spec.payload) ? [...(spec.payload as unknown[])] : spec.payload });
    }
  }

  /** Adds the collected jobs in the runner's transaction. */
  async addTo(runner: SqlRunner): Promise<void> {
    if (this.specs.length === 0) return;
    await runner.$queryRawUnsafe(
      `SELECT count(*)::int AS jobs
         FROM graphile_worker.add_jobs(
                ARRAY(SELECT ROW(spec.task, spec.payload::json, spec.queue_name, NULL::timestamptz, spec.max_attempts, spec.job_key, NULL::int, NULL::text[])::graphile_worker.job_spec
                        FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[]) WITH ORDINALITY AS spec(task, payload, queue_name, max_attempts, job_key, position)
                       ORDER BY spec.position),
                true)`,
      this.specs.map((spec) => spec.task),
      this.specs.map((spec) => JSON.stringify(spec.payload)),
      this.specs.map((spec) => spec.queueName),
      this.specs.map((spec) => spec.maxAttempts),
      this.specs.map((spec) => spec.jobKey),
    );
  }
}
