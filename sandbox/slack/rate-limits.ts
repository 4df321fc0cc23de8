/** A rate limit decision: `retryAfter` whole seconds for the Retry-After header. */
export type RateLimitDecision = { limited: false } | { limited: true; retryAfter: number };

/**
 * Slack's "Special" tier for chat.postMessage allows about one message per second per channel with
 * short bursts. The fake models it as a token bucket per channel: `burst` messages at once, refilled
 * at `perSecond`.
 */
export const POST_MESSAGE_LIMIT = { perSecond: 1, burst: 3 } as const;

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export class RateLimiter {
  /** Remaining forced 429 responses per method, set through the control API; `channel` narrows them to one channel. */
  private forced = new Map<string, { times: number; retryAfter: number; channel?: string }>();
  private buckets = new Map<string, Bucket>();
  enforce: boolean;

  constructor(
    enforce: boolean,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.enforce = enforce;
  }

  /**
   * Makes the next `times` calls of `method` fail with 429 and Retry-After `retryAfter` seconds; with
   * `channel`, only the calls for that channel.
   */
  force(method: string, times: number, retryAfter: number, channel?: string): void {
    if (times <= 0) this.forced.delete(method);
    else this.forced.set(method, { times, retryAfter, channel });
  }

  reset(): void {
    this.forced.clear();
    this.buckets.clear();
  }

  /** Decides one call; a forced limit takes precedence over the per-channel model. */
  check(method: string, channelId: string | undefined): RateLimitDecision {
    const forced = this.forced.get(method);
    if (forced && (!forced.channel || forced.channel === channelId)) {
      forced.times -= 1;
      if (forced.times <= 0) this.forced.delete(method);
      return { limited: true, retryAfter: forced.retryAfter };
    }
    if (this.enforce && method === "chat.postMessage" && channelId) return this.takeToken(channelId);
    return { limited: false };
  }

  private takeToken(channelId: string): RateLimitDecision {
    const now = this.nowMs();
    const bucket = this.buckets.get(channelId) ?? { tokens: POST_MESSAGE_LIMIT.burst, updatedMs: now };
    const refill = ((now - bucket.updatedMs) / 1000) * POST_MESSAGE_LIMIT.perSecond;
    bucket.tokens = Math.min(POST_MESSAGE_LIMIT.burst, bucket.tokens + refill);
    bucket.updatedMs = now;
    this.buckets.set(channelId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { limited: false };
    }
    const secondsUntilToken = (1 - bucket.tokens) / POST_MESSAGE_LIMIT.perSecond;
    return { limited: true, retryAfter: Math.max(1, Math.ceil(secondsUntilToken)) };
  }
}
