import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { person } from "../../sandbox/seed";
import { TestBrowser } from "./auth-browser";
import { createWebUser, signIn, TEST_PASSWORD } from "./auth-helpers";
import { env, sql } from "./helpers";

// Invitations, enabling and disabling users, and the audit log, over real HTTP against the shared
// app. Adam Admin (PagerDuty role admin) is the acting admin, and Oscar Observer is rejected.

const unique = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.com`;
const NEW_PASSWORD = "a brand new passphrase";

let adminCookie: string;
let adminId: string;
let observerCookie: string;

beforeAll(async () => {
  adminId = (await createWebUser({ email: person("admin").email, name: person("admin").name })).id;
  await sql(`UPDATE app_user SET disabled_at = NULL WHERE id = $1`, [adminId]);
  adminCookie = await signIn(person("admin").email);
  await createWebUser({ email: person("observer").email, name: person("observer").name });
  observerCookie = await signIn(person("observer").email);
});

function call(path: string, init: { method?: string; body?: unknown; cookie?: string } = {}): Promise<Response> {
  return fetch(`${env.appUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      ...(init.cookie ? { Cookie: init.cookie } : {}),
      ...(init.body === undefined ? {} : { "Content-Type": "application/json", Origin: env.appUrl }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

async function invite(email: string): Promise<{ id: string; token: string; inviteUrl: string }> {
  const response = await call("/api/admin/users/invitations", { body: { email }, cookie: adminCookie });
  expect(response.status).toBe(201);
  const { invitation } = (await response.json()) as { invitation: { id: string; inviteUrl: string } };
  return { id: invitation.id, inviteUrl: invitation.inviteUrl, token: invitation.inviteUrl.split("/invite/")[1]! };
}

function accept(token: string, values: Record<string, string> = { name: "New Person", password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }): Promise<Response> {
  return call(`/invite/${token}/accept`, { body: values });
}

async function auditActions(targetId: string): Promise<string[]> {
  return (await sql<{ action: string }>(`SELECT action FROM audit_log_entry WHERE target_id = $1 ORDER BY id`, [targetId])).map((row) => row.action);
}

describe("invitations", () => {
  it("lets the invitee set a password and sign in", async () => {
    const email = unique("invitee");
    const invitation = await invite(email);
    expect(invitation.inviteUrl.startsWith(`${env.appUrl}/invite/`)).toBe(true);
    const stored = await sql<{ token_hash: string; expires_at: Date; created_at: Date }>(`SELECT token_hash, expires_at, created_at FROM invitation WHERE id = $1`, [invitation.id]);
    expect(stored[0]!.token_hash).not.toContain(invitation.token);
    expect(stored[0]!.expires_at.getTime() - stored[0]!.created_at.getTime()).toBe(7 * 24 * 60 * 60 * 1000);

    const page = await new TestBrowser().visit(invitation.inviteUrl);
    expect(page.status).toBe(200);
    expect(page.body).toContain("Join Switchboard");
    expect(page.body).toContain(email);

    const accepted = await accept(invitation.token);
    expect(accepted.status).toBe(201);
    const { user } = (await accepted.json()) as { user: { id: string; email: string } };
    expect(user.email).toBe(email);
    const cookie = await signIn(email, NEW_PASSWORD);
    const session = (await (await fetch(`${env.appUrl}/api/auth/session`, { headers: { Cookie: cookie } })).json()) as { userId: string };
    expect(session.userId).toBe(user.id);

    expect(await auditActions(invitation.id)).toEqual(["invitation.create"]);
    expect(await auditActions(user.id)).toEqual(["invitation.accept"]);
  });

  it("works once", async () => {
    const invitation = await invite(unique("once"));
    expect((await accept(invitation.token)).status).toBe(201);
    const again = await accept(invitation.token, { name: "Someone Else", password: "another good passphrase", confirmPassword: "another good passphrase" });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/already used/);
    const page = await new TestBrowser().visit(invitation.inviteUrl);
    expect(page.body).toContain("Invitation already used");
  });

  it("explains an expired link and creates no user", async () => {
    const email = unique("expired");
    const invitation = await invite(email);
    await sql(`UPDATE invitation SET expires_at = now() - interval '1 minute' WHERE id = $1`, [invitation.id]);
    const page = await new TestBrowser().visit(invitation.inviteUrl);
    expect(page.body).toContain("Invitation expired");
    expect(page.body).toContain("links work for 7 days");
    const response = await accept(invitation.token);
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
    expect(await sql(`SELECT id FROM app_user WHERE email = $1`, [email])).toHaveLength(0);
  });

  it("explains a revoked link", async () => {
    const email = unique("revoked");
    const invitation = await invite(email);
    const revoked = await call(`/api/admin/users/invitations/${invitation.id}/revoke`, { method: "POST", cookie: adminCookie });
    expect(revoked.status).toBe(200);
    const page = await new TestBrowser().visit(invitation.inviteUrl);
    expect(page.body).toContain("Invitation revoked");
    expect((await accept(invitation.token)).status).toBe(409);
    expect(await sql(`SELECT id FROM app_user WHERE email = $1`, [email])).toHaveLength(0);
    expect(await auditActions(invitation.id)).toEqual(["invitation.create", "invitation.revoke"]);
  });

  it("explains an unknown link", async () => {
    const page = await new TestBrowser().visit(`${env.appUrl}/invite/${randomUUID()}`);
    expect(page.body).toContain("Invitation not found");
    expect((await accept(randomUUID())).status).toBe(404);
  });

  it("checks the new password", async () => {
    const email = unique("weak");
    const invitation = await invite(email);
    const response = await accept(invitation.token, { name: "Weak", password: "short", confirmPassword: "short" });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; fields: Record<string, string> } };
    expect(body.error.code).toBe("invalid_input");
    expect(body.error.fields.password).toMatch(/at least 12 characters/);
    expect(await sql(`SELECT id FROM app_user WHERE email = $1`, [email])).toHaveLength(0);
    expect(await sql(`SELECT accepted_at FROM invitation WHERE id = $1 AND accepted_at IS NULL`, [invitation.id])).toHaveLength(1);
  });

  it("rejects non-admins and anonymous requests", async () => {
    const email = unique("refused");
    const asObserver = await call("/api/admin/users/invitations", { body: { email }, cookie: observerCookie });
    expect(asObserver.status).toBe(403);
    expect(((await asObserver.json()) as { error: { message: string } }).error.message).toMatch(/your PagerDuty role is Observer/);
    const anonymous = await call("/api/admin/users/invitations", { body: { email } });
    expect(anonymous.status).toBe(401);
    expect(await sql(`SELECT id FROM invitation WHERE email = $1`, [email])).toHaveLength(0);

    const invitation = await invite(unique("keep"));
    expect((await call(`/api/admin/users/invitations/${invitation.id}/revoke`, { method: "POST", cookie: observerCookie })).status).toBe(403);
    expect(await sql(`SELECT id FROM invitation WHERE id = $1 AND revoked_at IS NULL`, [invitation.id])).toHaveLength(1);
  });

  it("rejects a cross-site request", async () => {
    const email = unique("cross-site");
    const response = await fetch(`${env.appUrl}/api/admin/users/invitations`, {
      method: "POST",
      headers: { Cookie: adminCookie, "Content-Type": "application/json", Origin: "http://evil.example" },
      body: JSON.stringify({ email }),
    });
    expect(response.status).toBe(403);
    expect(await sql(`SELECT id FROM invitation WHERE email = $1`, [email])).toHaveLength(0);
  });
});

