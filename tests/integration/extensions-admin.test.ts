import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createWebUser, signIn } from "./auth-helpers";
import { env, sql } from "./helpers";

// Extension writes through the admin pages' JSON routes, as the browser sends them, against the
// built app, the fake Slack and the fake PagerDuty.

const TEAM_ID = "T0SANDBOX1";
const ADMIN = "adam.admin@example.com";
let adminCookie: string;
let responderCookie: string;
let observerCookie: string;

interface ExtensionBody {
  id: string;
  name: string;
  type: string;
  status: string;
  statusReason: string | null;
  service: { id: string; name: string | null };
  channel: { id: string; name: string; isPrivate: boolean };
  updates: string[];
  managedByConfig: boolean;
}

interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

async function call<T = unknown>(cookie: string | null, path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (cookie) headers.Cookie = cookie;
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${env.appUrl}${path}`, { method: init.method ?? "GET", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  return { status: response.status, body: (await response.json()) as T };
}

function unique(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

async function channelMessages(channelId: string): Promise<{ text: string }[]> {
  const response = await fetch(`${env.slackUrl}/_sandbox/channels/${channelId}/messages`);
  return ((await response.json()) as { messages: { text: string }[] }).messages;
}

async function extensionCount(): Promise<number> {
  return Number((await sql<{ count: string }>(`SELECT count(*)::text AS count FROM slack_extension`))[0]!.count);
}

beforeAll(async () => {
  await createWebUser({ email: ADMIN, name: "Adam Admin" });
  await createWebUser({ email: "rosa.responder@example.com", name: "Rosa Responder" });
  await createWebUser({ email: "oscar.observer@example.com", name: "Oscar Observer" });
  adminCookie = await signIn(ADMIN);
  responderCookie = await signIn("rosa.responder@example.com");
  observerCookie = await signIn("oscar.observer@example.com");
});

describe("extension admin routes", () => {
  it("creates an extension with the default name and greets the channel", async () => {
    const created = await call<{ extension: ExtensionBody; notice: string | null }>(adminCookie, "/api/admin/extensions", {
      method: "POST",
      body: { serviceId: "P0SVCSRC", workspaceId: TEAM_ID, channelId: "C0PLATFORM", updates: ["resolve", "notes"] },
    });
    expect(created.status).toBe(201);
    const extension = created.body.extension;
    expect(extension.name).toBe("SlackV2-Search-Indexer");
    expect(extension.type).toBe("slack_v2");
    expect(extension.status).toBe("working");
    expect(extension.service).toEqual({ id: "P0SVCSRC", name: "Search Indexer" });
    expect(extension.channel).toEqual({ id: "C0PLATFORM", name: "platform-alerts", isPrivate: false });
    expect(extension.updates).toEqual(["resolve", "notes"]);
    expect(created.body.notice).toBeNull();

    const greeting = (await channelMessages("C0PLATFORM")).find((message) => message.text.includes("PagerDuty integration added") && message.text.includes("Search Indexer"));
    expect(greeting).toBeDefined();

    const audit = await sql<{ actor_label: string; details: { channelId: string } }>(`SELECT actor_label, details FROM audit_log_entry WHERE action = 'extension.create' AND target_id = $1`, [extension.id]);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_label).toBe(ADMIN);
    expect(audit[0]!.details.channelId).toBe("C0PLATFORM");

    // The default name is unique per workspace; deleting frees it for other tests.
    expect((await call(adminCookie, `/api/admin/extensions/${extension.id}`, { method: "DELETE" })).status).toBe(200);
  });

  it("saves a private channel the bot cannot see as needing attention", async () => {
    const callsBefore = await postMessageCalls("C0SECURITY");
    const created = await call<{ extension: ExtensionBody; notice: string }>(adminCookie, "/api/admin/extensions", {
      method: "POST",
      body: { name: unique("private"), serviceId: "P0SVCCHK", workspaceId: TEAM_ID, channelId: "C0SECURITY", channelName: "#security-private" },
    });
    expect(created.status).toBe(201);
    const extension = created.body.extension;
    expect(extension.status).toBe("needs_attention");
    expect(extension.statusReason).toContain("Invite @switchboard");
    expect(extension.statusReason).toContain("#security-private");
    expect(extension.channel).toEqual({ id: "C0SECURITY", name: "security-private", isPrivate: true });
    expect(created.body.notice).toContain("needing attention");
    expect(await postMessageCalls("C0SECURITY")).toBe(callsBefore);
  });

  it("marks a public channel without the bot as needing attention", async () => {
    const created = await call<{ extension: ExtensionBody; notice: string }>(adminCookie, "/api/admin/extensions", {
      method: "POST",
      body: { name: unique("support"), serviceId: "P0SVCCHK", workspaceId: TEAM_ID, channelId: "C0SUPPORT1" },
    });
    expect(created.status).toBe(201);
    expect(created.body.extension.status).toBe("needs_attention");
    expect(created.body.extension.statusReason).toContain("Invite @switchboard to #support");
    expect(created.body.notice).toContain("not in #support");
    const stored = await sql<{ status: string }>(`SELECT status::text AS status FROM slack_extension WHERE id = $1`, [created.body.extension.id]);
    expect(stored[0]!.status).toBe("needs_attention");
  });

  it("lets a service have several extensions", async () => {
    const names = [unique("multi"), unique("multi")];
    for (const name of names) {
      const created = await call(adminCookie, "/api/admin/extensions", { method: "POST", body: { name, serviceId: "P0SVCPLT", workspaceId: TEAM_ID, channelId: "C0INCIDENT" } });
      expect(created.status).toBe(201);
    }
    const rows = await sql(`SELECT id FROM slack_extension WHERE name = ANY($1) AND pagerduty_service_id = 'P0SVCPLT'`, [names]);
    expect(rows).toHaveLength(2);
  });

  it("rejects invalid input with field errors", async () => {
    const before = await extensionCount();
    const badChannel = await call<ErrorBody>(adminCookie, "/api/admin/extensions", { method: "POST", body: { serviceId: "P0SVCCHK", workspaceId: TEAM_ID, channelId: "general" } });
    expect(badChannel.status).toBe(400);
    expect(badChannel.body.error.code).toBe("invalid_input");
    expect(badChannel.body.error.fields?.channelId).toContain("channel ID");

    const legacy = await call<ErrorBody>(adminCookie, "/api/admin/extensions", { method: "POST", body: { type: "slack_v1", serviceId: "P0SVCCHK", workspaceId: TEAM_ID, channelId: "C0INCIDENT" } });
    expect(legacy.status).toBe(400);
    expect(legacy.body.error.fields?.type).toContain("legacy");

    const unknownService = await call<ErrorBody>(adminCookie, "/api/admin/extensions", { method: "POST", body: { serviceId: "PNOSUCH", workspaceId: TEAM_ID, channelId: "C0INCIDENT" } });
    expect(unknownService.status).toBe(400);
    expect(unknownService.body.error.fields?.serviceId).toContain("PNOSUCH");

    const unknownWorkspace = await call<ErrorBody>(adminCookie, "/api/admin/extensions", { method: "POST", body: { serviceId: "P0SVCCHK", workspaceId: "T0NOSUCH", channelId: "C0INCIDENT" } });
    expect(unknownWorkspace.status).toBe(400);
    expect(unknownWorkspace.body.error.fields?.workspaceId).toContain("T0NOSUCH");
    expect(await extensionCount()).toBe(before);
  });

  it("rejects a name already used in the workspace with 409", async () => {
    const name = unique("taken");
    const body = { name, serviceId: "P0SVCCHK", workspaceId: TEAM_ID, channelId: "C0INCIDENT" };
    expect((await call(adminCookie, "/api/admin/extensions", { method: "POST", body })).status).toBe(201);
    const again = await call<ErrorBody>(adminCookie, "/api/admin/extensions", { method: "POST", body });
    expect(again.status).toBe(409);
    expect(again.body.error.fields?.name).toContain(name);
    expect(await sql(`SELECT id FROM slack_extension WHERE name = $1`, [name])).toHaveLength(1);
  });

  it("edits an extension but keeps its type", async () => {
    const created = await call<{ extension: ExtensionBody }>(adminCookie, "/api/admin/extensions", {
      method: "POST",
      body: { name: unique("edit"), serviceId: "P0SVCCHK", workspaceId: TEAM_ID, channelId: "C0INCIDENT" },
    });
    const id = created.body.extension.id;
    const newName = unique("edited");
    const edited = await call<{ extension: ExtensionBody }>(adminCookie, `/api/admin/extensions/${id}`, { method: "PATCH", body: { name: newName, serviceId: "P0SVCPLT", updates: ["escalate"] } });
    expect(edited.status).toBe(200);
    expect(edited.body.extension).toMatchObject({ name: newName, service: { id: "P0SVCPLT", name: "Platform Core" }, updates: ["escalate"] });

    const typeChange = await call<ErrorBody>(adminCookie, `/api/admin/extensions/${id}`, { method: "PATCH", body: { type: "slack_v1" } });
    expect(typeChange.status).toBe(400);
    expect(typeChange.body.error.fields?.type).toContain("fixed");

    const audit = await sql<{ details: { changes: Record<string, unknown> } }>(`SELECT details FROM audit_log_entry WHERE action = 'extension.update' AND target_id = $1`, [id]);
    expect(audit).toHaveLength(1);
    expect(Object.keys(audit[0]!.details.changes).sort()).toEqual(["name", "serviceId", "updates"]);

    const moved = await call<{ extension: ExtensionBody; notice: string | null }>(adminCookie, `/api/admin/extensions/${id}`, { method: "PATCH", body: { channelId: "C0PLATFORM" } });
    expect(moved.status).toBe(200);
    expect(moved.body.extension.channel.name).toBe("platform-alerts");
    expect((await channelMessages("C0PLATFORM")).some((message) => message.text.includes(`extension ${newName}`))).toBe(true);
  });

  it("deletes an extension after which it is gone", async () => {
    const created = await call<{ extension: ExtensionBody }>(adminCookie, "/api/admin/extensions", {
      method: "POST",
      body: { name: unique("delete"), serviceId: "P0SVCCHK", workspaceId: TEAM_ID, channelId: "C0INCIDENT" },
    });
    const id = created.body.extension.id;
    expect((await call(adminCookie, `/api/admin/extensions/${id}`, { method: "DELETE" })).status).toBe(200);
    const gone = await call<ErrorBody>(adminCookie, `/api/admin/extensions/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe("not_found");
    expect(await sql(`SELECT id FROM audit_log_entry WHERE action = 'extension.delete' AND target_id = $1`, [id])).toHaveLength(1);
  });

  it("refuses to change an extension managed by the configuration file", async () => {
    const [row] = await sql<{ id: string; name: string; updated_at: Date }>(`SELECT id, name, updated_at FROM slack_extension WHERE name = 'SlackV2-Platform-Core'`);
    const patch = await call<ErrorBody>(adminCookie, `/api/admin/extensions/${row!.id}`, { method: "PATCH", body: { name: "renamed" } });
    expect(patch.status).toBe(409);
    expect(patch.body.error.code).toBe("managed_by_config");
    const remove = await call<ErrorBody>(adminCookie, `/api/admin/extensions/${row!.id}`, { method: "DELETE" });
    expect(remove.status).toBe(409);
    const [after] = await sql<{ name: string; updated_at: Date }>(`SELECT name, updated_at FROM slack_extension WHERE id = $1`, [row!.id]);
    expect(after).toEqual({ name: row!.name, updated_at: row!.updated_at });
  });

  it("refuses writes from non-admins and changes nothing", async () => {
    const [target] = await sql<{ id: string; name: string }>(`SELECT id, name FROM slack_extension WHERE managed_by IS NULL ORDER BY created_at LIMIT 1`);
    const before = await extensionCount();
    const auditBefore = (await sql(`SELECT id FROM audit_log_entry`)).length;
    for (const [who, cookie, status] of [
      ["anonymous", null, 401],
      ["responder", responderCookie, 403],
      ["observer", observerCookie, 403],
    ] as const) {
      const create = await call<ErrorBody>(cookie, "/api/admin/extensions", { method: "POST", body: { name: unique(who), serviceId: "P0SVCCHK", workspaceId: TEAM_ID, channelId: "C0INCIDENT" } });
      expect(create.status, `${who} create`).toBe(status);
      expect((await call(cookie, `/api/admin/extensions/${target!.id}`, { method: "PATCH", body: { name: unique(who) } })).status, `${who} edit`).toBe(status);
      expect((await call(cookie, `/api/admin/extensions/${target!.id}`, { method: "DELETE" })).status, `${who} delete`).toBe(status);
      expect((await call(cookie, `/api/admin/extensions/services`)).status, `${who} services`).toBe(status);
      expect((await call(cookie, `/api/admin/extensions/channels?workspaceId=${TEAM_ID}`)).status, `${who} channels`).toBe(status);
    }
    expect(await extensionCount()).toBe(before);
    expect((await sql(`SELECT id FROM audit_log_entry`)).length).toBe(auditBefore);
    expect((await sql<{ name: string }>(`SELECT name FROM slack_extension WHERE id = $1`, [target!.id]))[0]!.name).toBe(target!.name);

    const observerList = await call<{ total: number }>(observerCookie, "/api/admin/extensions");
    expect(observerList.status).toBe(200);
    expect(observerList.body.total).toBe(before);
  });

  it("rejects a cross-site write from an admin's browser", async () => {
    const name = unique("cross-site");
    const response = await fetch(`${env.appUrl}/api/admin/extensions`, {
      method: "POST",
      headers: { Cookie: adminCookie, "Content-Type": "application/json", Origin: "http://attacker.invalid" },
      body: JSON.stringify({ name, serviceId: "P0SVCCHK", workspaceId: TEAM_ID, channelId: "C0INCIDENT" }),
    });
    expect(response.status).toBe(403);
    expect(await sql(`SELECT id FROM slack_extension WHERE name = $1`, [name])).toEqual([]);
  });

  it("searches, sorts and pages the list", async () => {
    const tag = randomUUID().slice(0, 8);
    for (const suffix of ["a", "b", "c"]) {
      const channelId = suffix === "b" ? "C0SUPPORT1" : "C0INCIDENT";
      expect((await call(adminCookie, "/api/admin/extensions", { method: "POST", body: { name: `list-${tag}-${suffix}`, serviceId: "P0SVCCHK", workspaceId: TEAM_ID, channelId } })).status).toBe(201);
    }
    const first = await call<{ items: ExtensionBody[]; total: number }>(adminCookie, `/api/admin/extensions?query=${tag}&sort=name&direction=desc&pageSize=2&page=1`);
    expect(first.body.total).toBe(3);
    expect(first.body.items.map((item) => item.name)).toEqual([`list-${tag}-c`, `list-${tag}-b`]);
    const second = await call<{ items: ExtensionBody[] }>(adminCookie, `/api/admin/extensions?query=${tag}&sort=name&direction=desc&pageSize=2&page=2`);
    expect(second.body.items.map((item) => item.name)).toEqual([`list-${tag}-a`]);
    const byStatus = await call<{ items: ExtensionBody[] }>(adminCookie, `/api/admin/extensions?query=${tag}&sort=status`);
    expect(byStatus.body.items.map((item) => item.status)).toEqual(["working", "working", "needs_attention"]);
    const badSort = await call<ErrorBody>(adminCookie, `/api/admin/extensions?sort=color`);
    expect(badSort.status).toBe(400);
  });
});

