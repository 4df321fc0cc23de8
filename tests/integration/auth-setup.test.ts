import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { person } from "../../sandbox/seed";
import { startTestStack, type TestStack } from "../support/stack";
import { signInWithSlack, sessionUserId, TestBrowser } from "./auth-browser";

// The first start: an empty Switchboard (no configuration file, so no mapped Slack workspace and no
// users) on a stack of its own, because the shared one is changed by every other test file.

const PASSWORD = "first owner passphrase";
const OWNER_EMAIL = "first-owner@example.com";

let stack: TestStack;
let pool: pg.Pool;

beforeAll(async () => {
  stack = await startTestStack({ withConfigFile: false });
  pool = new pg.Pool({ connectionString: stack.databaseUrl, max: 2 });
});

afterAll(async () => {
  await pool?.end();
  await stack?.stop();
});

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  return (await pool.query<T>(text, values)).rows;
}

function postSetup(values: Record<string, string>): Promise<Response> {
  return fetch(`${stack.appUrl}/setup/owner`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: stack.appUrl },
    body: JSON.stringify(values),
  });
}

async function passwordSignIn(browser: TestBrowser, email: string, password: string): Promise<string | null> {
  const { csrfToken } = (await (await browser.request(`${stack.appUrl}/api/auth/csrf`)).json()) as { csrfToken: string };
  const response = await browser.request(`${stack.appUrl}/api/auth/callback/credentials`, {
    form: { csrfToken, email, password, callbackUrl: `${stack.appUrl}/`, json: "true" },
  });
  const { url } = (await response.json()) as { url: string };
  return new URL(url).searchParams.get("error");
}

describe("first start", () => {
  it("sends every page to setup while no owner exists", async () => {
    for (const path of ["/sign-in", "/users", "/audit-log"]) {
      const visit = await new TestBrowser().visit(`${stack.appUrl}${path}`);
      expect(new URL(visit.url).pathname, path).toBe("/setup");
      expect(visit.body).toContain("Set up Switchboard");
    }
  });

  it("creates exactly one owner when setups race", async () => {
    const emails = [OWNER_EMAIL, "second-owner@example.com", "third-owner@example.com"];
    const responses = await Promise.all(emails.map((email) => postSetup({ name: "First Owner", email, password: PASSWORD, confirmPassword: PASSWORD })));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, 409, 409]);
    const owners = await sql<{ email: string }>(`SELECT email FROM app_user WHERE is_owner`);
    expect(owners).toHaveLength(1);
    expect(await sql(`SELECT id FROM app_user`)).toHaveLength(1);
    // Later tests sign in as the owner, whichever of the three won.
    await sql(`UPDATE app_user SET email = $1 WHERE is_owner`, [OWNER_EMAIL]);
  });

  it("rejects setup once the owner exists", async () => {
    const response = await postSetup({ name: "Late", email: "late-owner@example.com", password: PASSWORD, confirmPassword: PASSWORD });
    expect(response.status).toBe(409);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("conflict");
    expect(body.error.message).toMatch(/already has an owner account/);
    expect(await sql(`SELECT id FROM app_user WHERE email = 'late-owner@example.com'`)).toHaveLength(0);

    const visit = await new TestBrowser().visit(`${stack.appUrl}/setup`);
    expect(new URL(visit.url).pathname).toBe("/sign-in");
  });

  it("makes the owner an admin without a PagerDuty user", async () => {
    const browser = new TestBrowser();
    expect(await passwordSignIn(browser, OWNER_EMAIL, "not the owner's password")).toBe("CredentialsSignin");
    expect(await passwordSignIn(browser, OWNER_EMAIL, PASSWORD)).toBeNull();
    const owner = await sql<{ id: string; pagerduty_role: string | null }>(`SELECT id, pagerduty_role FROM app_user WHERE is_owner`);
    expect(owner[0]!.pagerduty_role).toBeNull();
    expect(await sessionUserId(browser, stack.appUrl)).toBe(owner[0]!.id);

    const users = (await (await browser.request(`${stack.appUrl}/api/admin/users`)).json()) as { viewer: { isAdmin: boolean } };
    expect(users.viewer.isAdmin).toBe(true);
    const invited = await browser.request(`${stack.appUrl}/api/admin/users/invitations`, { json: { email: "colleague@example.com" }, headers: { Origin: stack.appUrl } });
    expect(invited.status).toBe(201);
    const audit = await sql<{ action: string }>(`SELECT action FROM audit_log_entry ORDER BY id`);
    expect(audit.map((entry) => entry.action)).toEqual(["user.create_owner", "invitation.create"]);
  });
});

describe("Sign in with Slack without a mapped workspace", () => {
  it("rejects a Slack member who is no PagerDuty user", async () => {
    const seeded = person("slackOnly");
    const browser = new TestBrowser();
    const visit = await signInWithSlack({ browser, appUrl: stack.appUrl, slackUserId: seeded.slackUserId });
    expect(await sessionUserId(browser, stack.appUrl)).toBeNull();
    expect(new URL(visit.url).searchParams.get("error")).toBe("SlackNotAllowed");
    expect(visit.body).toContain("Your Slack workspace is not mapped in Switchboard");
    expect(await sql(`SELECT id FROM app_user WHERE email = $1`, [seeded.email])).toHaveLength(0);
  });

  it("creates a PagerDuty user with their role", async () => {
    const seeded = person("responder");
    const browser = new TestBrowser();
    await signInWithSlack({ browser, appUrl: stack.appUrl, slackUserId: seeded.slackUserId });
    const rows = await sql<{ id: string; pagerduty_role: string }>(`SELECT id, pagerduty_role FROM app_user WHERE email = $1`, [seeded.email]);
    expect(rows[0]?.pagerduty_role).toBe("user");
    expect(await sessionUserId(browser, stack.appUrl)).toBe(rows[0]!.id);
  });
});
