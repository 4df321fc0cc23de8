import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BOT_TOKEN, SIGNING_SECRET, signatureIsValid, silentSlackLogger, startTestFake, waitFor, type TestFake } from "../test-support";

let sandbox: TestFake;
let slack: WebClient;

const INCIDENTS = "C0INCIDENT";
const SECURITY = "C0SECURITY";
const GENERAL = "C0GENERAL1";
const ROSA = "U0ROSA0001";
const LIAM = "U0LIAM0001";

async function getPage(path: string): Promise<{ status: number; html: string; response: Response }> {
  const response = await fetch(`${sandbox.fake.url}${path}`, { redirect: "manual" });
  return { status: response.status, html: await response.text(), response };
}

async function pageApi(operation: string, body: Record<string, unknown>, contentType = "application/json"): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${sandbox.fake.url}/client/api/${operation}`, {
    method: "POST",
    headers: { "Content-Type": contentType },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  sandbox = await startTestFake();
  slack = new WebClient(BOT_TOKEN, { slackApiUrl: sandbox.fake.apiUrl, retryConfig: { retries: 0 }, logger: silentSlackLogger });
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(async () => {
  await sandbox.control("/reset", {});
  sandbox.app.reset();
});

describe("client page", () => {
  it("redirects / to the first channel", async () => {
    const { status, response } = await getPage("/");
    expect(status).toBe(302);
    expect(response.headers.get("location")).toBe(`/client/${INCIDENTS}`);
  });

  it("renders each message as an article with its ts", async () => {
    const posted = await slack.chat.postMessage({ channel: INCIDENTS, text: "Checkout is *down*" });
    const { status, html } = await getPage(`/client/${INCIDENTS}?as=${ROSA}`);
    expect(status).toBe(200);
    expect(html).toContain(`<article class="sb-message" data-ts="${posted.ts}"`);
    expect(html).toContain("Checkout is <strong>down</strong>");
    expect(html).toContain(`<option value="${ROSA}" selected>Rosa Responder</option>`);
  });

  it("never renders HTML from message text", async () => {
    await slack.chat.postMessage({ channel: INCIDENTS, text: "&lt;script&gt;alert(1)&lt;/script&gt; <img src=x onerror=alert(1)>" });
    const { html } = await getPage(`/client/${INCIDENTS}`);
    const messages = html.slice(html.indexOf('id="messages"'), html.indexOf('id="composer"'));
    expect(messages).not.toContain("<script");
    expect(messages).not.toContain("<img");
    expect(messages).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("marks the private channel and lists it only for members", async () => {
    const member = await getPage(`/client/${INCIDENTS}?as=${ROSA}`);
    expect(member.html).toMatch(/data-channel-id="C0SECURITY" data-private="true">.*security-private<span class="sb-visually-hidden"> \(private\)<\/span>/);
    const outsider = await getPage(`/client/${INCIDENTS}?as=${LIAM}`);
    expect(outsider.html).not.toContain("security-private");
  });

  it("hides a private channel's messages from non-members", async () => {
    const state = (await (await fetch(`${sandbox.fake.url}/client/${SECURITY}/state?as=${LIAM}`)).json()) as { messages: unknown[]; banner: string };
    expect(state.messages).toEqual([]);
    expect(state.banner).toContain("You don't have access to this private channel.");
  });

  it("answers unchanged polls briefly", async () => {
    const first = (await (await fetch(`${sandbox.fake.url}/client/${INCIDENTS}/state`)).json()) as { version: number };
    const again = (await (await fetch(`${sandbox.fake.url}/client/${INCIDENTS}/state?since=${first.version}`)).json()) as Record<string, unknown>;
    expect(again).toEqual({ unchanged: true, version: first.version });
    await slack.chat.postMessage({ channel: INCIDENTS, text: "news" });
    const changed = (await (await fetch(`${sandbox.fake.url}/client/${INCIDENTS}/state?since=${first.version}`)).json()) as { messages: unknown[] };
    expect(changed.messages).toHaveLength(1);
  });

  it("offers to add the bot where it is missing", async () => {
    const { html } = await getPage(`/client/${GENERAL}`);
    expect(html).toContain('<button type="button" id="add-bot">Add the bot to this channel</button>');
  });

  it("answers 404 for an unknown channel", async () => {
    expect((await getPage("/client/C0NOPE0000")).status).toBe(404);
  });
});

describe("page operations", () => {
  it("rejects bodies that are not JSON", async () => {
    const result = await pageApi("add-bot", { as: ROSA, channelId: GENERAL }, "text/plain");
    expect(result.status).toBe(415);
    expect(sandbox.app.requests).toHaveLength(0);
  });

  it("adds the bot and sends member_joined_channel", async () => {
    const result = await pageApi("add-bot", { as: ROSA, channelId: GENERAL });
    expect(result.json.ok).toBe(true);
    const request = await waitFor(() => sandbox.app.requests[0], 5000, "the event");
    expect(request.path).toBe("/api/slack/events");
    expect(signatureIsValid(request, SIGNING_SECRET)).toBe(true);
    const envelope = JSON.parse(request.rawBody) as Record<string, unknown>;
    expect(envelope).toMatchObject({
      type: "event_callback",
      team_id: "T0SANDBOX1",
      api_app_id: "A0SWITCHBD",
      event_id: expect.stringMatching(/^Ev[A-Z0-9]+$/),
      event_time: expect.any(Number),
      authorizations: [{ team_id: "T0SANDBOX1", user_id: "U0SWITCHBD", is_bot: true }],
      event: { type: "member_joined_channel", user: "U0SWITCHBD", channel: GENERAL, channel_type: "C", inviter: ROSA, event_ts: expect.any(String) },
    });
    const info = await slack.conversations.info({ channel: GENERAL });
    expect(info.channel?.is_member).toBe(true);
  });

  it("posts typed text escaped and sends a message event", async () => {
    const result = await pageApi("message", { as: ROSA, channelId: INCIDENTS, text: "a <b> & c" });
    expect(result.json.kind).toBe("message");
    const { json } = await sandbox.control(`/channels/${INCIDENTS}/messages`);
    expect(json.messages).toEqual([expect.objectContaining({ user: ROSA, text: "a &lt;b&gt; &amp; c" })]);
    const request = await waitFor(() => sandbox.app.requests[0], 5000, "the message event");
    expect(JSON.parse(request.rawBody).event).toMatchObject({ type: "message", user: ROSA, channel: INCIDENTS, channel_type: "channel" });
  });

  it("answers an unknown command with Slack's notice", async () => {
    await pageApi("message", { as: ROSA, channelId: INCIDENTS, text: "/weather today" });
    const { json } = await sandbox.control(`/channels/${INCIDENTS}/messages`);
    expect(json.messages).toEqual([expect.objectContaining({ user: "USLACKBOT", visible_to: ROSA })]);
    expect(sandbox.app.requests).toHaveLength(0);
  });

  it("uninstalls the app and revokes its token", async () => {
    const result = await pageApi("uninstall", { as: ROSA });
    expect(result.json.ok).toBe(true);
    const events = sandbox.app.requests.map((request) => (JSON.parse(request.rawBody) as { event: { type: string; tokens?: unknown } }).event);
    expect(events.map((event) => event.type)).toEqual(["tokens_revoked", "app_uninstalled"]);
    expect(events[0]?.tokens).toEqual({ oauth: [], bot: ["U0SWITCHBD"] });
    await expect(slack.auth.test()).rejects.toMatchObject({ data: { error: "token_revoked" } });
  });
});
