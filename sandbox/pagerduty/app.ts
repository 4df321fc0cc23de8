import type { Logger } from "pino";
import type { IncidentContext } from "./incidents";
import { Renderer } from "./render";
import { FakeAccount, INCIDENT_EVENT_TYPES, SEEDED_SUBSCRIPTION_ID, newObjectId } from "./state";
import { WebhookDispatcher, type WebhookDeliveryOptions } from "./webhooks";

export interface AppConfig {
  /** The server's own origin, for `self` and `html_url`, e.g. http://127.0.0.1:4010. */
  origin: string;
  apiToken: string;
  webhookUrl?: string;
  webhookSecret?: string;
  allowNonLoopbackWebhooks: boolean;
  delivery: WebhookDeliveryOptions;
  logger: Logger;
  clock: () => Date;
}

/** One REST request as GET /_sandbox/requests lists it. */
export interface LoggedRequest {
  at: string;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body: unknown;
  status: number;
}

/** The request log keeps the newest requests only, so a long sandbox session stays small. */
const MAX_LOGGED_REQUESTS = 2000;

/** The fake's whole state: the account, the request log, forced rate limits and webhook delivery. */
export class FakePagerDutyApp {
  account: FakeAccount;
  render: Renderer;
  readonly dispatcher: WebhookDispatcher;
  readonly requests: LoggedRequest[] = [];
  /** How many upcoming REST calls get 429, as set by POST /_sandbox/rate-limit. */
  forcedRateLimits = 0;
  rateLimitResetSeconds = 1;
  /** REST calls in the current minute, for the ratelimit-remaining header. */
  private rateWindow = { startedAt: 0, count: 0 };

  constructor(readonly config: AppConfig) {
    this.account = this.seedAccount();
    this.render = new Renderer(this.account, config.origin);
    this.dispatcher = new WebhookDispatcher(() => this.account, config.delivery, config.logger, config.clock);
  }

  /** Returns the current time as an ISO 8601 string with milliseconds. */
  now(): string {
    return this.config.clock().toISOString();
  }

  incidentContext(): IncidentContext {
    return {
      account: this.account,
      render: this.render,
      now: () => this.now(),
      publish: (event) => this.dispatcher.publish(event),
    };
  }

  /** Puts everything back to the seed: incidents, notes, subscriptions, logs and rate limits. */
  reset(): void {
    this.dispatcher.reset();
    this.account = this.seedAccount();
    this.render = new Renderer(this.account, this.config.origin);
    this.requests.length = 0;
    this.forcedRateLimits = 0;
    this.rateLimitResetSeconds = 1;
    this.rateWindow = { startedAt: 0, count: 0 };
  }

  logRequest(request: LoggedRequest): void {
    this.requests.push(request);
    if (this.requests.length > MAX_LOGGED_REQUESTS) this.requests.splice(0, this.requests.length - MAX_LOGGED_REQUESTS);
  }

  /**
   * Counts one REST call and returns the rate-limit headers PagerDuty sends. The fake reports
   * PagerDuty's limit of 960 requests per minute but rejects calls only when the control API
   * requests it.
   */
  countRateLimitedCall(): Record<string, string> {
    const nowMs = this.config.clock().getTime();
    if (nowMs - this.rateWindow.startedAt >= 60_000) this.rateWindow = { startedAt: nowMs, count: 0 };
    this.rateWindow.count += 1;
    const resetSeconds = Math.max(1, Math.ceil((this.rateWindow.startedAt + 60_000 - nowMs) / 1000));
    return {
      "ratelimit-limit": "960",
      "ratelimit-remaining": String(Math.max(0, 960 - this.rateWindow.count)),
      "ratelimit-reset": String(resetSeconds),
    };
  }

  private seedAccount(): FakeAccount {
    const account = new FakeAccount(this.now());
    if (this.config.webhookUrl && this.config.webhookSecret) {
      account.subscriptions.set(SEEDED_SUBSCRIPTION_ID, {
        id: SEEDED_SUBSCRIPTION_ID,
        deliveryMethodId: newObjectId(),
        description: "Switchboard (seeded by the sandbox)",
        url: this.config.webhookUrl,
        customHeaders: [],
        events: [...INCIDENT_EVENT_TYPES],
        filter: { type: "account_reference" },
        active: true,
        secret: this.config.webhookSecret,
        temporarilyDisabled: false,
        consecutiveDrops: 0,
      });
    }
    return account;
  }
}
