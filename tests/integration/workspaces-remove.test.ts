import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebUser, signIn } from "./auth-helpers";
import { env, sql } from "./helpers";
import { pageHtml, workspaceRow } from "./workspaces-support";

let adamCookie: string;
let rosaCookie: string;
const created: string[] = [];

beforeAll(async () => {
  await createWebUser({ email: "adam.admin@example.com", name: "Adam Admin" });
  await createWebUser({ email: "rosa.responder@example.com", name: "Rosa Responder" });
  [adamCookie, rosaCookie] = await Promise.all([signIn("adam.admin@example.com"), signIn("rosa.responder@example.com")]);
});

afterAll(async () => {
  await sql(`DELETE FROM slack_extension WHERE workspace_id = ANY($1::uuid[])`, [created]);
  await sql(`DELETE FROM slack_workspace WHERE id = ANY($1::uuid[])`, [created]);
});

/** Creates a workspace mapped in the app (or by the configuration file), with one extension on it. */
async function createMapping(managedBy: string | null = null): Promise<{ teamId: string; workspaceId: string; extensionId: string }> {
  const teamId = `T0RM${randomBytes(4).toString("hex").toUpperCase()}`;
  const [workspace] = await sql<{ id: string }>(
    `INSERT INTO slack_workspace (id, slack_team_id, name, slack_bot_user_id, bot_token_encrypted, scopes, managed_by, updated_at)
     VALUES (gen_random_uuid(), $1, $2, 'U0RMBOT001', 'v1:iv:tag:ciphertext', '{chat:write}', $3, now()) RETURNING id::text AS id`,
    [teamId, `Removal ${teamId}`, managedBy],
  );
  created.push(workspace!.id);
  const [extension] = await sql<{ id: string }>(
    `INSERT INTO slack_extension (id, name, pagerduty_service_id, workspace_id, slack_channel_id, slack_channel_name, updated_at)
     VALUES (gen_random_uuid(), $1, 'P0SVCSRC', $2::uuid, 'C0RMCHAN01', 'alerts', now()) RETURNING id::text AS id`,
    [`SlackV2-Removal-${teamId}`, workspace!.id],
  );
  return { teamId, workspaceId: workspace!.id, extensionId: extension!.id };
}

function remove(workspaceId: string, cookie: string | null): Promise<Response> {
  return fetch(`${env.appUrl}/api/admin/workspaces/${workspaceId}`, { method: "DELETE", headers: cookie ? { Cookie: cookie } : {} });
}

async function extensionRow(id: string) {
  return (await sql<{ status: string; status_reason: string | null }>(`SELECT status::text AS status, status_reason FROM slack_extension WHERE id = $1::uuid`, [id]))[0];
}

async function auditCount(workspaceId: string): Promise<number> {
  return (await sql<{ count: number }>(`SELECT count(*)::int AS count FROM audit_log_entry WHERE target_id = $1`, [workspaceId]))[0]!.count;
}