describe("disabling users", () => {
  it("signs a disabled user out and lets an admin enable them again", async () => {
    const email = unique("member");
    const { id } = await createWebUser({ email });
    const memberCookie = await signIn(email);

    const disabled = await call(`/api/admin/users/${id}`, { method: "PATCH", body: { disabled: true }, cookie: adminCookie });
    expect(disabled.status).toBe(200);
    expect((await call("/api/admin/users", { cookie: memberCookie })).status).toBe(401);
    await expect(signIn(email)).rejects.toThrow(/failed/);

    const enabled = await call(`/api/admin/users/${id}`, { method: "PATCH", body: { disabled: false }, cookie: adminCookie });
    expect(enabled.status).toBe(200);
    expect((await call("/api/admin/users", { cookie: memberCookie })).status).toBe(200);
    expect(await auditActions(id)).toEqual(["user.disable", "user.enable"]);
  });

  it("rejects the owner, oneself, non-admins and unknown ids", async () => {
    const owner = await createWebUser({ email: unique("owner"), isOwner: true });
    const member = await createWebUser({ email: unique("member") });
    try {
      const onOwner = await call(`/api/admin/users/${owner.id}`, { method: "PATCH", body: { disabled: true }, cookie: adminCookie });
      expect(onOwner.status).toBe(403);
      const onSelf = await call(`/api/admin/users/${adminId}`, { method: "PATCH", body: { disabled: true }, cookie: adminCookie });
      expect(onSelf.status).toBe(403);
      const byObserver = await call(`/api/admin/users/${member.id}`, { method: "PATCH", body: { disabled: true }, cookie: observerCookie });
      expect(byObserver.status).toBe(403);
      const unknown = await call(`/api/admin/users/${randomUUID()}`, { method: "PATCH", body: { disabled: true }, cookie: adminCookie });
      expect(unknown.status).toBe(404);
      const notUuid = await call(`/api/admin/users/not-a-uuid`, { method: "PATCH", body: { disabled: true }, cookie: adminCookie });
      expect(notUuid.status).toBe(404);
      const rows = await sql(`SELECT id FROM app_user WHERE id = ANY($1::uuid[]) AND disabled_at IS NOT NULL`, [[owner.id, adminId, member.id]]);
      expect(rows).toHaveLength(0);
    } finally {
      // Leave no extra owner account behind for later test files.
      await sql(`UPDATE app_user SET is_owner = false WHERE id = $1`, [owner.id]);
    }
  });
});

