import { readFileSync } from "node:fs";
import Ajv from "ajv";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BOT_TOKEN, CLIENT_ID, CLIENT_SECRET, interactionPayload, startTestFake, type TestFake } from "../slack/test-support";
import { STALE_IN_SPEC, loadSlackContract, shapeDifferences, type SlackContract } from "./slack-openapi";

// Calls every Web API method of the fake Slack over real HTTP and checks the responses against
// Slack's OpenAPI spec (shapes) and the current method catalog (error names). Payloads the fake
// sends to the app are checked against the official event wrapper schema and java-slack-sdk's shapes.

type Json = Record<string, unknown>;

let sandbox: TestFake;
let contract: SlackContract;

const INCIDENTS = "C0INCIDENT";
const PLATFORM = "C0PLATFORM";
const GENERAL = "C0GENERAL1";
const ROSA = "U0ROSA0001";

function sample(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./specs/slack/samples/${name}`, import.meta.url), "utf8"));
}

/** Calls a method with a form body, as WebClient does, and returns the raw JSON body. */
async function call(method: string, args: Record<string, unknown> = {}, token: string | null = BOT_TOKEN): Promise<Json> {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(args)) form.set(key, typeof value === "string" ? value : JSON.stringify(value));
  const response = await fetch(`${sandbox.fake.apiUrl}${method}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: form.toString(),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Json;
}

function expectConforms(method: string, body: Json): void {
  expect(contract.validateResponse(method, body), `${method} ${JSON.stringify(body).slice(0, 300)}`).toEqual([]);
}

function expectKnownError(method: string, body: Json, expected: string): void {
  expect(body.ok).toBe(false);
  expect(body.error).toBe(expected);
  expect([...contract.knownErrors(method)]).toContain(expected);
  expectConforms(method, body);
}

async function postButtons(): Promise<string> {
  const posted = await call("chat.postMessage", {
    channel: INCIDENTS,
    text: "Incident",
    blocks: [{ type: "actions", block_id: "b", elements: [{ type: "button", action_id: "ack", text: { type: "plain_text", text: "Ack" }, value: "1" }] }],
  });
  return String(posted.ts);
}

async function triggerId(): Promise<string> {
  const ts = await postButtons();
  const before = sandbox.app.requests.length;
  await sandbox.control("/actions", { userId: ROSA, channelId: INCIDENTS, messageTs: ts, actionId: "ack" });
  return String(interactionPayload(sandbox.app.requests[before]!).trigger_id);
}

const modal = {
  type: "modal",
  title: { type: "plain_text", text: "Note" },
  submit: { type: "plain_text", text: "Save" },
  blocks: [{ type: "input", block_id: "n", label: { type: "plain_text", text: "Note" }, element: { type: "plain_text_input", action_id: "t" } }],
};

