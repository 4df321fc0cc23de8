import { createHmac } from "node:crypto";
import type { Logger } from "pino";
import type { Delivery, SlackState } from "./state";

/** Slack gives an app 3 seconds to acknowledge an interaction, command or event. */
export const APP_ACK_TIMEOUT_MS = 3000;

/** A request still unanswered by then is aborted, so a hung app cannot pile up sockets. */
const ABANDON_AFTER_MS = 30_000;

export interface AppEndpoints {
  interactions: string;
  events: string;
  commands: string;
}

export function appEndpoints(appUrl: string): AppEndpoints {
  const base = appUrl.replace(/\/+$/, "");
  return {
    interactions: `${base}/api/slack/interactions`,
    events: `${base}/api/slack/events`,
    commands: `${base}/api/slack/commands`,
  };
}

/** "v0=" + hex HMAC-SHA256(signing secret, "v0:{timestamp}:{body}"), as Slack signs requests. */
export function signBody(signingSecret: string, timestamp: string, body: string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface AppReply {
  /** HTTP status, or null when the app did not respond in time or could not be reached. */
  status: number | null;
  body: string;
  contentType: string;
  timedOut: boolean;
  error?: string;
  /** The app asked Slack not to retry (`X-Slack-No-Retry: 1`). */
  noRetry: boolean;
  delivery: Delivery;
}

export interface SendToAppInput {
  kind: string;
  url: string;
  body: string;
  contentType: "application/x-www-form-urlencoded" | "application/json";
  /** Set on event retries: the attempt number (1 to 3) and why the previous attempt failed. */
  retry?: { num: number; reason: string };
}

export interface AppClientContext {
  state: SlackState;
  signingSecret: string;
  logger: Logger;
  nowMs: () => number;
}

/**
 * Sends a signed request to the app and waits at most three seconds for its response. A late
 * response is still recorded in the delivery log when it arrives, but the caller gets a timeout,
 * as Slack's users do.
 */
export async function sendToApp(context: AppClientContext, input: SendToAppInput): Promise<AppReply> {
  const timestamp = String(Math.floor(context.nowMs() / 1000));
  const headers: Record<string, string> = {
    "Content-Type": input.contentType,
    "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    "X-Slack-Request-Timestamp": timestamp,
    "X-Slack-Signature": signBody(context.signingSecret, timestamp, input.body),
    ...(input.retry ? { "X-Slack-Retry-Num": String(input.retry.num), "X-Slack-Retry-Reason": input.retry.reason } : {}),
  };
  const delivery: Delivery = {
    kind: input.kind,
    url: input.url,
    body: input.body,
    contentType: input.contentType,
    headers,
    time: new Date(context.nowMs()).toISOString(),
    status: null,
    responseBody: "",
    durationMs: null,
    timedOut: false,
    ...(input.retry ? { retryNum: input.retry.num } : {}),
  };
  context.state.deliveries.push(delivery);

  const started = Date.now();
  const request = fetch(input.url, {
    method: "POST",
    headers,
    body: input.body,
    redirect: "manual",
    signal: AbortSignal.timeout(ABANDON_AFTER_MS),
  }).then(async (response) => {
    const body = await response.text();
    delivery.status = response.status;
    delivery.responseBody = body;
    delivery.durationMs = Date.now() - started;
    return {
      status: response.status,
      body,
      contentType: response.headers.get("content-type") ?? "",
      noRetry: response.headers.get("x-slack-no-retry") === "1",
    };
  });

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), APP_ACK_TIMEOUT_MS);
  });

  try {
    const outcome = await Promise.race([request, timeout]);
    if (outcome === "timeout") {
      delivery.timedOut = true;
      context.logger.warn({ kind: input.kind, url: input.url }, "app did not respond within 3 seconds; the user sees a timeout");
      request.catch((error: unknown) => {
        delivery.error = describeError(error);
        context.logger.warn({ kind: input.kind, url: input.url, error: delivery.error }, "late app request failed");
      });
      return { status: null, body: "", contentType: "", timedOut: true, noRetry: false, delivery };
    }
    if (outcome.status < 200 || outcome.status > 299) {
      context.logger.warn({ kind: input.kind, url: input.url, status: outcome.status }, "app responded with an error status");
    }
    return { ...outcome, timedOut: false, delivery };
  } catch (error) {
    delivery.error = describeError(error);
    delivery.durationMs = Date.now() - started;
    context.logger.warn({ kind: input.kind, url: input.url, error: delivery.error }, "request to the app failed");
    return { status: null, body: "", contentType: "", timedOut: false, error: delivery.error, noRetry: false, delivery };
  } finally {
    clearTimeout(timer);
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    if (cause instanceof Error) return `${error.message}: ${cause.message}`;
    return error.message;
  }
  return String(error);
}
