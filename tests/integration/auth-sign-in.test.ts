import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { person } from "../../sandbox/seed";
import { signInWithSlack, sessionUserId, TestBrowser } from "./auth-browser";
import { createWebUser, signIn, TEST_PASSWORD } from "./auth-helpers";
import { env, sql } from "./helpers";

// Sign-in with email and password and with Slack, against the shared app, the fake Slack (its
// authorize page, token endpoint and keys) and the fake PagerDuty (roles by email).

const unique = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.com`;

/** Posts to next-auth's credentials endpoint as the sign-in page does and returns the error code it reports, or null. */
async function credentialsError(email: string, password: string): Promise<{ error: string | null; sessionCookie: boolean }> {
  const browser = new TestBrowser();
  const { csrfToken } = (await (await browser.request(`${env.appUrl}/api/auth/csrf`)).json()) as { csrfToken: string };
  const response = await browser.request(`${env.appUrl}/api/auth/callback/credentials`, {
    form: { csrfToken, email, password, callbackUrl: `${env.appUrl}/`, json: "true" },
  });
  const { url } = (await response.json()) as { url: string };
  return { error: new URL(url).searchParams.get("error"), sessionCookie: browser.hasCookie("next-auth.session-token") };
}

async function userRow(email: string) {
  const rows = await sql<{ id: string; pagerduty_role: string | null; pagerduty_user_id: string | null; slack_user_id: string | null; slack_team_id: string | null; last_sign_in_at: Date | null; password_hash: string | null }>(
    `SELECT id, pagerduty_role, pagerduty_user_id, slack_user_id, slack_team_id, last_sign_in_at, password_hash FROM app_user WHERE email = $1`,
    [email],
  );
  return rows[0];
}

describe("email and password sign-in", () => {
  it("signs in and opens a session", async () => {
    const email = unique("password");
    const { id } = await createWebUser({ email });
    const cookie = await signIn(email);
    const session = (await (await fetch(`${env.appUrl}/api/auth/session`, { headers: { Cookie: cookie } })).json()) as { userId?: string };
    expect(session.userId).toBe(id);
    const users = await fetch(`${env.appUrl}/api/admin/users`, { headers: { Cookie: cookie } });
    expect(users.status).toBe(200);
    expect((await userRow(email))?.last_sign_in_at).not.toBeNull();
  });

  it("rejects a wrong password like an unknown email", async () => {
    const email = unique("wrong-password");
    await createWebUser({ email });
    const wrong = await credentialsError(email, "not the right password");
    const unknown = await credentialsError(unique("nobody"), TEST_PASSWORD);
    expect(wrong).toEqual({ error: "CredentialsSignin", sessionCookie: false });
    expect(unknown).toEqual({ error: "CredentialsSignin", sessionCookie: false });
    expect((await userRow(email))?.last_sign_in_at).toBeNull();
  });

  it("shows the failure on the sign-in page without naming the field", async () => {
    const page = await new TestBrowser().visit(`${env.appUrl}/sign-in?error=CredentialsSignin`);
    // The shared stack may have no owner yet; then the page sends the browser to /setup instead.
    if (page.url.includes("/setup")) return expect(page.body).toContain("Set up Switchboard");
    expect(page.body).toContain("The email address or password is not right. Check both and try again.");
  });

  it("rejects a disabled user and ends their session", async () => {
    const email = unique("disabled");
    const { id } = await createWebUser({ email });
    const cookie = await signIn(email);
    await sql(`UPDATE app_user SET disabled_at = now() WHERE id = $1`, [id]);

    expect(await credentialsError(email, TEST_PASSWORD)).toEqual({ error: "AccountDisabled", sessionCookie: false });
    expect(await credentialsError(email, "not the right password")).toEqual({ error: "CredentialsSignin", sessionCookie: false });
    const users = await fetch(`${env.appUrl}/api/admin/users`, { headers: { Cookie: cookie } });
    expect(users.status).toBe(401);
    const session = (await (await fetch(`${env.appUrl}/api/admin/users`, { headers: { Cookie: cookie } })).json()) as { error: { code: string } };
    expect(session.error.code).toBe("unauthenticated");
  });
});

describe("PagerDuty role at sign-in", () => {
  const cases = [
    ["owner", "owner", true],
    ["admin", "admin", true],
    ["responder", "user", false],
    ["limited", "limited_user", false],
    ["observer", "observer", false],
    ["readonly", "read_only_user", false],
    ["restricted", "restricted_access", false],
    ["readonlyLimited", "read_only_limited_user", false],
  ] as const;

  for (const [key, role, isAdmin] of cases) {
    it(`reads ${role} from PagerDuty by email`, async () => {
      const seeded = person(key);
      await createWebUser({ email: seeded.email, name: seeded.name });
      const cookie = await signIn(seeded.email);
      const row = await userRow(seeded.email);
      expect(row?.pagerduty_role).toBe(role);
      expect(row?.pagerduty_user_id).toBe(seeded.pagerdutyUserId);
      const body = (await (await fetch(`${env.appUrl}/api/admin/users`, { headers: { Cookie: cookie } })).json()) as { viewer: { isAdmin: boolean; readOnlyReason: string | null } };
      expect(body.viewer.isAdmin).toBe(isAdmin);
      if (!isAdmin) expect(body.viewer.readOnlyReason).toMatch(/^Only PagerDuty Account Owners and Global Admins can change Switchboard's configuration/);
    });
  }

  it("leaves a user without a PagerDuty match with no role", async () => {
    const email = unique("no-pagerduty");
    await createWebUser({ email });
    const cookie = await signIn(email);
    expect((await userRow(email))?.pagerduty_role).toBeNull();
    const body = (await (await fetch(`${env.appUrl}/api/admin/users`, { headers: { Cookie: cookie } })).json()) as { viewer: { isAdmin: boolean; readOnlyReason: string } };
    expect(body.viewer.isAdmin).toBe(false);
    expect(body.viewer.readOnlyReason).toContain("your account is not tied to a PagerDuty user");
  });

  it("refreshes a role older than an hour on the next request", async () => {
    const seeded = person("observer");
    await createWebUser({ email: seeded.email, name: seeded.name });
    const cookie = await signIn(seeded.email);
    await sql(`UPDATE app_user SET pagerduty_role = 'admin', role_checked_at = now() - interval '2 hours' WHERE email = $1`, [seeded.email]);
    const body = (await (await fetch(`${env.appUrl}/api/admin/users`, { headers: { Cookie: cookie } })).json()) as { viewer: { isAdmin: boolean } };
    expect(body.viewer.isAdmin).toBe(false);
    expect((await userRow(seeded.email))?.pagerduty_role).toBe("observer");
  });
});

describe("Sign in with Slack", () => {
  it("creates the web user of a mapped workspace's member with their role", async () => {
    // Rene is not used by other test files, so removing an earlier account of theirs is safe.
    const seeded = person("readonlyLimited");
    await sql(`DELETE FROM app_user WHERE email = $1`, [seeded.email]);
    const browser = new TestBrowser();
    const visit = await signInWithSlack({ browser, appUrl: env.appUrl, slackUserId: seeded.slackUserId, callbackPath: "/users" });

    expect(new URL(visit.url).pathname).toBe("/users");
    expect(visit.chain.some((url) => url.startsWith(`${env.appUrl}/api/auth/callback/slack?code=`))).toBe(true);
    const row = await userRow(seeded.email);
    expect(row).toMatchObject({ slack_user_id: seeded.slackUserId, slack_team_id: "T0SANDBOX1", pagerduty_role: "read_only_limited_user", password_hash: null });
    expect(await sessionUserId(browser, env.appUrl)).toBe(row!.id);
    expect(visit.body).toContain(seeded.name);
    const audit = await sql<{ action: string }>(`SELECT action FROM audit_log_entry WHERE target_id = $1`, [row!.id]);
    expect(audit.map((entry) => entry.action)).toContain("user.create");
  });

  it("creates a member without a PagerDuty user as read-only", async () => {
    const seeded = person("slackOnly");
    await sql(`DELETE FROM app_user WHERE email = $1`, [seeded.email]);
    const browser = new TestBrowser();
    await signInWithSlack({ browser, appUrl: env.appUrl, slackUserId: seeded.slackUserId });
    const row = await userRow(seeded.email);
    expect(row).toMatchObject({ slack_user_id: seeded.slackUserId, pagerduty_role: null, pagerduty_user_id: null });
    expect(await sessionUserId(browser, env.appUrl)).toBe(row!.id);
  });

  it("finds an existing user by email and records the Slack ids", async () => {
    const seeded = person("readonly");
    const { id } = await createWebUser({ email: seeded.email, name: seeded.name });
    await sql(`UPDATE app_user SET slack_user_id = NULL, slack_team_id = NULL, disabled_at = NULL WHERE id = $1`, [id]);
    const browser = new TestBrowser();
    await signInWithSlack({ browser, appUrl: env.appUrl, slackUserId: seeded.slackUserId });
    expect(await sessionUserId(browser, env.appUrl)).toBe(id);
    const row = await userRow(seeded.email);
    expect(row).toMatchObject({ slack_user_id: seeded.slackUserId, pagerduty_role: "read_only_user" });
    expect(row?.password_hash).not.toBeNull();
  });

  it("ends on the sign-in page when the consent is cancelled", async () => {
    const browser = new TestBrowser();
    const visit = await signInWithSlack({ browser, appUrl: env.appUrl, slackUserId: person("responder").slackUserId, decision: "cancel" });
    expect(visit.chain.some((url) => url.includes("/api/auth/callback/slack?error=access_denied"))).toBe(true);
    expect(await sessionUserId(browser, env.appUrl)).toBeNull();
    const final = new URL(visit.url);
    if (final.pathname === "/setup") return;
    expect(final.pathname).toBe("/sign-in");
    expect(final.searchParams.get("error")).toBe("Callback");
    expect(visit.body).toContain("Sign in with Slack did not finish");
  });

  it("rejects a callback whose state was changed", async () => {
    const browser = new TestBrowser();
    const seeded = person("responder");
    const before = await userRow(seeded.email);
    const visit = await signInWithSlack({
      browser,
      appUrl: env.appUrl,
      slackUserId: seeded.slackUserId,
      tamper: (fields) => {
        fields.state = `${fields.state}x`;
      },
    });
    expect(await sessionUserId(browser, env.appUrl)).toBeNull();
    expect(visit.chain.some((url) => url.includes("error=OAuthCallback"))).toBe(true);
    expect((await userRow(seeded.email))?.last_sign_in_at ?? null).toEqual(before?.last_sign_in_at ?? null);
  });

  it("rejects a disabled user", async () => {
    const seeded = person("restricted");
    const { id } = await createWebUser({ email: seeded.email, name: seeded.name });
    await sql(`UPDATE app_user SET disabled_at = now() WHERE id = $1`, [id]);
    try {
      const browser = new TestBrowser();
      const visit = await signInWithSlack({ browser, appUrl: env.appUrl, slackUserId: seeded.slackUserId });
      expect(await sessionUserId(browser, env.appUrl)).toBeNull();
      expect(visit.chain.some((url) => url.includes("/sign-in?error=AccountDisabled"))).toBe(true);
    } finally {
      await sql(`UPDATE app_user SET disabled_at = NULL WHERE id = $1`, [id]);
    }
  });
});
