import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeSlack, type FakeSlack } from "../../sandbox/slack/server";

const BOT_TOKEN = "xoxb-client-test-token";
const INCIDENTS_CHANNEL = "C0INCIDENT";
const log = pino({ level: "silent" });
let slack: FakeSlack;

beforeAll(async () => {
  slack = await startFakeSlack({ appUrl: "http://127.0.0.1:9", signingSecret: "client-test-secret", botToken: BOT_TOKEN, logger: log });
  // getEnv() reads these once, on first use, which comes after this.
  process.env.SLACK_API_URL = slack.apiUrl;
  process.env.ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
});

afterAll(async () => {
  await slack.close();
});

async function forceRateLimit(method: string, times: number): Promise<void> {
  const response = await fetch(`${slack.url}/_sandbox/rate-limit`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ method, times, retryAfter: 1 }),
  });
  expect(response.status).toBe(200);
}

async function setEnforcedLimits(enforce: boolean): Promise<void> {
  const response = await fetch(`${slack.url}/_sandbox/rate-limit-mode`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ enforce }),
  });
  expect(response.status).toBe(200);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("Timed out waiting for the fake Slack's call log");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function statusesOf(method: string): Promise<number[]> {
  const response = await fetch(`${slack.url}/_sandbox/calls?method=${method}`);
  const { calls } = (await response.json()) as { calls: { status: number }[] };
  return calls.map((call) => call.status);
}

describe("waitOutRateLimits", () => {
  it("posts once after waiting out 429s", async () => {
    const { createSlackClient, waitOutRateLimits } = await import("./client");
    const client = createSlackClient(BOT_TOKEN, { rejectRateLimitedCalls: true });
    await forceRateLimit("chat.postMessage", 2);

    const started = Date.now();
    const result = await waitOutRateLimits(() => client.chat.postMessage({ channel: INCIDENTS_CHANNEL, text: "Rate-limited post" }), {
      log,
      method: "chat.postMessage",
      channelId: INCIDENTS_CHANNEL,
    });

    expect(result.ok).toBe(true);
    expect((await statusesOf("chat.postMessage")).slice(-3)).toEqual([429, 429, 200]);
    // Two waits of Retry-After: 1 second each.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
  });

  it("waits in one channel while others post", async () => {
    const { deliveryClientFor, waitOutRateLimits } = await import("./client");
    const { encryptSecret } = await import("../crypto/secret-box");
    const { requireEncryptionKey } = await import("../crypto/keys");
    const client = deliveryClientFor({ id: "workspace-under-test", botTokenEncrypted: encryptSecret(BOT_TOKEN, requireEncryptionKey()) });
    await setEnforcedLimits(true);
    try {
      // Three posts use up the channel's burst, so the fourth is rate-limited for about a second.
      for (let index = 0; index < 3; index++) await client.chat.postMessage({ channel: INCIDENTS_CHANNEL, text: `Burst ${index}` });
      const limited = waitOutRateLimits(() => client.chat.postMessage({ channel: INCIDENTS_CHANNEL, text: "Over the limit" }), {
        log,
        method: "chat.postMessage",
        channelId: INCIDENTS_CHANNEL,
      });
      await waitFor(async () => (await statusesOf("chat.postMessage")).includes(429));

      const started = Date.now();
      await client.chat.postMessage({ channel: "C0PLATFORM", text: "Another channel" });
      expect(Date.now() - started, "a post to another channel does not wait for the limited one").toBeLessThan(500);
      expect((await limited).ok).toBe(true);
    } finally {
      await setEnforcedLimits(false);
    }
  });

  it("passes other Slack errors through at once", async () => {
    const { createSlackClient, slackErrorName, waitOutRateLimits } = await import("./client");
    const client = createSlackClient(BOT_TOKEN, { rejectRateLimitedCalls: true });

    const error = await waitOutRateLimits(() => client.chat.postMessage({ channel: "C0NOSUCHCH", text: "Nowhere" }), {
      log,
      method: "chat.postMessage",
      channelId: "C0NOSUCHCH",
    }).catch((caught: unknown) => caught);

    expect(slackErrorName(error)).toBe("channel_not_found");
  });
});