describe("users and audit log pages", () => {
  it("lists users and open invitations to every signed-in user", async () => {
    const email = unique("listed");
    await invite(email);
    const response = await call("/api/admin/users", { cookie: observerCookie });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { users: { email: string; roleLabel: string }[]; invitations: { email: string; state: string }[]; viewer: { isAdmin: boolean } };
    expect(body.viewer.isAdmin).toBe(false);
    expect(body.users.find((user) => user.email === person("observer").email)?.roleLabel).toBe("Observer");
    expect(body.invitations.find((invitation) => invitation.email === email)?.state).toBe("pending");
    expect((await call("/api/admin/users")).status).toBe(401);
  });

  it("shows the read-only reason on the users page to an observer", async () => {
    const page = await fetch(`${env.appUrl}/users`, { headers: { Cookie: observerCookie } });
    const html = await page.text();
    expect(html).toContain("Read-only.");
    expect(html).toContain("your PagerDuty role is Observer");
    expect(html).not.toContain("+ Invite User");
  });

  it("shows admins the audit log, filtered and newest first", async () => {
    const first = unique("audit-a");
    const second = unique("audit-b");
    await invite(first);
    await invite(second);
    const page = await fetch(`${env.appUrl}/audit-log?action=invitation.create&actor=${encodeURIComponent(person("admin").email)}`, { headers: { Cookie: adminCookie } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("invitation.create");
    expect(html.indexOf(second)).toBeGreaterThan(-1);
    expect(html.indexOf(second)).toBeLessThan(html.indexOf(first));
    expect(html).not.toContain("user.disable</code>");
  });

  it("hides the audit log from non-admins", async () => {
    const page = await fetch(`${env.appUrl}/audit-log`, { headers: { Cookie: observerCookie } });
    const html = await page.text();
    expect(html).toContain("The audit log is shown to admins only.");
    expect(html).not.toContain("invitation.create</code>");
  });

  it("sends anonymous visitors to sign in", async () => {
    const visit = await new TestBrowser().visit(`${env.appUrl}/users`);
    expect(new URL(visit.url).pathname).toMatch(/^\/(sign-in|setup)$/);
  });
});
