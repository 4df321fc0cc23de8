import type { Pool } from "pg";

/**
 * Inbound events a second above which the inbox counts as flooded. By our estimate a busy account
 * sends a few webhooks a second. Hundreds a second mean an outage storm or a replay, and then
 * acknowledging in time matters most.
 */
export const STORM_EVENTS_PER_SECOND = 150;

/** While flooded, the drain applies at most this many events a second. */
export const STORM_APPLIED_PER_SECOND = 50;

/** The maximum number of events a flooded drain takes at once, which its allowance builds up to while it waits. */
export const STORM_MAX_BATCH = 200;

/** While flooded, the drain waits until it may take at least this many events. */
export const STORM_MIN_BATCH = 25;

/** A rate measured over less than this is too noisy to act on, so the last verdict is kept. */
const MIN_SAMPLE_MS = 200;

/** A sample older than this is no guide to the current rate, so measuring starts again. */
const MAX_SAMPLE_AGE_MS = 5_000;

export interface StormPaceOptions {
  /** The reader of the newest inbox id. Ids come from one sequence, so their growth counts the arrivals. */
  readNewestId: () => Promise<bigint>;
  now?: () => number;
  sleep?: (milliseconds: number) => Promise<void>;
}

/**
 * Paces the PagerDuty drain while the inbox fills faster than STORM_EVENTS_PER_SECOND. The web
 * server's acknowledgements and the worker share the machine's CPU and the database. PagerDuty
 * counts a webhook unanswered after 5 seconds and disables a subscription that keeps failing,
 * whereas a Slack message that comes a little later loses nothing. So during a flood the drain
 * applies at most STORM_APPLIED_PER_SECOND events a second, leaving the rest to the
 * acknowledgements, and catches up at full speed once the flood ends. A short burst is taken at
 * once up to STORM_MAX_BATCH events. Below the flood rate the drain does not wait.
 */
export class StormPace {
  private sample: { at: number; newestId: bigint } | undefined;
  private flooded = false;
  private allowance = STORM_MAX_BATCH;
  private allowanceAt = 0;
  private waited = 0;
  private readonly now: () => number;
  private readonly sleep: (milliseconds: number) => Promise<void>;

  constructor(private readonly options: StormPaceOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)));
  }

  /** Whether the last measurement found a flood. */
  get isFlooded(): boolean {
    return this.flooded;
  }

  /** Milliseconds spent waiting so far, over every batch. */
  get waitedMs(): number {
    return this.waited;
  }

  /**
   * Returns how many events the next batch may take, at most `batchSize`. During a flood it first
   * waits until the allowance reaches STORM_MIN_BATCH, then takes the batch's events from it.
   */
  async nextBatchSize(batchSize: number): Promise<number> {
    await this.measure();
    if (!this.flooded) {
      this.allowance = STORM_MAX_BATCH;
      this.allowanceAt = this.now();
      return batchSize;
    }
    this.refill();
    if (this.allowance < STORM_MIN_BATCH) {
      const wait = Math.ceil(((STORM_MIN_BATCH - this.allowance) * 1000) / STORM_APPLIED_PER_SECOND);
      await this.sleep(wait);
      this.waited += wait;
      this.refill();
    }
    const size = Math.max(1, Math.min(batchSize, Math.floor(this.allowance)));
    this.allowance -= size;
    return size;
  }

  private refill(): void {
    const at = this.now();
    this.allowance = Math.min(STORM_MAX_BATCH, this.allowance + ((at - this.allowanceAt) * STORM_APPLIED_PER_SECOND) / 1000);
    this.allowanceAt = at;
  }

  private async measure(): Promise<void> {
    const at = this.now();
    const previous = this.sample;
    if (previous && at - previous.at < MIN_SAMPLE_MS) return;
    const newestId = await this.options.readNewestId();
    this.sample = { at, newestId };
    if (!previous || at - previous.at > MAX_SAMPLE_AGE_MS) {
      this.flooded = false;
      return;
    }
    const perSecond = (Number(newestId - previous.newestId) * 1000) / (at - previous.at);
    this.flooded = perSecond > STORM_EVENTS_PER_SECOND;
  }
}

/** Reads the newest inbox id on `pool` (the primary key's last entry). */
export function newestInboxId(pool: Pool): () => Promise<bigint> {
  return async () => {
    const result = await pool.query<{ id: string | null }>(`SELECT max(id)::text AS id FROM inbound_event`);
    return BigInt(result.rows[0]?.id ?? "0");
  };
}