beforeAll(async () => {
  contract = loadSlackContract();
  sandbox = await startTestFake();
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(async () => {
  await sandbox.control("/reset", {});
  sandbox.app.reset();
});

describe("Web API responses match Slack's spec", () => {
  it("lists each stale place it corrects", () => {
    expect(STALE_IN_SPEC.length).toBeGreaterThan(0);
  });

  it("finds bodies that break the spec", () => {
    expect(contract.validateResponse("chat.postMessage", { ok: true, channel: INCIDENTS, ts: "not-a-ts", message: { type: "message", text: "", ts: "1.2" } })).not.toEqual([]);
    expect(contract.validateResponse("users.info", { ok: true, user: { id: ROSA, name: "rosa" } })).not.toEqual([]);
    expect(contract.validateResponse("conversations.info", { ok: true, channel: { id: INCIDENTS, name: "incidents" } })).not.toEqual([]);
    expect(contract.validateResponse("auth.test", { ok: false, error: "made_up_error" })).not.toEqual([]);
    expect(contract.knownErrors("chat.postMessage").has("invalid_blocks")).toBe(true);
  });

  it("auth.test", async () => {
    expectConforms("auth.test", await call("auth.test"));
    expectKnownError("auth.test", await call("auth.test", {}, "xoxb-unknown"), "invalid_auth");
    expectKnownError("auth.test", await call("auth.test", {}, null), "not_authed");
  });

  it("chat.postMessage", async () => {
    const parent = await call("chat.postMessage", { channel: INCIDENTS, text: "hello", blocks: [{ type: "section", text: { type: "mrkdwn", text: "*hi*" } }] });
    expectConforms("chat.postMessage", parent);
    expectConforms("chat.postMessage", await call("chat.postMessage", { channel: INCIDENTS, text: "reply", thread_ts: String(parent.ts) }));

    expectKnownError("chat.postMessage", await call("chat.postMessage", { channel: "C0NOPE0000", text: "x" }), "channel_not_found");
    expectKnownError("chat.postMessage", await call("chat.postMessage", { channel: GENERAL, text: "x" }), "not_in_channel");
    expectKnownError("chat.postMessage", await call("chat.postMessage", { channel: INCIDENTS }), "no_text");
    const tooLong = await call("chat.postMessage", { channel: INCIDENTS, blocks: [{ type: "header", text: { type: "plain_text", text: "h".repeat(151) } }] });
    expectKnownError("chat.postMessage", tooLong, "invalid_blocks");
  });

  it("chat.update", async () => {
    const posted = await call("chat.postMessage", { channel: INCIDENTS, text: "before", blocks: [{ type: "divider" }] });
    expectConforms("chat.update", await call("chat.update", { channel: INCIDENTS, ts: String(posted.ts), text: "after" }));
    expectKnownError("chat.update", await call("chat.update", { channel: INCIDENTS, ts: "1700000000.000001", text: "x" }), "message_not_found");
    expectKnownError("chat.update", await call("chat.update", { channel: INCIDENTS, ts: String(posted.ts), text: "x".repeat(4001) }), "msg_too_long");
    const human = await sandbox.control("/messages", { userId: ROSA, channelId: INCIDENTS, text: "mine" });
    expectKnownError("chat.update", await call("chat.update", { channel: INCIDENTS, ts: String(human.json.messageTs), text: "x" }), "cant_update_message");
  });

  it("chat.postEphemeral", async () => {
    expectConforms("chat.postEphemeral", await call("chat.postEphemeral", { channel: INCIDENTS, user: ROSA, text: "psst" }));
    expectKnownError("chat.postEphemeral", await call("chat.postEphemeral", { channel: PLATFORM, user: ROSA, text: "x" }), "user_not_in_channel");
  });

  it("users.info and users.lookupByEmail", async () => {
    expectConforms("users.info", await call("users.info", { user: ROSA }));
    expectConforms("users.info", await call("users.info", { user: "U0SWITCHBD" }));
    expectKnownError("users.info", await call("users.info", { user: "U0NOBODY00" }), "user_not_found");
    expectConforms("users.lookupByEmail", await call("users.lookupByEmail", { email: "rosa.responder@example.com" }));
    expectKnownError("users.lookupByEmail", await call("users.lookupByEmail", { email: "nobody@example.com" }), "users_not_found");
  });

  it("conversations.info and conversations.list", async () => {
    expectConforms("conversations.info", await call("conversations.info", { channel: INCIDENTS, include_num_members: "true" }));
    expectKnownError("conversations.info", await call("conversations.info", { channel: "C0SECURITY" }), "channel_not_found");
    expectConforms("conversations.list", await call("conversations.list", { limit: "2" }));
    expectConforms("conversations.list", await call("conversations.list", { types: "public_channel,private_channel" }));
    expectKnownError("conversations.list", await call("conversations.list", { cursor: "bm9wZQ==" }), "invalid_cursor");
    expectKnownError("conversations.list", await call("conversations.list", { limit: "5000" }), "invalid_limit");
  });

  it("conversations.create, invite, join, archive and members", async () => {
    const created = await call("conversations.create", { name: "inc-contract" });
    expectConforms("conversations.create", created);
    const channelId = String((created.channel as Json).id);
    expectKnownError("conversations.create", await call("conversations.create", { name: "inc-contract" }), "name_taken");
    expectKnownError("conversations.create", await call("conversations.create", { name: "Bad Name" }), "invalid_name_specials");

    expectConforms("conversations.invite", await call("conversations.invite", { channel: channelId, users: ROSA }));
    expectKnownError("conversations.invite", await call("conversations.invite", { channel: channelId, users: ROSA }), "already_in_channel");

    expectConforms("conversations.join", await call("conversations.join", { channel: GENERAL }));
    expectConforms("conversations.join", await call("conversations.join", { channel: GENERAL }));
    expectConforms("conversations.members", await call("conversations.members", { channel: channelId }));

    expectConforms("conversations.archive", await call("conversations.archive", { channel: channelId }));
    expectKnownError("conversations.archive", await call("conversations.archive", { channel: channelId }), "already_archived");
    expectKnownError("conversations.archive", await call("conversations.archive", { channel: GENERAL }), "cant_archive_general");
    expectKnownError("chat.postMessage", await call("chat.postMessage", { channel: channelId, text: "x" }), "is_archived");
  });

  it("views.open, views.push and views.update", async () => {
    const opened = await call("views.open", { trigger_id: await triggerId(), view: modal });
    expectConforms("views.open", opened);
    expect(opened.view).toMatchObject({ id: expect.any(String), hash: expect.any(String), type: "modal" });
    expectConforms("views.push", await call("views.push", { trigger_id: await triggerId(), view: modal }));
    const viewId = String((opened.view as Json).id);
    expectConforms("views.update", await call("views.update", { view_id: viewId, view: modal }));

    expectKnownError("views.open", await call("views.open", { trigger_id: "1.2.abc", view: modal }), "invalid_trigger_id");
    expectKnownError("views.update", await call("views.update", { view_id: viewId, hash: "stale", view: modal }), "hash_conflict");
    expectKnownError("views.update", await call("views.update", { view_id: "VNOPE00000", view: modal }), "not_found");
  });

  it("team.info", async () => {
    expectConforms("team.info", await call("team.info"));
    expectKnownError("team.info", await call("team.info", { team: "T0OTHER000" }), "team_not_found");
  });

  it("oauth.v2.access", async () => {
    const redirectUri = `${sandbox.app.url}/callback`;
    const consent = await fetch(`${sandbox.fake.url}/oauth/v2/authorize`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: CLIENT_ID, redirect_uri: redirectUri, scope: "chat:write", decision: "allow", user_id: ROSA }).toString(),
    });
    const code = String(new URL(String(consent.headers.get("location"))).searchParams.get("code"));
    const access = await call("oauth.v2.access", { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code, redirect_uri: redirectUri }, null);
    expectConforms("oauth.v2.access", access);
    // The catalog's current output requires these, beyond the spec's loose template.
    expect(access).toMatchObject({ app_id: expect.any(String), team: { id: expect.any(String), name: expect.any(String) }, enterprise: null });
    expectKnownError("oauth.v2.access", await call("oauth.v2.access", { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code }, null), "invalid_code");
    expectKnownError("oauth.v2.access", await call("oauth.v2.access", { client_id: CLIENT_ID, client_secret: "wrong", code }, null), "bad_client_secret");
  });
});

