import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger as WebClientLogger } from "@slack/web-api";
import pino from "pino";
import { startFakeSlack, type FakeSlack, type FakeSlackOptions } from "./server";

/** Helpers shared by the fake Slack's tests: a stand-in app that records what Slack sends it. */

export const SIGNING_SECRET = "test-signing-secret";
export const BOT_TOKEN = "xoxb-1-test-bot-token";
export const CLIENT_ID = "1111.2222";
export const CLIENT_SECRET = "test-client-secret";

/** A logger for WebClient that drops its output, so expected Slack errors do not clutter test logs. */
export const silentSlackLogger: WebClientLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => "error" as ReturnType<WebClientLogger["getLevel"]>,
  setName: () => undefined,
};

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

export interface AppReply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Delay before the response, in milliseconds. */
  delayMs?: number;
}

export interface AppReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Decides the response to each request; the default is 200 with an empty body. */
  respond: (request: ReceivedRequest) => AppReply;
  reset(): void;
  close(): Promise<void>;
}

/** Starts a node:http server on 127.0.0.1 that plays Switchboard's part and records every request. */
export async function startAppReceiver(): Promise<AppReceiver> {
  const pending = new Set<NodeJS.Timeout>();
  const receiver: AppReceiver = {
    url: "",
    requests: [],
    respond: () => ({ status: 200 }),
    reset() {
      receiver.requests.length = 0;
      receiver.respond = () => ({ status: 200 });
    },
    close: async () => {
      for (const timer of pending) clearTimeout(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const received: ReceivedRequest = { path: request.url ?? "/", headers: request.headers, rawBody: Buffer.concat(chunks).toString("utf8") };
      receiver.requests.push(received);
      const reply = receiver.respond(received);
      const send = (): void => {
        response.writeHead(reply.status, { "Content-Type": "application/json", ...reply.headers });
        response.end(reply.body ?? "");
      };
      if (reply.delayMs) {
        const timer = setTimeout(() => {
          pending.delete(timer);
          send();
        }, reply.delayMs);
        pending.add(timer);
      } else {
        send();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

/** Checks X-Slack-Signature the way Slack documents it, independently of the fake's own signer. */
export function signatureIsValid(request: ReceivedRequest, secret: string): boolean {
  const timestamp = String(request.headers["x-slack-request-timestamp"] ?? "");
  const signature = String(request.headers["x-slack-signature"] ?? "");
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(`v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${request.rawBody}`).digest("hex")}`);
  const actual = Buffer.from(signature);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Parses the JSON of an interaction request's `payload` form field. */
export function interactionPayload(request: ReceivedRequest): Record<string, unknown> {
  const payload = new URLSearchParams(request.rawBody).get("payload");
  if (payload === null) throw new Error(`The request to ${request.path} has no payload field: ${request.rawBody.slice(0, 200)}`);
  return JSON.parse(payload) as Record<string, unknown>;
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface TestFake {
  fake: FakeSlack;
  app: AppReceiver;
  /** Calls the control API and returns the parsed JSON body. */
  control(path: string, body?: unknown, method?: string): Promise<{ status: number; json: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startTestFake(options: Partial<FakeSlackOptions> = {}): Promise<TestFake> {
  const app = await startAppReceiver();
  const fake = await startFakeSlack({
    appUrl: app.url,
    signingSecret: SIGNING_SECRET,
    botToken: BOT_TOKEN,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    logger: pino({ level: "silent" }),
    ...options,
  });
  return {
    fake,
    app,
    async control(path, body, method) {
      const response = await fetch(`${fake.url}/_sandbox${path}`, {
        method: method ?? (body === undefined ? "GET" : "POST"),
        headers: body === undefined ? {} : { "Content-Type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    },
    async close() {
      await fake.close();
      await app.close();
    },
  };
}
