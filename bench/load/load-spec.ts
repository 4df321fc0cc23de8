import type { LatencySummary } from "../support/stats.ts";

/** The line the load generator prints when its warm-up ends and the measured period starts. */
export const MEASURING_LINE = '{"event":"measuring"}';

/** One load run: where to send, how hard, and which signed requests. */
export interface LoadSpec {
  url: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  request:
    | { kind: "slack"; signingSecret: string; channelId: string }
    | { kind: "pagerduty"; secret: string; serviceCount: number; runId: string };
}

/** Measurements of one load run. Latencies cover every completed request, 2xx or not. */
export interface LoadResult {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Requests that got a response. */
  completed: number;
  /** Responses with a 2xx status. */
  ok: number;
  /** 2xx responses during the warm-up, which is not measured but does store rows. */
  warmupOk: number;
  non2xx: number;
  /** Connection errors and timeouts, as autocannon counts them. */
  errors: number;
  timeouts: number;
  /** 2xx responses per second over the measured period. */
  requestsPerSecond: number;
  latencyMs: LatencySummary;
  /** CPU time the load generator itself used during the measured period. */
  loadGeneratorCpuSeconds: number;
  statusCodes: Record<string, number>;
}