describe("DELETE /api/admin/workspaces/:id", () => {
  it.each([
    ["a signed-out visitor", () => null, 401, "unauthenticated"],
    ["a responder", () => rosaCookie, 403, "forbidden"],
  ])("refuses %s and changes nothing", async (_who, cookie, status, code) => {
    const mapping = await createMapping();
    const before = await workspaceRow(mapping.teamId);

    const response = await remove(mapping.workspaceId, cookie());

    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    expect(await workspaceRow(mapping.teamId)).toEqual(before);
    expect(await extensionRow(mapping.extensionId)).toEqual({ status: "working", status_reason: null });
    expect(await auditCount(mapping.workspaceId)).toBe(0);
  });

  it("refuses a workspace from the configuration file and changes nothing", async () => {
    const mapping = await createMapping("config");
    const before = await workspaceRow(mapping.teamId);

    const response = await remove(mapping.workspaceId, adamCookie);

    expect(response.status).toBe(409);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("managed_by_config");
    expect(body.error.message).toContain("SWITCHBOARD_CONFIG");
    expect(await workspaceRow(mapping.teamId)).toEqual(before);
    expect(await extensionRow(mapping.extensionId)).toEqual({ status: "working", status_reason: null });
  });

  it("disables the extensions with the reason and erases the token", async () => {
    const mapping = await createMapping();

    const response = await remove(mapping.workspaceId, adamCookie);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ removed: { id: mapping.workspaceId, name: `Removal ${mapping.teamId}`, disabledExtensions: 1, deleted: false } });
    expect(await extensionRow(mapping.extensionId)).toEqual({ status: "disabled", status_reason: `Workspace Removal ${mapping.teamId} was removed from Switchboard` });
    const row = await workspaceRow(mapping.teamId);
    expect(row).toMatchObject({ bot_token_encrypted: "", status: "inactive" });
    expect(row?.status_reason).toMatch(/^Removed from Switchboard by adam\.admin@example\.com on /);
    const audit = await sql<{ action: string; actor_label: string }>(`SELECT action, actor_label FROM audit_log_entry WHERE target_id = $1`, [mapping.workspaceId]);
    expect(audit).toEqual([{ action: "workspace.remove", actor_label: "adam.admin@example.com" }]);

    expect((await remove(mapping.workspaceId, adamCookie)).status).toBe(404);
  });

  it("answers 404 for an id that is not a workspace", async () => {
    expect((await remove("not-a-uuid", adamCookie)).status).toBe(404);
    expect((await remove("00000000-0000-4000-8000-000000000000", adamCookie)).status).toBe(404);
  });
});

describe("GET /api/admin/workspaces", () => {
  it("lists workspaces for any signed-in user, without tokens", async () => {
    const mapping = await createMapping();
    const response = await fetch(`${env.appUrl}/api/admin/workspaces`, { headers: { Cookie: rosaCookie } });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain("ciphertext");
    const { workspaces } = JSON.parse(text) as { workspaces: { slackTeamId: string; state: string; extensionCount: number }[] };
    expect(workspaces.find((workspace) => workspace.slackTeamId === mapping.teamId)).toMatchObject({ state: "active", extensionCount: 1 });
  });

  it("refuses a signed-out visitor", async () => {
    expect((await fetch(`${env.appUrl}/api/admin/workspaces`)).status).toBe(401);
  });
});

describe("the Slack Workspace Mapping page", () => {
  it("offers installing and removing to an admin", async () => {
    const mapping = await createMapping();
    const html = await pageHtml("/workspaces", adamCookie);
    expect(html).toContain("<h1");
    expect(html).toContain("Slack Workspace Mapping");
    expect(html).toContain('href="/api/slack/install"');
    expect(html).toContain(`aria-label="Remove Removal ${mapping.teamId}"`);
  });

  it("is read-only for a responder, with the reason", async () => {
    const mapping = await createMapping();
    const html = await pageHtml("/workspaces", rosaCookie);
    expect(html).toContain(mapping.teamId);
    expect(html).toContain("Only PagerDuty Account Owners and Global Admins can change Switchboard&#x27;s configuration");
    expect(html).not.toContain('href="/api/slack/install"');
    expect(html).not.toContain('aria-label="Remove ');
  });

  it("shows a signed-out visitor nothing and sends them to sign in", async () => {
    const mapping = await createMapping();
    const response = await fetch(`${env.appUrl}/workspaces`, { redirect: "manual" });
    const html = await response.text();
    // The loading skeleton streams first, so Next.js redirects inside the page (a refresh meta tag)
    // rather than with a 3xx status. Before the owner account exists it leads to /setup instead.
    const target = response.headers.get("location") ?? /http-equiv="refresh" content="\d+;url=([^"]+)"/.exec(html)?.[1];
    expect(target).toMatch(/^(\/sign-in|\/setup)/);
    expect(html).not.toContain(mapping.teamId);
  });
});
