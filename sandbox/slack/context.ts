import type { KeyObject } from "node:crypto";
import type { Logger } from "pino";
import type { AppEndpoints } from "./app-client";
import type { RateLimiter } from "./rate-limits";
import type { SlackState } from "./state";

/** Pagination quirks the control API can switch on, as real Slack shows them now and then. */
export interface PaginationQuirks {
  /** Maximum items per page, whatever the `limit` argument; null for no cap. */
  maxPageSize: number | null;
  /** This many empty pages (each with a next_cursor) come before the first item. */
  emptyPages: number;
}

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

/** Everything a request handler of the fake needs; one per running server. */
export interface ServerContext {
  state: SlackState;
  rateLimiter: RateLimiter;
  /** The fake's own origin, e.g. "http://127.0.0.1:4001"; known once the server listens. */
  origin: string;
  endpoints: AppEndpoints;
  appUrl: string;
  signingSecret: string;
  /** The deprecated verification token sent in payloads' `token` field. */
  verificationToken: string;
  clientId?: string;
  clientSecret?: string;
  logger: Logger;
  nowMs: () => number;
  pagination: PaginationQuirks;
  slashCommands: string[];
  openidKey: SigningKey;
  /** Delays of Slack's event retries after a failed delivery (1st, 2nd, 3rd retry). */
  eventRetryDelaysMs: number[];
  /** Pending retry timers, cleared on close and reset. */
  timers: Set<NodeJS.Timeout>;
}