describe("service and channel pickers", () => {
  it("lists PagerDuty services, paging from offset 0", async () => {
    await fetch(`${env.pagerdutyUrl}/_sandbox/requests`, { method: "DELETE" });
    const result = await call<{ services: { id: string; name: string }[]; total: number }>(adminCookie, "/api/admin/extensions/services?refresh=1");
    expect(result.status).toBe(200);
    expect(result.body.services.map((service) => service.name)).toEqual(["Checkout API", "Platform Core", "Search Indexer"]);
    const log = (await (await fetch(`${env.pagerdutyUrl}/_sandbox/requests?method=GET&path=/services`)).json()) as { requests: { query: Record<string, string> }[] };
    expect(log.requests.map((request) => request.query.offset)).toEqual(["0"]);

    const search = await call<{ services: { name: string }[]; total: number }>(adminCookie, "/api/admin/extensions/services?query=platform");
    expect(search.body.services.map((service) => service.name)).toEqual(["Platform Core"]);
  });

  it("follows Slack's cursor over short and empty pages", async () => {
    await fetch(`${env.slackUrl}/_sandbox/calls`, { method: "DELETE" });
    await setPagination({ maxPageSize: 1, emptyPages: 2 });
    try {
      const result = await call<{ channels: { id: string; name: string; isPrivate: boolean; isMember: boolean }[]; total: number }>(
        adminCookie,
        `/api/admin/extensions/channels?workspaceId=${TEAM_ID}&refresh=1`,
      );
      expect(result.status).toBe(200);
      const names = result.body.channels.map((channel) => channel.name);
      expect(names).toEqual(expect.arrayContaining(["general", "incidents", "platform-alerts", "random"]));
      expect(names).not.toContain("security-private");
      expect(result.body.channels.find((channel) => channel.name === "random")?.isMember).toBe(false);
      const calls = (await (await fetch(`${env.slackUrl}/_sandbox/calls?method=conversations.list`)).json()) as { calls: { args: Record<string, unknown> }[] };
      // Two empty pages, then one page per channel, then the last page without a cursor.
      expect(calls.calls.length).toBeGreaterThanOrEqual(2 + names.length);
      expect(calls.calls[0]!.args.types).toBe("public_channel,private_channel");
    } finally {
      await setPagination({ maxPageSize: null, emptyPages: 0 });
    }
  });
});

