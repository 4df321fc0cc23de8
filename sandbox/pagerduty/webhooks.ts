import { createHmac, randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { FakeAccount, WebhookSubscriptionRecord } from "./state";

/** One V3 webhook event, with the service, teams and incident that subscription filters match on. */
export interface OutboundEvent {
  envelope: { event: { id: string; event_type: string } & Record<string, unknown> };
  incidentId: string | null;
  serviceId: string | null;
  teamIds: string[];
}

export interface WebhookDeliveryOptions {
  /** Attempts per webhook, the first one included. PagerDuty makes 5. */
  maxAttempts: number;
  /** Wait before the first retry; each later retry waits twice as long as the one before. */
  firstRetryDelayMs: number;
  /** An attempt without a response within this time counts as failed. PagerDuty waits 5 s. */
  timeoutMs: number;
  /** Consecutive dropped webhooks after which a subscription is temporarily disabled; 0 never disables. */
  disableAfterConsecutiveDrops: number;
}

/**
 * PagerDuty's documented behaviour (developer-docs `docs/webhooks/02-Behavior.md`): 5 attempts,
 * a 5-second timeout and disabling after 3 consecutive drops. Its backoff spans about 20 minutes;
 * the sandbox retries over about 15 seconds, plus any timeouts, so that failures show up quickly.
 */
export const DEFAULT_DELIVERY_OPTIONS: WebhookDeliveryOptions = {
  maxAttempts: 5,
  firstRetryDelayMs: 1000,
  timeoutMs: 5000,
  disableAfterConsecutiveDrops: 3,
};

export type DeliveryOutcome = "delivered" | "will_retry" | "dropped";

/** One delivery attempt, as listed by GET /_sandbox/webhook-deliveries. */
export interface DeliveryAttempt {
  at: string;
  subscriptionId: string;
  url: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  incidentId: string | null;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  outcome: DeliveryOutcome;
  durationMs: number;
}

interface QueuedWebhook {
  webhookId: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  incidentId: string | null;
  body: string;
}

/** The delivery log keeps the newest attempts only, so a long sandbox session stays small. */
const MAX_LOGGED_ATTEMPTS = 2000;

export const WEBHOOK_USER_AGENT = "PagerDuty-Webhook/V3.0";

/**
 * Sends V3 webhooks: signed, asynchronous, in order per subscription and incident, retried on
 * timeouts, connection errors, 5xx and 429, and dropped on other 4xx.
 */
export class WebhookDispatcher {
  readonly attempts: DeliveryAttempt[] = [];
  private readonly queues = new Map<string, QueuedWebhook[]>();
  private readonly pendingSleeps = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  private readonly inFlight = new Set<AbortController>();
  /** Bumped by reset() and close(); delivery loops of an older generation stop at their next step. */
  private generation = 0;

  constructor(
    private readonly currentAccount: () => FakeAccount,
    private readonly options: WebhookDeliveryOptions,
    private readonly logger: Logger,
    private readonly now: () => Date,
  ) {}

  /** Queues the event for every active subscription whose events and filter match it. */
  publish(event: OutboundEvent): void {
    for (const subscription of this.currentAccount().subscriptions.values()) {
      if (!subscription.active || subscription.temporarilyDisabled) continue;
      if (!subscription.events.includes(event.envelope.event.event_type)) continue;
      if (!filterMatches(subscription, event)) continue;
      this.enqueue(subscription, event);
    }
  }

  /** Sends a pagey.ping event to one subscription, whatever its events and filter are. */
  ping(subscription: WebhookSubscriptionRecord): void {
    const envelope = {
      event: {
        id: randomUUID(),
        event_type: "pagey.ping",
        resource_type: "pagey",
        occurred_at: this.now().toISOString(),
        agent: null,
        client: null,
        data: { message: "Hello from your friend Pagey!", type: "ping" },
      },
    };
    this.enqueue(subscription, { envelope, incidentId: null, serviceId: null, teamIds: [] });
  }

  /** Drops every queued webhook and the delivery log, and stops retries in progress. */
  reset(): void {
    this.generation += 1;
    this.queues.clear();
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
    for (const sleep of this.pendingSleeps) {
      clearTimeout(sleep.timer);
      sleep.wake();
    }
    this.pendingSleeps.clear();
    this.attempts.length = 0;
  }

  private enqueue(subscription: WebhookSubscriptionRecord, event: OutboundEvent): void {
    const key = `${subscription.id}:${event.incidentId ?? "-"}`;
    const webhook: QueuedWebhook = {
      webhookId: randomUUID(),
      subscriptionId: subscription.id,
      eventId: event.envelope.event.id,
      eventType: event.envelope.event.event_type,
      incidentId: event.incidentId,
      // Serialised once, so every retry sends (and signs) the same bytes.
      body: JSON.stringify(event.envelope),
    };
    const queue = this.queues.get(key);
    if (queue) {
      queue.push(webhook);
      return;
    }
    this.queues.set(key, [webhook]);
    void this.drain(key, this.generation);
  }

  /** Delivers one queue's webhooks one after the other; a failing one holds back those behind it. */
  private async drain(key: string, generation: number): Promise<void> {
    // Delivery starts after the API call that caused it has returned.
    await new Promise((resolve) => setImmediate(resolve));
    while (generation === this.generation) {
      const queue = this.queues.get(key);
      const webhook = queue?.[0];
      if (!queue || !webhook) break;
      try {
        await this.deliver(webhook, generation);
      } catch (error) {
        this.logger.error({ err: error, webhookId: webhook.webhookId, subscriptionId: webhook.subscriptionId }, "webhook delivery failed unexpectedly");
      }
      queue.shift();
      if (queue.length === 0 && this.queues.get(key) === queue) this.queues.delete(key);
    }
  }

  private async deliver(webhook: QueuedWebhook, generation: number): Promise<void> {
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
      if (generation !== this.generation) return;
      const subscription = this.currentAccount().subscriptions.get(webhook.subscriptionId);
      if (!subscription || !subscription.active || subscription.temporarilyDisabled) {
        let reason = "subscription was deleted";
        if (subscription && !subscription.active) reason = "subscription is inactive";
        else if (subscription) reason = "subscription is temporarily disabled";
        this.record(webhook, { attempt, url: subscription?.url ?? "", statusCode: null, error: `not sent: ${reason}`, outcome: "dropped", durationMs: 0 });
        return;
      }

      const startedAt = Date.now();
      const result = await this.post(subscription, webhook);
      if (generation !== this.generation) return;
      const durationMs = Date.now() - startedAt;

      if (result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300) {
        this.record(webhook, { attempt, url: subscription.url, statusCode: result.statusCode, error: null, outcome: "delivered", durationMs });
        subscription.consecutiveDrops = 0;
        return;
      }

      const retryable = result.statusCode === null || result.statusCode >= 500 || result.statusCode === 429;
      const lastAttempt = attempt === this.options.maxAttempts;
      if (!retryable || lastAttempt) {
        const error = result.error ?? `HTTP ${result.statusCode}`;
        const reason = retryable ? `${error}; gave up after ${attempt} attempts` : `${error}; 4xx responses other than 429 are not retried`;
        this.record(webhook, { attempt, url: subscription.url, statusCode: result.statusCode, error: reason, outcome: "dropped", durationMs });
        this.logger.warn({ webhookId: webhook.webhookId, subscriptionId: subscription.id, eventType: webhook.eventType, statusCode: result.statusCode, attempt }, "webhook dropped");
        this.countDrop(subscription);
        return;
      }

      const delayMs = this.options.firstRetryDelayMs * 2 ** (attempt - 1);
      this.record(webhook, { attempt, url: subscription.url, statusCode: result.statusCode, error: result.error ?? `HTTP ${result.statusCode}`, outcome: "will_retry", durationMs });
      this.logger.info({ webhookId: webhook.webhookId, subscriptionId: subscription.id, statusCode: result.statusCode, error: result.error, attempt, delayMs }, "webhook will be retried");
      await this.sleep(delayMs);
    }
  }

  private async post(subscription: WebhookSubscriptionRecord, webhook: QueuedWebhook): Promise<{ statusCode: number | null; error: string | null }> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timer = setTimeout(() => controller.abort(new Error(`timed out after ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
    try {
      const headers: Record<string, string> = {};
      for (const header of subscription.customHeaders) headers[header.name] = header.value;
      Object.assign(headers, {
        "Content-Type": "application/json",
        "User-Agent": WEBHOOK_USER_AGENT,
        "X-Webhook-Id": webhook.webhookId,
        "X-Webhook-Subscription": subscription.id,
        "X-PagerDuty-Signature": `v1=${createHmac("sha256", subscription.secret).update(webhook.body).digest("hex")}`,
      });
      const response = await fetch(subscription.url, {
        method: "POST",
        headers,
        body: webhook.body,
        redirect: "manual",
        signal: controller.signal,
      });
      // Reading the body frees the connection and, like PagerDuty, waits for the whole response.
      await response.arrayBuffer();
      return { statusCode: response.status, error: null };
    } catch (error) {
      return { statusCode: null, error: describeFetchError(error, controller.signal) };
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
  }

  private countDrop(subscription: WebhookSubscriptionRecord): void {
    subscription.consecutiveDrops += 1;
    const threshold = this.options.disableAfterConsecutiveDrops;
    if (threshold <= 0 || subscription.consecutiveDrops < threshold) return;

    subscription.temporarilyDisabled = true;
    // PagerDuty drops the queue of a disabled subscription; the webhook being sent stays at the head
    // of its queue until drain() removes it.
    for (const [key, queue] of this.queues) {
      if (key.startsWith(`${subscription.id}:`)) queue.splice(1);
    }
    this.logger.warn({ subscriptionId: subscription.id, consecutiveDrops: subscription.consecutiveDrops }, "webhook subscription temporarily disabled");
  }

  private record(webhook: QueuedWebhook, attempt: Omit<DeliveryAttempt, "at" | "subscriptionId" | "webhookId" | "eventId" | "eventType" | "incidentId">): void {
    this.attempts.push({
      at: this.now().toISOString(),
      subscriptionId: webhook.subscriptionId,
      webhookId: webhook.webhookId,
      eventId: webhook.eventId,
      eventType: webhook.eventType,
      incidentId: webhook.incidentId,
      ...attempt,
    });
    if (this.attempts.length > MAX_LOGGED_ATTEMPTS) this.attempts.splice(0, this.attempts.length - MAX_LOGGED_ATTEMPTS);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.pendingSleeps.delete(entry);
          resolve();
        }, ms),
        wake: resolve,
      };
      this.pendingSleeps.add(entry);
    });
  }
}

function filterMatches(subscription: WebhookSubscriptionRecord, event: OutboundEvent): boolean {
  switch (subscription.filter.type) {
    case "account_reference":
      return true;
    case "service_reference":
      return event.serviceId === subscription.filter.id;
    case "team_reference":
      return event.teamIds.includes(subscription.filter.id);
  }
}

function describeFetchError(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    return reason instanceof Error ? reason.message : "aborted";
  }
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    if (cause instanceof Error) return cause.message;
    return error.message;
  }
  return String(error);
}

/** Checks that a webhook URL points at this machine; by default the sandbox sends webhooks nowhere else. */
export function isLoopbackUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return false;
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
