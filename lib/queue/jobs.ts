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
 * PagerDuty events are processed by one job at a time, in the order received. Each stored group of
 * events queues a job, which applies every pending event in batches (drainPagerDutyEvents), so
 * under load one job applies hundreds and the jobs after it find theirs done. One job per event
 * cost a job fetch and completion each, and each fetch locks every idle named queue, which
 * per-incident queues made many.
 */
export const PAGERDUTY_EVENTS_QUEUE = "pagerduty-events";

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
 * Queues a Slack write in the channel's delivery job. While that job waits, writes queued later
 * join its list (see JobBatch.addToList), so under load one job serves many messages of the
 * channel instead of one job each.
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
  for (let attempt = 1; ; attempt++) {
    const rows = await runner.$queryRawUnsafe<{ id: string | null }[]>(
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
    if (rows[0]?.id != null) return;
    // graphile-worker adds nothing when the waiting job with this key starts between its two steps
    // (clearing the keys of running jobs, then the insert). Adding again clears that job's key.
    if (attempt >= KEYED_ADD_ATTEMPTS) throw new Error(`Queueing ${task} with key ${options.jobKey ?? "(none)"} added no job after ${attempt} tries.`);
  }
}

/** Tries to add a keyed job that graphile-worker dropped because its namesake had just started. */
const KEYED_ADD_ATTEMPTS = 3;

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
  private readonly lists = new Map<string, JobSpec>();

  add(task: TaskName, payload: object, options: Omit<EnqueueOptions, "runAt"> = {}): void {
    const jobKey = options.jobKey ?? null;
    if (jobKey !== null) {
      if (this.keys.has(jobKey)) return;
      this.keys.add(jobKey);
    }
    this.specs.push({ task, payload, queueName: options.queueName ?? null, maxAttempts: options.maxAttempts ?? MAX_ATTEMPTS, jobKey });
  }

  /**
   * Adds `item` to the list payload of the job with key `jobKey`, which is added once, listing every
   * item in order. graphile-worker appends a keyed list to the list of the waiting job with that
   * key, so lists queued while that job waits all join it, and a running job is left alone.
   */
  addToList(task: TaskName, item: unknown, options: Omit<EnqueueOptions, "runAt"> & { jobKey: string }): void {
    const existing = this.lists.get(options.jobKey);
    if (existing) {
      (existing.payload as unknown[]).push(item);
      return;
    }
    if (this.keys.has(options.jobKey)) throw new Error(`Job key ${options.jobKey} is already used by a job without a list payload.`);
    const spec: JobSpec = { task, payload: [item], queueName: options.queueName ?? null, maxAttempts: options.maxAttempts ?? MAX_ATTEMPTS, jobKey: options.jobKey };
    this.keys.add(options.jobKey);
    this.lists.set(options.jobKey, spec);
    this.specs.push(spec);
  }

  /** Takes over the jobs of `other`, after this batch's own. Lists under one key are joined. */
  append(other: JobBatch): void {
    for (const spec of other.specs) {
      const jobKey = spec.jobKey;
      if (jobKey !== null && other.lists.has(jobKey)) {
        for (const item of spec.payload as unknown[]) this.addToList(spec.task, item, { queueName: spec.queueName ?? undefined, maxAttempts: spec.maxAttempts, jobKey });
        continue;
      }
      if (jobKey !== null) {
        if (this.keys.has(jobKey)) continue;
        this.keys.add(jobKey);
      }
      this.specs.push(spec);
    }
  }

  /** Adds the collected jobs in the runner's transaction. */
  async addTo(runner: SqlRunner): Promise<void> {
    let specs = this.specs;
    for (let attempt = 1; specs.length > 0; attempt++) {
      const added = await runner.$queryRawUnsafe<{ key: string | null }[]>(
        `SELECT job.key
           FROM graphile_worker.add_jobs(
                  ARRAY(SELECT ROW(spec.task, spec.payload::json, spec.queue_name, NULL::timestamptz, spec.max_attempts, spec.job_key, NULL::int, NULL::text[])::graphile_worker.job_spec
                          FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[]) WITH ORDINALITY AS spec(task, payload, queue_name, max_attempts, job_key, position)
                         ORDER BY spec.position),
                  true) AS job`,
        specs.map((spec) => spec.task),
        specs.map((spec) => JSON.stringify(spec.payload)),
        specs.map((spec) => spec.queueName),
        specs.map((spec) => spec.maxAttempts),
        specs.map((spec) => spec.jobKey),
      );
      // A keyed job is missing when its waiting namesake started meanwhile (see enqueueJob).
      const addedKeys = new Set(added.map((row) => row.key));
      specs = specs.filter((spec) => spec.jobKey !== null && !addedKeys.has(spec.jobKey));
      if (specs.length > 0 && attempt >= KEYED_ADD_ATTEMPTS) throw new Error(`Queueing jobs with keys ${specs.map((spec) => spec.jobKey).join(", ")} added no job after ${attempt} tries.`);
    }
  }
}