describe("payloads sent to the app match Slack's shapes", () => {
  it("block_actions", async () => {
    const ts = await postButtons();
    await sandbox.control("/actions", { userId: ROSA, channelId: INCIDENTS, messageTs: ts, actionId: "ack" });
    const payload = interactionPayload(sandbox.app.requests[0]!);
    const differences = shapeDifferences(payload, sample("app-backend__interactive-components__BlockActionPayload.json"), { skip: ["message.blocks"] });
    expect(differences).toEqual([]);
  });

  it("view_submission and view_closed", async () => {
    const opened = await call("views.open", { trigger_id: await triggerId(), view: { ...modal, notify_on_close: true } });
    const viewId = String((opened.view as Json).id);
    sandbox.app.reset();
    sandbox.app.respond = () => ({ status: 200, body: JSON.stringify({ response_action: "errors", errors: { n: "again" } }) });
    await sandbox.control("/views/submit", { userId: ROSA, viewId, values: { n: { t: { value: "text" } } } });
    const submission = interactionPayload(sandbox.app.requests[0]!);
    expect(shapeDifferences(submission, sample("app-backend__views__ViewSubmissionPayload.json"), { skip: ["view.blocks", "view.state", "response_urls"] })).toEqual([]);

    await sandbox.control("/views/close", { userId: ROSA, viewId });
    const closed = interactionPayload(sandbox.app.requests[1]!);
    expect(closed.type).toBe("view_closed");
    expect(shapeDifferences(closed, sample("app-backend__views__ViewClosedPayload.json"), { skip: ["view.blocks", "view.state"] })).toEqual([]);
  });

  it("slash commands", async () => {
    await sandbox.control("/messages", { userId: ROSA, channelId: INCIDENTS, text: "/pd help" });
    const fields = Object.fromEntries(new URLSearchParams(sandbox.app.requests[0]!.rawBody));
    const expected = sample("app-backend__slash-commands__SlashCommandPayload.json") as Json;
    // Form fields are strings on the wire; the sample types is_enterprise_install as a boolean.
    expect(shapeDifferences({ ...fields, is_enterprise_install: fields.is_enterprise_install === "true" }, expected)).toEqual([]);
    const missing = Object.keys(expected).filter((key) => !(key in fields) && !key.startsWith("enterprise_"));
    expect(missing).toEqual([]);
  });

  it("event_callback envelopes", async () => {
    const wrapper = JSON.parse(readFileSync(new URL("./specs/slack/slack_common_event_wrapper_schema.json", import.meta.url), "utf8")) as Json;
    // The wrapper's own examples omit authed_users, which Slack has deprecated in favour of authorizations.
    const required = (wrapper.required as string[]).filter((name) => name !== "authed_users");
    const validate = new Ajv({ strict: false, allErrors: true }).compile({ ...wrapper, required });

    await sandbox.control("/add-bot", { channelId: GENERAL, inviterId: ROSA });
    await sandbox.control("/uninstall", {});
    const envelopes = sandbox.app.requests.map((request) => JSON.parse(request.rawBody) as Json);
    expect(envelopes.map((envelope) => (envelope.event as Json).type)).toEqual(["member_joined_channel", "tokens_revoked", "app_uninstalled"]);
    for (const envelope of envelopes) expect(validate(envelope), JSON.stringify(validate.errors)).toBe(true);

    expect(shapeDifferences(envelopes[1], sample("events__TokensRevokedPayload.json"), { skip: ["event.event_ts", "authorizations"] })).toEqual([]);
    expect(shapeDifferences(envelopes[2], sample("events__AppUninstalledPayload.json"), { skip: ["event.event_ts", "authorizations"] })).toEqual([]);
  });
});
