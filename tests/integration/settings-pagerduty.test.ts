import { beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createWebUser, signIn } from "./auth-helpers";
import { env, sql } from "./helpers";

// Settings → PagerDuty against the built app. The test stack sets PAGERDUTY_API_TOKEN and
// PAGERDUTY_WEBHOOK_SECRET in the environment, so those two are read-only here. The subdomain and
// the default From user are not set there, so the app can save them.

const ADMIN = "adam.admin@example.com";
let adminCookie: string;
let observerCookie: string;

interface SettingView {
  source: string;
  display: string | null;
  envVar: string;
}

interface SettingsBody {
  settings: { apiToken: SettingView; webhookSecret: SettingView; subdomain: SettingView; defaultFromEmail: SettingView; webhookUrl: string };
}

interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

async function call<T = unknown>(cookie: string | null, path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T; text: string }> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (cookie) headers.Cookie = cookie;
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${env.appUrl}${path}`, { method: init.method ?? "GET", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as T, text };
}

async function subscriptionCount(): Promise<number> {
  const response = await fetch(`${env.pagerdutyUrl}/webhook_subscriptions`, {
    headers: { Authorization: `Token token=${inject("pagerdutyApiToken")}`, Accept: "application/vnd.pagerduty+json;version=2" },
  });
  return ((await response.json()) as { webhook_subscriptions: unknown[] }).webhook_subscriptions.length;
}

beforeAll(async () => {
  await createWebUser({ email: ADMIN, name: "Adam Admin" });
  await createWebUser({ email: "oscar.observer@example.com", name: "Oscar Observer" });
  adminCookie = await signIn(ADMIN);
  observerCookie = await signIn("oscar.observer@example.com");
});

describe("Settings → PagerDuty", () => {
  it("shows environment values as set by the environment, masked", async () => {
    const token = inject("pagerdutyApiToken");
    const result = await call<SettingsBody>(observerCookie, "/api/admin/settings/pagerduty");
    expect(result.status).toBe(200);
    expect(result.body.settings.apiToken).toEqual({ source: "environment", display: `••••${token.slice(-4)}`, envVar: "PAGERDUTY_API_TOKEN" });
    expect(result.body.settings.webhookSecret.source).toBe("environment");
    expect(result.body.settings.webhookUrl).toBe(`${env.appUrl}/api/pagerduty/webhooks`);
    expect(result.text).not.toContain(token);
    expect(result.text).not.toContain(inject("pagerdutyWebhookSecret"));

    const page = await (await fetch(`${env.appUrl}/settings/pagerduty`, { headers: { Cookie: observerCookie } })).text();
    expect(page).toContain("Set by the environment (PAGERDUTY_API_TOKEN)");
    expect(page).not.toContain(token);
  });

  it("rejects saving a value that the environment sets", async () => {
    const result = await call<ErrorBody>(adminCookie, "/api/admin/settings/pagerduty", { method: "PUT", body: { apiToken: "pd-another-token-1234" } });
    expect(result.status).toBe(400);
    expect(result.body.error.fields?.apiToken).toContain("PAGERDUTY_API_TOKEN");
    expect(await sql(`SELECT key FROM app_setting WHERE key = 'pagerduty.api_token'`)).toEqual([]);
  });

  it("saves the subdomain and From user, audited", async () => {
    const result = await call<SettingsBody>(adminCookie, "/api/admin/settings/pagerduty", { method: "PUT", body: { subdomain: "Acme-IT", defaultFromEmail: "olivia.owner@example.com" } });
    expect(result.status).toBe(200);
    expect(result.body.settings.subdomain).toMatchObject({ source: "app", display: "acme-it" });
    expect(result.body.settings.defaultFromEmail).toMatchObject({ source: "app", display: "olivia.owner@example.com" });
    const audit = await sql<{ actor_label: string; details: Record<string, string> }>(
      `SELECT actor_label, details FROM audit_log_entry WHERE action = 'settings.pagerduty.update' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit[0]).toEqual({ actor_label: ADMIN, details: { subdomain: "acme-it", defaultFromEmail: "olivia.owner@example.com" } });
  });

  it("refuses changes from an observer and keeps the settings", async () => {
    const before = await sql(`SELECT key, value FROM app_setting WHERE key LIKE 'pagerduty.%' ORDER BY key`);
    const put = await call<ErrorBody>(observerCookie, "/api/admin/settings/pagerduty", { method: "PUT", body: { subdomain: "observer" } });
    expect(put.status).toBe(403);
    expect(put.body.error.code).toBe("forbidden");
    expect((await call(observerCookie, "/api/admin/settings/pagerduty/test", { method: "POST" })).status).toBe(403);
    expect((await call(observerCookie, "/api/admin/settings/pagerduty/webhook-subscription", { method: "POST" })).status).toBe(403);
    expect((await call(observerCookie, "/api/admin/settings/pagerduty/users")).status).toBe(403);
    expect((await call(null, "/api/admin/settings/pagerduty", { method: "PUT", body: { subdomain: "anonymous" } })).status).toBe(401);
    expect(await sql(`SELECT key, value FROM app_setting WHERE key LIKE 'pagerduty.%' ORDER BY key`)).toEqual(before);
  });

  it("tests the connection and reports each check", async () => {
    const result = await call<{ checks: { key: string; status: string; detail: string }[] }>(adminCookie, "/api/admin/settings/pagerduty/test", { method: "POST" });
    expect(result.status).toBe(200);
    const checks = Object.fromEntries(result.body.checks.map((check) => [check.key, check]));
    expect(checks.api_token?.status).toBe("ok");
    expect(checks.api_token?.detail).toContain("set by the environment");
    expect(checks.services?.status).toBe("ok");
    expect(checks.users?.status).toBe("ok");
    expect(checks.from_user?.status).toBe("ok");
    expect(checks.webhook_secret?.status).toBe("ok");
    expect(checks.webhook_subscription?.status).toBe("ok");
    expect(checks.webhook_subscription?.detail).toContain("P0WEBHK");
  });

  it("refuses to create a subscription while the environment sets the secret", async () => {
    const before = await subscriptionCount();
    const result = await call<ErrorBody>(adminCookie, "/api/admin/settings/pagerduty/webhook-subscription", { method: "POST" });
    expect(result.status).toBe(409);
    expect(result.body.error.message).toContain("PAGERDUTY_WEBHOOK_SECRET");
    expect(await subscriptionCount()).toBe(before);
  });

  it("lists PagerDuty users for the From choice", async () => {
    const result = await call<{ users: { email: string; role: string }[] }>(adminCookie, "/api/admin/settings/pagerduty/users?query=adam");
    expect(result.status).toBe(200);
    expect(result.body.users).toEqual([{ id: "P0ADAM1", name: "Adam Admin", email: "adam.admin@example.com", role: "admin" }]);
  });
});
