import { ErrorCode, WebClient } from "@slack/web-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  BOT_TOKEN,
  SIGNING_SECRET,
  interactionPayload,
  signatureIsValid,
  silentSlackLogger,
  startTestFake,
  waitFor,
  type TestFake,
} from "./test-support";

const INCIDENTS = "C0INCIDENT";
const PLATFORM = "C0PLATFORM";
const GENERAL = "C0GENERAL1";
const SECURITY = "C0SECURITY";
const ROSA = "U0ROSA0001";
const OLIVIA = "U0OLIVIA01";
const TS_PATTERN = /^\d{10}\.\d{6}$/;

let sandbox: TestFake;
let slack: WebClient;

function client(token = BOT_TOKEN, options: ConstructorParameters<typeof WebClient>[1] = {}): WebClient {
  return new WebClient(token, { slackApiUrl: sandbox.fake.apiUrl, retryConfig: { retries: 0 }, logger: silentSlackLogger, ...options });
}

/** Returns the Slack error name and body of a rejected Web API call. */
async function slackError(call: Promise<unknown>): Promise<{ error: string; data: Record<string, unknown> }> {
  try {
    await call;
  } catch (error) {
    const failure = error as { code?: string; data?: Record<string, unknown> };
    if (failure.code === ErrorCode.PlatformError && failure.data) return { error: String(failure.data.error), data: failure.data };
    throw error;
  }
  throw new Error("expected the call to fail");
}

function button(actionId: string, text: string, value = "v"): Record<string, unknown> {
  return { type: "button", action_id: actionId, text: { type: "plain_text", text }, value };
}

function overflow(actionId: string, count: number): Record<string, unknown> {
  return {
    type: "overflow",
    action_id: actionId,
    options: Array.from({ length: count }, (_, index) => ({ text: { type: "plain_text", text: `Option ${index}` }, value: `option_${index}` })),
  };
}

async function pageState(channelId: string, viewerId: string): Promise<{ messages: Array<{ ts: string; html: string }> }> {
  const response = await fetch(`${sandbox.fake.url}/client/${channelId}/state?as=${viewerId}`);
  return (await response.json()) as { messages: Array<{ ts: string; html: string }> };
}

beforeAll(async () => {
  sandbox = await startTestFake();
  slack = client();
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(async () => {
  await sandbox.control("/reset", {});
  sandbox.app.reset();
});

describe("authentication", () => {
  it("auth.test names the bot", async () => {
    const result = await slack.auth.test();
    expect(result.ok).toBe(true);
    expect(result.user_id).toBe("U0SWITCHBD");
    expect(result.bot_id).toBe("B0SWITCHBD");
    expect(result.team_id).toBe("T0SANDBOX1");
    expect(result.url).toBe(`${sandbox.fake.url}/`);
  });

  it("rejects an unknown token with invalid_auth", async () => {
    expect((await slackError(client("xoxb-wrong").auth.test())).error).toBe("invalid_auth");
  });

  it("rejects a missing token with not_authed", async () => {
    const response = await fetch(`${sandbox.fake.apiUrl}auth.test`, { method: "POST" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: false, error: "not_authed" });
  });

  it("accepts the token as a form field", async () => {
    const response = await fetch(`${sandbox.fake.apiUrl}auth.test`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: BOT_TOKEN }).toString(),
    });
    expect(((await response.json()) as { ok: boolean }).ok).toBe(true);
  });
});

