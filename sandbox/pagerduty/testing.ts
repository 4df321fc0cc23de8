import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { startFakePagerDuty, type FakePagerDuty, type FakePagerDutyOptions } from "./server";

// Helpers for tests that talk to the fake PagerDuty over HTTP.

export const TEST_API_TOKEN = "sandbox-test-token-0001";
export const TEST_WEBHOOK_SECRET = "sandbox-test-webhook-secret";

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: { event: Record<string, unknown> & { id: string; event_type: string; data: Record<string, unknown> } };
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on 127.0.0.1 that records every POST. `respond` picks the status code
 * for each request (its index counts from 0) and may delay the response by returning a promise.
 */
export async function startWebhookReceiver(respond: (webhook: ReceivedWebhook, index: number) => number | Promise<number> = () => 202): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const webhook: ReceivedWebhook = { path: request.url ?? "/", headers: request.headers, rawBody, body: JSON.parse(rawBody) as ReceivedWebhook["body"] };
      const index = received.length;
      received.push(webhook);
      void Promise.resolve(respond(webhook, index)).then((status) => {
        if (response.destroyed) return;
        response.writeHead(status, { "Content-Type": "text/plain" });
        response.end(String(status));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/pagerduty/webhooks`,
    received,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Starts the fake with a silent logger and quick webhook retries. */
export function startTestFake(options: Partial<FakePagerDutyOptions> = {}): Promise<FakePagerDuty> {
  return startFakePagerDuty({
    apiToken: TEST_API_TOKEN,
    logger: pino({ level: "silent" }),
    ...options,
    webhookDelivery: { firstRetryDelayMs: 20, timeoutMs: 2000, ...options.webhookDelivery },
  });
}

/** Polls `check` until it returns something other than undefined, or fails after the deadline. */
export async function waitFor<T>(description: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
}

/** A REST client for the fake: sends the API token, the version header and an optional From. */
export function restClient(baseUrl: string, token = TEST_API_TOKEN) {
  return async function request(method: string, path: string, options: { body?: unknown; from?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = {
      Authorization: `Token token=${token}`,
      Accept: "application/vnd.pagerduty+json;version=2",
      ...options.headers,
    };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    if (options.from) headers.From = options.from;
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      redirect: "manual",
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as unknown) : null };
  };
}

export function incidentBody(serviceId: string, title: string, extra: Record<string, unknown> = {}) {
  return { incident: { type: "incident", title, service: { id: serviceId, type: "service_reference" }, ...extra } };
}
