import { createHash, randomBytes, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createWebUser, signIn } from "./auth-helpers";
import { env, sql } from "./helpers";

// The admin JSON API under /api/v1 with bearer keys, against the built app and the sandbox.

const ADMIN = "adam.admin@example.com";
const TEAM_ID = "T0SANDBOX1";
let adminCookie: string;

interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

async function adminCall<T = unknown>(cookie: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { Accept: "application/json", Cookie: cookie };
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${env.appUrl}${path}`, { method: init.method ?? "GET", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  return { status: response.status, body: (await response.json()) as T };
}

async function api<T = unknown>(key: string | null, path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${env.appUrl}/api/v1${path}`, { method: init.method ?? "GET", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  return { status: response.status, body: (await response.json()) as T, headers: response.headers };
}

async function createKey(name: string): Promise<{ key: string; id: string }> {
  const created = await adminCall<{ key: string; apiKey: { id: string; prefix: string } }>(adminCookie, "/api/admin/api-keys", { method: "POST", body: { name } });
  expect(created.status).toBe(201);
  return { key: created.body.key, id: created.body.apiKey.id };
}

/** A key stored directly for a web user who never signs in, so the test controls the user's role. */
async function storeKeyFor(user: { email: string; role: string }): Promise<{ key: string; userId: string; keyId: string }> {
  const userId = randomUUID();
  await sql(`INSERT INTO app_user (id, email, name, pagerduty_role, role_checked_at, updated_at) VALUES ($1, $2, $2, $3, now(), now())`, [userId, user.email, user.role]);
  const key = `sbk_${randomBytes(32).toString("base64url")}`;
  const keyId = randomUUID();
  await sql(`INSERT INTO api_key (id, name, prefix, key_hash, created_by_id) VALUES ($1, $2, $3, $4, $5)`, [keyId, `key of ${user.email}`, key.slice(0, 12), createHash("sha256").update(key).digest("hex"), userId]);
  return { key, userId, keyId };
}

beforeAll(async () => {
  await createWebUser({ email: ADMIN, name: "Adam Admin" });
  adminCookie = await signIn(ADMIN);
});

describe("API keys", () => {
  it("shows a key once and stores only its hash", async () => {
    const name = `ci-${randomUUID().slice(0, 6)}`;
    const { key, id } = await createKey(name);
    expect(key).toMatch(/^sbk_[A-Za-z0-9_-]{43}$/);
    const [row] = await sql<{ prefix: string; key_hash: string }>(`SELECT prefix, key_hash FROM api_key WHERE id = $1`, [id]);
    expect(row!.key_hash).toBe(createHash("sha256").update(key).digest("hex"));
    expect(row!.prefix).toBe(key.slice(0, 12));
    const listed = await adminCall<{ apiKeys: Record<string, unknown>[] }>(adminCookie, "/api/admin/api-keys");
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(await sql(`SELECT id FROM audit_log_entry WHERE action = 'api_key.create' AND target_id = $1`, [id])).toHaveLength(1);
  });

  it("refuses key creation by a non-admin and creates nothing", async () => {
    await createWebUser({ email: "rosa.responder@example.com", name: "Rosa Responder" });
    const responder = await signIn("rosa.responder@example.com");
    const before = (await sql(`SELECT id FROM api_key`)).length;
    const result = await adminCall<ErrorBody>(responder, "/api/admin/api-keys", { method: "POST", body: { name: "responder key" } });
    expect(result.status).toBe(403);
    expect(result.body.error.code).toBe("forbidden");
    expect((await sql(`SELECT id FROM api_key`)).length).toBe(before);
  });

  it("rejects a revoked key with 401", async () => {
    const { key, id } = await createKey(`revoke-${randomUUID().slice(0, 6)}`);
    expect((await api(key, "/workspaces")).status).toBe(200);
    const revoked = await adminCall<{ apiKey: { revokedAt: string | null } }>(adminCookie, `/api/admin/api-keys/${id}`, { method: "DELETE" });
    expect(revoked.status).toBe(200);
    expect(revoked.body.apiKey.revokedAt).not.toBeNull();
    const refused = await api<ErrorBody>(key, "/workspaces");
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toContain("revoked");
  });

  it("revokes a key whose creator was disabled", async () => {
    const { key, userId, keyId } = await storeKeyFor({ email: `disabled-${randomUUID().slice(0, 6)}@example.com`, role: "admin" });
    expect((await api(key, "/workspaces")).status).toBe(200);
    await sql(`UPDATE app_user SET disabled_at = now() WHERE id = $1`, [userId]);
    const before = await extensionCount();
    const refused = await api<ErrorBody>(key, "/extensions", { method: "POST", body: { name: `x-${randomUUID()}`, serviceId: "P0SVCCHK", workspaceId: TEAM_ID, channelId: "C0INCIDENT" } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain("disabled");
    expect(await extensionCount()).toBe(before);
    const [row] = await sql<{ revoked_at: Date | null; revoked_reason: string }>(`SELECT revoked_at, revoked_reason FROM api_key WHERE id = $1`, [keyId]);
    expect(row!.revoked_at).not.toBeNull();
    expect(row!.revoked_reason).toContain("disabled");
    expect((await api(key, "/workspaces")).status).toBe(401);
  });

  it("revokes a key whose creator is no longer an admin", async () => {
    const { key, userId, keyId } = await storeKeyFor({ email: `demoted-${randomUUID().slice(0, 6)}@example.com`, role: "admin" });
    expect((await api(key, "/extensions")).status).toBe(200);
    await sql(`UPDATE app_user SET pagerduty_role = 'observer', role_checked_at = now() WHERE id = $1`, [userId]);
    const refused = await api<ErrorBody>(key, "/extensions");
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("forbidden");
    const [row] = await sql<{ revoked_reason: string }>(`SELECT revoked_reason FROM api_key WHERE id = $1`, [keyId]);
    expect(row!.revoked_reason).toContain("no longer a PagerDuty Account Owner or Global Admin");
  });
});

describe("/api/v1", () => {
  it("rejects missing and unknown keys with 401 and a JSON error", async () => {
    const missing = await api<ErrorBody>(null, "/extensions");
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe("unauthenticated");
    expect(missing.headers.get("www-authenticate")).toContain("Bearer");
    const unknown = await api<ErrorBody>(`sbk_${randomBytes(32).toString("base64url")}`, "/extensions");
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.message).toContain("not valid");
  });

  it("lists workspaces without their tokens", async () => {
    const { key } = await createKey(`ws-${randomUUID().slice(0, 6)}`);
    const result = await api<{ workspaces: Record<string, unknown>[] }>(key, "/workspaces");
    expect(result.status).toBe(200);
    const sandbox = result.body.workspaces.find((workspace) => workspace.teamId === TEAM_ID);
    expect(sandbox).toMatchObject({ name: "Sandbox Workspace" });
    expect(JSON.stringify(result.body)).not.toMatch(/xoxb-|botToken/);
  });

  it("creates, reads, updates and deletes an extension, audited as the key", async () => {
    const keyName = `crud-${randomUUID().slice(0, 6)}`;
    const { key } = await createKey(keyName);
    const name = `api-${randomUUID().slice(0, 8)}`;

    const created = await api<{ extension: { id: string; name: string; status: string; updates: string[] } }>(key, "/extensions", {
      method: "POST",
      body: { name, serviceId: "P0SVCCHK", workspaceId: TEAM_ID, channelId: "C0INCIDENT", updates: ["acknowledge", "resolve"] },
    });
    expect(created.status).toBe(201);
    expect(created.body.extension).toMatchObject({ name, status: "working", updates: ["resolve", "acknowledge"] });
    const id = created.body.extension.id;

    const listed = await api<{ items: { id: string }[]; total: number }>(key, `/extensions?query=${name}`);
    expect(listed.body.items.map((item) => item.id)).toEqual([id]);
    expect((await api<{ extension: { id: string } }>(key, `/extensions/${id}`)).body.extension.id).toBe(id);

    const updated = await api<{ extension: { updates: string[] } }>(key, `/extensions/${id}`, { method: "PATCH", body: { updates: ["notes"] } });
    expect(updated.status).toBe(200);
    expect(updated.body.extension.updates).toEqual(["notes"]);

    const conflict = await api<ErrorBody>(key, "/extensions", { method: "POST", body: { name, serviceId: "P0SVCCHK", workspaceId: TEAM_ID, channelId: "C0INCIDENT" } });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.fields?.name).toBeDefined();

    const invalid = await api<ErrorBody>(key, `/extensions/${id}`, { method: "PATCH", body: { updates: ["everything"], colour: "red" } });
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalid.body.error.fields ?? {}).sort()).toEqual(["colour", "updates.0"]);

    expect((await api(key, `/extensions/${id}`, { method: "DELETE" })).status).toBe(200);
    const gone = await api<ErrorBody>(key, `/extensions/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe("not_found");

    const audit = await sql<{ action: string; actor_label: string }>(`SELECT action, actor_label FROM audit_log_entry WHERE target_id = $1 ORDER BY id`, [id]);
    expect(audit).toEqual([
      { action: "extension.create", actor_label: `API key ${keyName}` },
      { action: "extension.update", actor_label: `API key ${keyName}` },
      { action: "extension.delete", actor_label: `API key ${keyName}` },
    ]);
  });

  it("rejects a body that is not JSON", async () => {
    const { key } = await createKey(`json-${randomUUID().slice(0, 6)}`);
    const response = await fetch(`${env.appUrl}/api/v1/extensions`, { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "text/plain" }, body: "name=x" });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.message).toContain("application/json");
  });
});

async function extensionCount(): Promise<number> {
  return Number((await sql<{ count: string }>(`SELECT count(*)::text AS count FROM slack_extension`))[0]!.count);
}