describe("chat.postMessage", () => {
  it("posts by channel id and returns the message", async () => {
    const result = await slack.chat.postMessage({ channel: INCIDENTS, text: "Checkout is down", blocks: [{ type: "divider" }] });
    expect(result.channel).toBe(INCIDENTS);
    expect(result.ts).toMatch(TS_PATTERN);
    expect(result.message?.ts).toBe(result.ts);
    expect(result.message?.text).toBe("Checkout is down");
    expect(result.message?.bot_id).toBe("B0SWITCHBD");
    expect(result.message?.blocks?.[0]?.type).toBe("divider");
    expect(result.message?.blocks?.[0]?.block_id).toEqual(expect.any(String));
  });

  it("posts by channel name with or without #", async () => {
    const byName = await slack.chat.postMessage({ channel: "incidents", text: "one" });
    const byHash = await slack.chat.postMessage({ channel: "#platform-alerts", text: "two" });
    expect(byName.channel).toBe(INCIDENTS);
    expect(byHash.channel).toBe(PLATFORM);
  });

  it("gives unique, increasing ts per channel", async () => {
    const stamps: string[] = [];
    for (let index = 0; index < 5; index += 1) stamps.push(String((await slack.chat.postMessage({ channel: INCIDENTS, text: `n${index}` })).ts));
    expect(new Set(stamps).size).toBe(5);
    expect([...stamps].sort((a, b) => Number(a) - Number(b))).toEqual(stamps);
  });

  it("posts thread replies and broadcasts", async () => {
    const parent = await slack.chat.postMessage({ channel: INCIDENTS, text: "parent" });
    const reply = await slack.chat.postMessage({ channel: INCIDENTS, text: "reply", thread_ts: String(parent.ts), reply_broadcast: true });
    expect(reply.message?.thread_ts).toBe(parent.ts);
    expect(reply.message?.parent_user_id).toBe("U0SWITCHBD");
    const { json } = await sandbox.control(`/channels/${INCIDENTS}/messages`);
    const stored = (json.messages as Array<Record<string, unknown>>).find((message) => message.ts === reply.ts);
    expect(stored?.reply_broadcast).toBe(true);
  });

  it("records unfurl flags in the call log", async () => {
    await slack.chat.postMessage({ channel: INCIDENTS, text: "https://example.com", unfurl_links: false, unfurl_media: false });
    const { json } = await sandbox.control("/calls?method=chat.postMessage");
    const calls = json.calls as Array<{ args: Record<string, unknown>; status: number }>;
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args.unfurl_links).toBe("false");
    expect(calls[0]?.args).not.toHaveProperty("token");
  });

  it("accepts a JSON body with the token in the header", async () => {
    const response = await fetch(`${sandbox.fake.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: { "Content-Type": "application/json; charset=utf-8", Authorization: `Bearer ${BOT_TOKEN}` },
      body: JSON.stringify({ channel: INCIDENTS, text: "json", blocks: [{ type: "section", text: { type: "mrkdwn", text: "*json*" } }] }),
    });
    const body = (await response.json()) as { ok: boolean; message: { blocks: unknown[] } };
    expect(body.ok).toBe(true);
    expect(body.message.blocks).toHaveLength(1);
  });

  it.each([
    ["an unknown channel", { channel: "C0NOPE0000", text: "x" }, "channel_not_found"],
    ["a private channel the bot is not in", { channel: SECURITY, text: "x" }, "channel_not_found"],
    ["a channel the bot is not in", { channel: GENERAL, text: "x" }, "not_in_channel"],
    ["no text and no blocks", { channel: INCIDENTS }, "no_text"],
    ["blocks that are not JSON", { channel: INCIDENTS, blocks: "[{" }, "invalid_blocks_format"],
  ])("rejects %s", async (_case, args, expected) => {
    expect((await slackError(slack.apiCall("chat.postMessage", args))).error).toBe(expected);
  });

  it("rejects an archived channel with is_archived", async () => {
    const created = await slack.conversations.create({ name: "old-incident" });
    await slack.conversations.archive({ channel: String(created.channel?.id) });
    expect((await slackError(slack.chat.postMessage({ channel: String(created.channel?.id), text: "x" }))).error).toBe("is_archived");
  });
});

describe("Block Kit limits", () => {
  const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });
  const fields = (count: number, length: number) => ({
    type: "section",
    fields: Array.from({ length: count }, () => ({ type: "mrkdwn", text: "f".repeat(length) })),
  });
  const cases: Array<[string, unknown[], string | null]> = [
    ["50 blocks", Array.from({ length: 50 }, () => ({ type: "divider" })), null],
    ["51 blocks", Array.from({ length: 51 }, () => ({ type: "divider" })), "no more than 50 items allowed [json-pointer:/blocks]"],
    ["a 150-character header", [{ type: "header", text: { type: "plain_text", text: "h".repeat(150) } }], null],
    ["a 151-character header", [{ type: "header", text: { type: "plain_text", text: "h".repeat(151) } }], "must be less than 151 characters [json-pointer:/blocks/0/text/text]"],
    ["3000 characters of section text", [section("s".repeat(3000))], null],
    ["3001 characters of section text", [section("s".repeat(3001))], "must be less than 3001 characters [json-pointer:/blocks/0/text/text]"],
    ["10 fields of 2000", [fields(10, 2000)], null],
    ["11 fields", [fields(11, 10)], "no more than 10 items allowed [json-pointer:/blocks/0/fields]"],
    ["a 2001-character field", [fields(1, 2001)], "must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]"],
    ["a 75-character button", [{ type: "actions", elements: [button("a", "b".repeat(75))] }], null],
    ["a 76-character button", [{ type: "actions", elements: [button("a", "b".repeat(76))] }], "must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]"],
    ["an overflow with 2 options", [{ type: "actions", elements: [overflow("o", 2)] }], null],
    ["an overflow with 1 option", [{ type: "actions", elements: [overflow("o", 1)] }], "must provide at least 2 items [json-pointer:/blocks/0/elements/0/options]"],
    ["an overflow with 5 options", [{ ...section("x"), accessory: overflow("o", 5) }], null],
    ["an overflow with 6 options", [{ ...section("x"), accessory: overflow("o", 6) }], "no more than 5 items allowed [json-pointer:/blocks/0/accessory/options]"],
    ["a 255-character action_id", [{ type: "actions", elements: [button("a".repeat(255), "ok")] }], null],
    ["a 256-character action_id", [{ type: "actions", elements: [button("a".repeat(256), "ok")] }], "must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]"],
    ["an unknown block type", [{ type: "carousel" }], "unsupported type: carousel [json-pointer:/blocks/0/type]"],
  ];

  it.each(cases)("handles %s", async (_case, blocks, expectedMessage) => {
    const call = slack.chat.postMessage({ channel: INCIDENTS, text: "fallback", blocks: blocks as never });
    if (expectedMessage === null) {
      expect((await call).ok).toBe(true);
      return;
    }
    const { error, data } = await slackError(call);
    expect(error).toBe("invalid_blocks");
    expect((data.response_metadata as { messages: string[] }).messages).toContain(`[ERROR] ${expectedMessage}`);
    expect(data.errors).toContain(expectedMessage);
  });
});

describe("chat.update", () => {
  it("edits the bot's message in place", async () => {
    const posted = await slack.chat.postMessage({ channel: INCIDENTS, text: "before" });
    const updated = await slack.chat.update({ channel: INCIDENTS, ts: String(posted.ts), text: "after" });
    expect(updated.ts).toBe(posted.ts);
    expect(updated.text).toBe("after");
    const { json } = await sandbox.control(`/channels/${INCIDENTS}/messages`);
    const messages = json.messages as Array<Record<string, unknown>>;
    expect(messages).toHaveLength(1);
    expect(messages[0]?.text).toBe("after");
    expect(messages[0]?.edited).toEqual({ user: "U0SWITCHBD", ts: expect.stringMatching(TS_PATTERN) });
  });

  it("keeps blocks when the update sends none", async () => {
    const posted = await slack.chat.postMessage({ channel: INCIDENTS, text: "t", blocks: [{ type: "divider" }] });
    const updated = await slack.chat.update({ channel: INCIDENTS, ts: String(posted.ts), text: "t2" });
    expect(updated.message?.blocks).toHaveLength(1);
  });

  it("rejects an unknown ts with message_not_found", async () => {
    expect((await slackError(slack.chat.update({ channel: INCIDENTS, ts: "1700000000.000001", text: "x" }))).error).toBe("message_not_found");
  });

  it("rejects a person's message with cant_update_message", async () => {
    const sent = await sandbox.control("/messages", { userId: ROSA, channelId: INCIDENTS, text: "human words" });
    const ts = String(sent.json.messageTs);
    expect((await slackError(slack.chat.update({ channel: INCIDENTS, ts, text: "x" }))).error).toBe("cant_update_message");
  });

  it("rejects text over 4000 characters with msg_too_long", async () => {
    const posted = await slack.chat.postMessage({ channel: INCIDENTS, text: "short" });
    expect((await slackError(slack.chat.update({ channel: INCIDENTS, ts: String(posted.ts), text: "x".repeat(4001) }))).error).toBe("msg_too_long");
  });
});

describe("control API", () => {
  it("DELETE /messages empties histories, keeps channels", async () => {
    await slack.chat.postMessage({ channel: INCIDENTS, text: "first" });
    await slack.chat.postMessage({ channel: PLATFORM, text: "second" });

    const cleared = await sandbox.control("/messages", undefined, "DELETE");
    expect(cleared.status).toBe(200);

    for (const channel of [INCIDENTS, PLATFORM]) {
      const { json } = await sandbox.control(`/channels/${channel}/messages`);
      expect(json.messages).toEqual([]);
    }
    const posted = await slack.chat.postMessage({ channel: INCIDENTS, text: "after clearing" });
    expect(posted.ok).toBe(true);
    const { json } = await sandbox.control("/calls");
    expect((json.calls as unknown[]).length).toBeGreaterThanOrEqual(3);
  });
});

describe("chat.postEphemeral", () => {
  it("shows the message only to its user", async () => {
    const result = await slack.chat.postEphemeral({ channel: INCIDENTS, user: ROSA, text: "only for Rosa" });
    expect(result.message_ts).toMatch(TS_PATTERN);

    const rosa = await pageState(INCIDENTS, ROSA);
    const olivia = await pageState(INCIDENTS, OLIVIA);
    expect(rosa.messages.map((message) => message.ts)).toContain(result.message_ts);
    expect(rosa.messages[0]?.html).toContain("Only visible to you");
    expect(olivia.messages.map((message) => message.ts)).not.toContain(result.message_ts);

    const { json } = await sandbox.control(`/channels/${INCIDENTS}/messages`);
    expect(json.messages).toEqual([expect.objectContaining({ ts: result.message_ts, is_ephemeral: true, visible_to: ROSA })]);
  });

  it("rejects a user outside the channel with user_not_in_channel", async () => {
    expect((await slackError(slack.chat.postEphemeral({ channel: PLATFORM, user: ROSA, text: "x" }))).error).toBe("user_not_in_channel");
  });
});

describe("users and conversations", () => {
  it("users.info returns a seeded person", async () => {
    const result = await slack.users.info({ user: ROSA });
    expect(result.user?.real_name).toBe("Rosa Responder");
    expect(result.user?.profile?.email).toBe("rosa.responder@example.com");
    expect(result.user?.tz).toBe("Europe/Berlin");
  });

  it("users.info rejects an unknown id with user_not_found", async () => {
    expect((await slackError(slack.users.info({ user: "U0NOBODY00" }))).error).toBe("user_not_found");
  });

  it("users.info ignores a JSON body, as Slack does", async () => {
    const response = await fetch(`${sandbox.fake.apiUrl}users.info`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${BOT_TOKEN}` },
      body: JSON.stringify({ user: ROSA }),
    });
    expect(await response.json()).toEqual({ ok: false, error: "user_not_found" });
  });

  it("users.lookupByEmail ignores case", async () => {
    const result = await slack.users.lookupByEmail({ email: "Olivia.OWNER@Example.com" });
    expect(result.user?.id).toBe(OLIVIA);
  });

  it("users.lookupByEmail rejects a person without Slack with users_not_found", async () => {
    expect((await slackError(slack.users.lookupByEmail({ email: "paula.pageronly@example.com" }))).error).toBe("users_not_found");
  });

  it("conversations.info describes a channel", async () => {
    const result = await slack.conversations.info({ channel: INCIDENTS, include_num_members: true });
    expect(result.channel?.name).toBe("incidents");
    expect(result.channel?.is_member).toBe(true);
    expect(result.channel?.num_members).toBe(10);
  });

  it("conversations.info hides a private channel the bot is not in", async () => {
    expect((await slackError(slack.conversations.info({ channel: SECURITY }))).error).toBe("channel_not_found");
  });
});

