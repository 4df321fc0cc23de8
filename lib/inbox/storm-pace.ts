import type { Pool } from "pg";

/**
 * Inbound events a second above which the inbox counts as flooded. By our estimate a busy account
 * sends a few webhooks a second. Hundreds a second mean an outage storm or a replay, and then
 * acknowledging in time matters most.
 */
export const STORM_EVENTS_PER_SECOND = 150;

/**
 * While flooded, the drain starts at most one batch (200 events) per this many milliseconds, so it
 * applies at most 100 events a second.
 */
export const STORM_BATCH_INTERVAL_MS = 2_000;

/** A rate measured over less than this is too noisy to act on, so the last verdict is kept. */
const MIN_SAMPLE_MS = 200;

/** A sample older than this is no guide to the current rate, so measuring starts again. */
const MAX_SAMPLE_AGE_MS = 5_000;

export interface StormPaceOptions {
  /** The newest inbox id: ids come from one sequence, so their growth is the arrival count. */
  readNewestId: () => Promise<bigint>;
  now?: () => number;
  sleep?: (milliseconds: number) => Promise<void>;
}

/**
 * Paces the PagerDuty drain while the inbox fills faster than STORM_EVENTS_PER_SECOND. The web
 * server's acknowledgements and the worker share the machine's CPU and the database; PagerDuty
 * counts a webhook unanswered after 5 seconds and disables a subscription that keeps failing,
 * whereas a Slack message that comes a little later loses nothing. So during a flood the worker
 * applies one batch every STORM_BATCH_INTERVAL_MS, leaving the rest to the acknowledgements, and
 * catches up at full speed once the flood ends. Below the flood rate it does not wait.
 */
export class StormPace {
  private sample: { at: number; newestId: bigint } | undefined;
  private flooded = false;
  private lastBatchAt = Number.NEGATIVE_INFINITY;
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

  /** Waits during a flood until the next batch may start, and returns the milliseconds waited. */
  async beforeBatch(): Promise<number> {
    await this.measure();
    let waited = 0;
    if (this.flooded) {
      waited = Math.max(0, this.lastBatchAt + STORM_BATCH_INTERVAL_MS - this.now());
      if (waited > 0) await this.sleep(waited);
    }
    this.lastBatchAt = this.now();
    return waited;
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
