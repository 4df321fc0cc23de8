import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakePagerDuty } from "@/sandbox/pagerduty/server";
import { startTestFake, startWebhookReceiver, TEST_API_TOKEN, waitFor, type WebhookReceiver } from "@/sandbox/pagerduty/testing";
import { createTestDatabase, type TestDatabase } from "@/tests/support/database";

// Settings → PagerDuty against the fake PagerDuty over HTTP, with the webhook secret NOT set in the
// environment, so that creating the subscription stores its secret. The integration tests cover the
// environment-set case.

let database: TestDatabase;
let pagerduty: FakePagerDuty;
let receiver: WebhookReceiver;
const actor = { userId: null, label: "owner@example.com" };

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = await startWebhookReceiver();
  pagerduty = await startTestFake();
  process.env.DATABASE_URL = database.url;
  process.env.APP_URL = new URL(receiver.url).origin;
  process.env.PAGERDUTY_API_URL = pagerduty.url;
  process.env.PAGERDUTY_API_TOKEN = TEST_API_TOKEN;
  process.env.ENCRYPTION_KEY = randomBytes(32).toString("base64");
  delete process.env.PAGERDUTY_WEBHOOK_SECRET;
  delete process.env.PAGERDUTY_FROM_EMAIL;
  delete process.env.PAGERDUTY_SUBDOMAIN;
});

afterAll(async () => {
  const { closeDatabaseClients } = await import("@/lib/db/client");
  await closeDatabaseClients();
  await receiver.close();
  await pagerduty.close();
  await database.drop();
});

async function modules() {
  const { getPrisma } = await import("@/lib/db/client");
  const admin = await import("./pagerduty-admin");
  const subscription = await import("./webhook-subscription");
  const connection = await import("./test-connection");
  const settings = await import("./pagerduty-settings");
  return { prisma: getPrisma(), ...admin, ...subscription, ...connection, ...settings };
}

async function subscriptionsInFake(): Promise<{ id: string; delivery_method: { url: string } }[]> {
  const response = await fetch(`${pagerduty.url}/webhook_subscriptions`, {
    headers: { Authorization: `Token token=${TEST_API_TOKEN}`, Accept: "application/vnd.pagerduty+json;version=2" },
  });
  return ((await response.json()) as { webhook_subscriptions: { id: string; delivery_method: { url: string } }[] }).webhook_subscriptions;
}

describe("Settings → PagerDuty", () => {
  it("reports a missing subscription and From user in the connection test", async () => {
    const { testPagerDutyConnection } = await modules();
    const checks = Object.fromEntries((await testPagerDutyConnection()).map((check) => [check.key, check]));
    expect(checks.api_token?.status).toBe("ok");
    expect(checks.services?.status).toBe("ok");
    expect(checks.services?.detail).toContain("3 services");
    expect(checks.users?.status).toBe("ok");
    expect(checks.from_user?.status).toBe("warning");
    expect(checks.webhook_secret?.status).toBe("failed");
    expect(checks.webhook_subscription?.status).toBe("failed");
  });

  it("creates the subscription and stores a secret that verifies its webhooks", async () => {
    const { prisma, createWebhookSubscription, getPagerDutySettings, clearPagerDutySettingsCache } = await modules();
    const created = await createWebhookSubscription({ prisma, actor });
    expect(created.url).toBe(`${new URL(receiver.url).origin}/api/pagerduty/webhooks`);
    expect(created.events).toContain("incident.triggered");

    const fakeSubscriptions = await subscriptionsInFake();
    expect(fakeSubscriptions.map((subscription) => subscription.id)).toEqual([created.id]);

    clearPagerDutySettingsCache();
    const settings = await getPagerDutySettings();
    expect(settings.webhookSecret.source).toBe("app");
    expect(settings.webhookSubscriptionId.value).toBe(created.id);
    const stored = await prisma.appSetting.findUniqueOrThrow({ where: { key: "pagerduty.webhook_secret" } });
    expect(stored.value).not.toContain(settings.webhookSecret.value!);

    const audit = await prisma.auditLogEntry.findMany({ where: { action: "settings.pagerduty.create_webhook_subscription" } });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.details)).not.toContain(settings.webhookSecret.value!);

    const trigger = await fetch(`${pagerduty.url}/_sandbox/trigger`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ serviceId: "P0SVCCHK", title: "Subscription check" }),
    });
    expect(trigger.status).toBe(201);
    const webhook = await waitFor("a webhook from the new subscription", () => receiver.received[0]);
    const { verifyPagerDutySignature } = await import("@/lib/pagerduty/verify-signature");
    const verification = verifyPagerDutySignature({
      secret: settings.webhookSecret.value,
      rawBody: Buffer.from(webhook.rawBody),
      signatureHeader: String(webhook.headers["x-pagerduty-signature"]),
    });
    expect(verification).toEqual({ ok: true });
  });

  it("rejects a second subscription to the same URL and creates nothing", async () => {
    const { prisma, createWebhookSubscription } = await modules();
    await expect(createWebhookSubscription({ prisma, actor })).rejects.toMatchObject({ code: "conflict" });
    expect(await subscriptionsInFake()).toHaveLength(1);
  });

  it("rejects a read-only From user and saves a writer", async () => {
    const { prisma, savePagerDutySettings } = await modules();
    await expect(savePagerDutySettings({ prisma, actor, input: { defaultFromEmail: "oscar.observer@example.com" } })).rejects.toMatchObject({
      code: "invalid_input",
      fields: { defaultFromEmail: expect.stringContaining("read-only") },
    });
    await expect(savePagerDutySettings({ prisma, actor, input: { defaultFromEmail: "nobody@example.com" } })).rejects.toMatchObject({
      fields: { defaultFromEmail: expect.stringContaining("No PagerDuty user") },
    });
    const view = await savePagerDutySettings({ prisma, actor, input: { defaultFromEmail: "Olivia.Owner@example.com", subdomain: "https://acme.pagerduty.com/" } });
    expect(view.defaultFromEmail).toMatchObject({ source: "app", display: "olivia.owner@example.com" });
    expect(view.subdomain).toMatchObject({ source: "app", display: "acme" });
  });

  it("rejects saving a setting that the environment sets", async () => {
    const { prisma, savePagerDutySettings } = await modules();
    await expect(savePagerDutySettings({ prisma, actor, input: { apiToken: "another-token-123" } })).rejects.toMatchObject({
      code: "invalid_input",
      fields: { apiToken: expect.stringContaining("PAGERDUTY_API_TOKEN") },
    });
    expect(await prisma.appSetting.findUnique({ where: { key: "pagerduty.api_token" } })).toBeNull();
  });

  it("passes every check once everything is set", async () => {
    const { testPagerDutyConnection } = await modules();
    const checks = await testPagerDutyConnection();
    expect(checks.map((check) => [check.key, check.status])).toEqual([
      ["api_token", "ok"],
      ["users", "ok"],
      ["services", "ok"],
      ["from_user", "ok"],
      ["webhook_secret", "ok"],
      ["webhook_subscription", "ok"],
    ]);
  });
});