describe("rate limits", () => {
  it("answers 429 with Retry-After when a limit is forced", async () => {
    await sandbox.control("/rate-limit", { method: "chat.postMessage", times: 1, retryAfter: 7 });
    const response = await fetch(`${sandbox.fake.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: `Bearer ${BOT_TOKEN}` },
      body: new URLSearchParams({ channel: INCIDENTS, text: "x" }).toString(),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("7");
    expect(await response.json()).toEqual({ ok: false, error: "ratelimited" });

    const next = await slack.chat.postMessage({ channel: INCIDENTS, text: "after the limit" });
    expect(next.ok).toBe(true);
  });

  it("limits only the named channel when a forced limit has one", async () => {
    await sandbox.control("/rate-limit", { method: "chat.postMessage", times: 1, retryAfter: 2, channel: INCIDENTS });
    const impatient = client(BOT_TOKEN, { rejectRateLimitedCalls: true });
    expect((await impatient.chat.postMessage({ channel: "C0PLATFORM", text: "another channel" })).ok).toBe(true);
    await expect(impatient.chat.postMessage({ channel: INCIDENTS, text: "limited" })).rejects.toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 2 });
    expect((await impatient.chat.postMessage({ channel: INCIDENTS, text: "after the limit" })).ok).toBe(true);
  });

  it("lets WebClient wait out Retry-After and retry", async () => {
    await sandbox.control("/rate-limit", { method: "chat.postMessage", times: 1, retryAfter: 1 });
    const patient = client(BOT_TOKEN, { retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } });
    const started = Date.now();
    const result = await patient.chat.postMessage({ channel: INCIDENTS, text: "eventually" });
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    const { json } = await sandbox.control("/calls?method=chat.postMessage");
    expect((json.calls as Array<{ status: number }>).map((call) => call.status)).toEqual([429, 200]);
  });

  it("reports the limit to a client that rejects rate-limited calls", async () => {
    await sandbox.control("/rate-limit", { method: "users.info", times: 1, retryAfter: 3 });
    const impatient = client(BOT_TOKEN, { rejectRateLimitedCalls: true });
    await expect(impatient.users.info({ user: ROSA })).rejects.toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 3 });
  });

  it("limits chat.postMessage per channel in enforcing mode", async () => {
    await sandbox.control("/rate-limit-mode", { enforce: true });
    const statuses: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      const response = await fetch(`${sandbox.fake.apiUrl}chat.postMessage`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: `Bearer ${BOT_TOKEN}` },
        body: new URLSearchParams({ channel: INCIDENTS, text: `burst ${index}` }).toString(),
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    // Another channel has its own allowance.
    expect((await slack.chat.postMessage({ channel: PLATFORM, text: "elsewhere" })).ok).toBe(true);
  });
});

describe("interactions", () => {
  async function postIncidentMessage(): Promise<string> {
    const posted = await slack.chat.postMessage({
      channel: INCIDENTS,
      text: "Incident #42",
      blocks: [
        { type: "section", block_id: "summary", text: { type: "mrkdwn", text: "*Checkout API* is down" }, accessory: overflow("more", 3) },
        { type: "actions", block_id: "buttons", elements: [{ ...button("incident_acknowledge", "Acknowledge", "Q42"), style: "primary" }] },
      ] as never,
    });
    return String(posted.ts);
  }

  it("sends a signed block_actions payload for a button", async () => {
    const ts = await postIncidentMessage();
    const result = await sandbox.control("/actions", { userId: ROSA, channelId: INCIDENTS, messageTs: ts, actionId: "incident_acknowledge" });
    expect(result.json.status).toBe(200);

    expect(sandbox.app.requests).toHaveLength(1);
    const request = sandbox.app.requests[0]!;
    expect(request.path).toBe("/api/slack/interactions");
    expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(signatureIsValid(request, SIGNING_SECRET)).toBe(true);
    expect(signatureIsValid(request, "another-secret")).toBe(false);

    const payload = interactionPayload(request);
    expect(payload).toMatchObject({
      type: "block_actions",
      team: { id: "T0SANDBOX1", domain: "sandbox" },
      user: { id: ROSA, username: "rosa.responder", name: "rosa.responder", team_id: "T0SANDBOX1" },
      api_app_id: "A0SWITCHBD",
      token: expect.any(String),
      container: { type: "message", message_ts: ts, channel_id: INCIDENTS, is_ephemeral: false },
      trigger_id: expect.stringMatching(/^\d+\.\d+\.[a-f0-9]+$/),
      channel: { id: INCIDENTS, name: "incidents" },
      message: { ts, text: "Incident #42", bot_id: "B0SWITCHBD" },
      state: { values: {} },
      response_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/actions\/T0SANDBOX1\//),
    });
    expect(payload.actions).toEqual([
      {
        action_id: "incident_acknowledge",
        block_id: "buttons",
        type: "button",
        text: { type: "plain_text", text: "Acknowledge" },
        value: "Q42",
        style: "primary",
        action_ts: expect.stringMatching(/^\d+\.\d{6}$/),
      },
    ]);
  });

  it("sends the chosen overflow option", async () => {
    const ts = await postIncidentMessage();
    await sandbox.control("/actions", { userId: ROSA, channelId: INCIDENTS, messageTs: ts, actionId: "more", selectedOptionValue: "option_2" });
    const payload = interactionPayload(sandbox.app.requests[0]!);
    expect(payload.actions).toEqual([
      {
        action_id: "more",
        block_id: "summary",
        type: "overflow",
        selected_option: { text: { type: "plain_text", text: "Option 2" }, value: "option_2" },
        action_ts: expect.any(String),
      },
    ]);
  });

  it("rejects an option the menu does not offer", async () => {
    const ts = await postIncidentMessage();
    const result = await sandbox.control("/actions", { userId: ROSA, channelId: INCIDENTS, messageTs: ts, actionId: "more", selectedOptionValue: "nope" });
    expect(result.status).toBe(400);
    expect(sandbox.app.requests).toHaveLength(0);
  });

  it("shows the app's error status on the page", async () => {
    const ts = await postIncidentMessage();
    sandbox.app.respond = () => ({ status: 500, body: "boom" });
    const result = await sandbox.control("/actions", { userId: ROSA, channelId: INCIDENTS, messageTs: ts, actionId: "incident_acknowledge" });
    expect(result.json.notice).toBe("This app responded with status code 500");
    const rosa = await pageState(INCIDENTS, ROSA);
    expect(rosa.messages[0]?.html).toContain("This app responded with status code 500");
    const olivia = await pageState(INCIDENTS, OLIVIA);
    expect(olivia.messages[0]?.html).not.toContain("status code 500");
  });

  it("shows a timeout when the app takes over 3 seconds", async () => {
    const ts = await postIncidentMessage();
    sandbox.app.respond = () => ({ status: 200, delayMs: 3500 });
    const result = await sandbox.control("/actions", { userId: ROSA, channelId: INCIDENTS, messageTs: ts, actionId: "incident_acknowledge" });
    expect(result.json.timedOut).toBe(true);
    expect(result.json.notice).toBe("This app didn't respond in time");
  }, 10_000);

  it("leaves the message out of payloads from ephemeral messages", async () => {
    const posted = await slack.chat.postEphemeral({ channel: INCIDENTS, user: ROSA, text: "pick", blocks: [{ type: "actions", elements: [button("pick", "Pick")] }] as never });
    await sandbox.control("/actions", { userId: ROSA, channelId: INCIDENTS, messageTs: String(posted.message_ts), actionId: "pick" });
    const payload = interactionPayload(sandbox.app.requests[0]!);
    expect(payload.container).toMatchObject({ is_ephemeral: true, message_ts: posted.message_ts });
    expect(payload).not.toHaveProperty("message");

    const other = await sandbox.control("/actions", { userId: OLIVIA, channelId: INCIDENTS, messageTs: String(posted.message_ts), actionId: "pick" });
    expect(other.status).toBe(404);
  });

  it("response_url posts an ephemeral reply by default", async () => {
    const ts = await postIncidentMessage();
    await sandbox.control("/actions", { userId: ROSA, channelId: INCIDENTS, messageTs: ts, actionId: "incident_acknowledge" });
    const responseUrl = String(interactionPayload(sandbox.app.requests[0]!).response_url);
    const response = await fetch(responseUrl, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text: "Acknowledged." }) });
    expect(response.status).toBe(200);

    const { json } = await sandbox.control(`/channels/${INCIDENTS}/messages`);
    expect(json.messages).toContainEqual(expect.objectContaining({ text: "Acknowledged.", is_ephemeral: true, visible_to: ROSA }));
  });

  it("response_url replaces the original and allows five uses", async () => {
    const ts = await postIncidentMessage();
    await sandbox.control("/actions", { userId: ROSA, channelId: INCIDENTS, messageTs: ts, actionId: "incident_acknowledge" });
    const responseUrl = String(interactionPayload(sandbox.app.requests[0]!).response_url);
    const post = (body: unknown) => fetch(responseUrl, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

    expect((await post({ replace_original: true, text: "Acknowledged by Rosa" })).status).toBe(200);
    const { json } = await sandbox.control(`/channels/${INCIDENTS}/messages`);
    expect(json.messages).toEqual([expect.objectContaining({ ts, text: "Acknowledged by Rosa", is_ephemeral: false })]);

    for (let use = 2; use <= 5; use += 1) expect((await post({ response_type: "in_channel", text: `use ${use}` })).status).toBe(200);
    const sixth = await post({ text: "too many" });
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toEqual({ ok: false, error: "used_url" });
  });

  it("registers the trigger_id for views.open once", async () => {
    const ts = await postIncidentMessage();
    await sandbox.control("/actions", { userId: ROSA, channelId: INCIDENTS, messageTs: ts, actionId: "incident_acknowledge" });
    const triggerId = String(interactionPayload(sandbox.app.requests[0]!).trigger_id);
    const view = { type: "modal", title: { type: "plain_text", text: "Add a note" }, blocks: [{ type: "section", text: { type: "plain_text", text: "hi" } }] };

    const opened = await slack.views.open({ trigger_id: triggerId, view: view as never });
    expect(opened.view?.id).toMatch(/^V[A-Z0-9]+$/);
    expect((await slackError(slack.views.open({ trigger_id: triggerId, view: view as never }))).error).toBe("exchanged_trigger_id");
    expect((await slackError(slack.views.open({ trigger_id: "1.2.abc", view: view as never }))).error).toBe("invalid_trigger_id");
  });

  it("sends a signed slash command and shows an in_channel reply", async () => {
    sandbox.app.respond = () => ({ status: 200, body: JSON.stringify({ response_type: "in_channel", text: "Incident Q42 acknowledged" }) });
    const sent = await sandbox.control("/messages", { userId: ROSA, channelId: INCIDENTS, text: "/pd ack Q42" });
    expect(sent.json.kind).toBe("slash_command");

    const request = await waitFor(() => sandbox.app.requests[0], 5000, "the slash command");
    expect(request.path).toBe("/api/slack/commands");
    expect(signatureIsValid(request, SIGNING_SECRET)).toBe(true);
    const fields = Object.fromEntries(new URLSearchParams(request.rawBody));
    expect(fields).toMatchObject({
      team_id: "T0SANDBOX1",
      team_domain: "sandbox",
      channel_id: INCIDENTS,
      channel_name: "incidents",
      user_id: ROSA,
      user_name: "rosa.responder",
      command: "/pd",
      text: "ack Q42",
      api_app_id: "A0SWITCHBD",
      is_enterprise_install: "false",
    });
    expect(fields.response_url).toMatch(/\/commands\/T0SANDBOX1\//);
    expect(fields.trigger_id).toMatch(/^\d+\.\d+\.[a-f0-9]+$/);

    const { json } = await sandbox.control(`/channels/${INCIDENTS}/messages`);
    const texts = (json.messages as Array<{ text: string; user: string }>).map((message) => `${message.user}: ${message.text}`);
    expect(texts).toEqual([`${ROSA}: /pd ack Q42`, "U0SWITCHBD: Incident Q42 acknowledged"]);
  });

  it("shows Slack's error when a command fails", async () => {
    sandbox.app.respond = () => ({ status: 500 });
    await sandbox.control("/messages", { userId: ROSA, channelId: INCIDENTS, text: "/pd help" });
    const { json } = await sandbox.control(`/channels/${INCIDENTS}/messages`);
    expect(json.messages).toEqual([expect.objectContaining({ user: "USLACKBOT", is_ephemeral: true, text: '/pd failed with the error "http_service_error"' })]);
  });
});

describe("control API", () => {
  it("clears the call log", async () => {
    await slack.auth.test();
    expect(((await sandbox.control("/calls")).json.calls as unknown[]).length).toBe(1);
    await sandbox.control("/calls", undefined, "DELETE");
    expect(((await sandbox.control("/calls")).json.calls as unknown[]).length).toBe(0);
  });

  it("reset removes messages", async () => {
    await slack.chat.postMessage({ channel: INCIDENTS, text: "gone soon" });
    await sandbox.control("/reset", {});
    expect((await sandbox.control(`/channels/${INCIDENTS}/messages`)).json.messages).toEqual([]);
  });

  it("validates its input", async () => {
    const result = await sandbox.control("/rate-limit", { times: 2 });
    expect(result.status).toBe(400);
    expect(result.json.error).toBe("invalid_request");
  });
});