describe("extension pages", () => {
  it("shows admins the New Extension button and others the reason they cannot", async () => {
    const adminPage = await (await fetch(`${env.appUrl}/extensions`, { headers: { Cookie: adminCookie } })).text();
    expect(adminPage).toContain("+ New Extension");
    const observerPage = await (await fetch(`${env.appUrl}/extensions`, { headers: { Cookie: observerCookie } })).text();
    expect(observerPage).not.toContain("+ New Extension");
    expect(observerPage).toContain("Only PagerDuty Account Owners and Global Admins");
    const observerNew = await (await fetch(`${env.appUrl}/extensions/new`, { headers: { Cookie: observerCookie } })).text();
    expect(observerNew).toContain("Read-only");
    expect(observerNew).not.toContain("Authorize");
  });

  it("sends a signed-out visitor to sign in", async () => {
    // The page streams behind its loading state, so Next.js may send the redirect in the body
    // (a meta refresh) with status 200 rather than as a 307.
    const response = await fetch(`${env.appUrl}/extensions`, { redirect: "manual" });
    const target = response.headers.get("location") ?? (await response.text());
    expect(target).toMatch(/\/sign-in\?callbackUrl=%2Fextensions|\/setup/);
  });
});

async function setPagination(body: { maxPageSize: number | null; emptyPages: number }): Promise<void> {
  const response = await fetch(`${env.slackUrl}/_sandbox/pagination`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
}

async function postMessageCalls(channelId: string): Promise<number> {
  const calls = (await (await fetch(`${env.slackUrl}/_sandbox/calls?method=chat.postMessage`)).json()) as { calls: { args: { channel?: string } }[] };
  return calls.calls.filter((entry) => entry.args.channel === channelId).length;
}

