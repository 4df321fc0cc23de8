import { expect, test, type Page, type TestInfo } from "@playwright/test";
import pg from "pg";
import { hashPassword } from "../lib/auth/password";
import { startTestStack, type TestStack } from "../tests/support/stack";

/**
 * The admin's first day, on an empty Switchboard (no configuration file) wired to the sandbox: the
 * owner creates the first account, installs the app into the sandbox workspace, creates extensions,
 * and sees an incident arrive; an observer cannot change anything. A screenshot of each screen is
 * attached to the report.
 */

const OWNER = { name: "Olivia Owner", email: "olivia.owner@example.com", password: "first owner password 1" };
const OBSERVER = { email: "oscar.observer@example.com", password: "observer password 1" };

let stack: TestStack;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // Info-level output, so that a failure's printout shows what the server and worker did.
  stack = await startTestStack({ withConfigFile: false, logLevel: "info" });
});

test.afterEach(async ({}, testInfo) => {
  if (!stack || testInfo.status === testInfo.expectedStatus) return;
  const output = stack.outputTail();
  console.error(`Switchboard's output before "${testInfo.title}" failed:\n${output || "(nothing)"}`);
  await testInfo.attach("switchboard-output", { body: output, contentType: "text/plain" });
});

test.afterAll(async () => {
  await stack?.stop();
});

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${stack.appUrl}/sign-in`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).not.toHaveURL(/sign-in/);
}

async function chooseOption(page: Page, label: string, search: string, option: string | RegExp): Promise<void> {
  await page.getByRole("combobox", { name: label }).fill(search);
  await page.getByRole("option", { name: option }).first().click();
}

async function triggerIncident(page: Page, title: string, service = "Checkout API"): Promise<void> {
  await page.goto(`${stack.pagerdutyUrl}/`);
  await page.getByLabel("Service").selectOption({ label: service });
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Trigger incident" }).click();
  await expect(page.getByText(title).first()).toBeVisible();
}

test("the owner sets up Switchboard and an incident reaches Slack", async ({ page }, testInfo) => {
  test.setTimeout(120_000);

  // First start: every page leads to the owner setup.
  await page.goto(`${stack.appUrl}/extensions`);
  await expect(page).toHaveURL(/\/setup/);
  await shot(page, testInfo, "1-setup");
  await page.getByLabel("Your name").fill(OWNER.name);
  await page.getByLabel("Email address").fill(OWNER.email);
  await page.getByLabel("Password", { exact: true }).fill(OWNER.password);
  await page.getByLabel("Confirm password").fill(OWNER.password);
  await page.getByRole("button", { name: "Create owner account" }).click();
  await expect(page).not.toHaveURL(/\/setup/);
  await shot(page, testInfo, "2-overview-empty");

  // Install App into Workspace: Slack's consent page, then back on the mapping screen.
  await page.goto(`${stack.appUrl}/workspaces`);
  await shot(page, testInfo, "3-workspaces-empty");
  await page.getByRole("link", { name: "Install App into Workspace" }).first().click();
  await expect(page).toHaveURL(new RegExp(`^${stack.slackUrl}/oauth/v2/authorize`));
  await shot(page, testInfo, "4-slack-consent");
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page).toHaveURL(new RegExp(`^${stack.appUrl}/workspaces`));
  await expect(page.getByText("Sandbox Workspace").first()).toBeVisible();
  await shot(page, testInfo, "5-workspaces-installed");

  // A new extension for Checkout API in #incidents.
  await page.goto(`${stack.appUrl}/extensions`);
  await shot(page, testInfo, "6-extensions-empty");
  await page.getByRole("link", { name: "+ New Extension" }).first().click();
  await expect(page.getByRole("heading", { name: "New Extension" })).toBeVisible();
  await chooseOption(page, "Service", "Checkout", /Checkout API/);
  await expect(page.getByLabel("Name")).toHaveValue("SlackV2-Checkout-API");
  await page.getByRole("button", { name: "Authorize" }).click();
  await chooseOption(page, "Channel", "incid", /incidents/);
  await shot(page, testInfo, "7-new-extension");
  await page.getByRole("button", { name: "Save extension" }).click();
  await expect(page.getByText("SlackV2-Checkout-API").first()).toBeVisible();
  await shot(page, testInfo, "8-extension-saved");

  const title = `Checkout payments failing ${Date.now()}`;
  await triggerIncident(page, title);
  await page.goto(`${stack.slackUrl}/client/C0INCIDENT?as=U0OLIVIA01`);
  await expect(page.getByText("PagerDuty integration added").first()).toBeVisible();
  const message = page.getByRole("article").filter({ hasText: title });
  await expect(message).toContainText("Triggered");
  await shot(page, testInfo, "9-slack-incident");
});

test("a private channel without the bot needs attention until the bot is invited", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto(`${stack.appUrl}/extensions/new`);
  await chooseOption(page, "Service", "Platform", /Platform Core/);
  await page.getByRole("button", { name: "Authorize" }).click();
  await page.getByRole("button", { name: "Private channel not listed? Enter its channel ID" }).click();
  await page.getByLabel("Channel ID").fill("C0SECURITY");
  await page.getByLabel("Channel name").fill("security-private");
  await page.getByRole("button", { name: "Save extension" }).click();
  // Leaving before the save has finished would cancel its request.
  await expect(page.getByRole("status").filter({ hasText: "Extension created." })).toBeVisible();

  await page.goto(`${stack.appUrl}/extensions`);
  const row = page.getByRole("row").filter({ hasText: "SlackV2-Platform-Core" });
  await expect(row).toContainText(/needs attention/i);
  await expect(row).toContainText(/Invite @switchboard/);
  await shot(page, testInfo, "10-extension-needs-attention");

  // The owner invites the bot in Slack; Slack sends member_joined_channel and the extension works.
  await page.goto(`${stack.slackUrl}/client/C0SECURITY?as=U0OLIVIA01`);
  await page.getByRole("button", { name: "Add the bot to this channel" }).click();
  await expect(page.getByRole("button", { name: "Add the bot to this channel" })).toHaveCount(0);

  await expect(async () => {
    await page.goto(`${stack.appUrl}/extensions`);
    await expect(page.getByRole("row").filter({ hasText: "SlackV2-Platform-Core" })).toContainText(/working/i, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await shot(page, testInfo, "11-extension-working");

  const title = `Platform queue backlog ${Date.now()}`;
  await triggerIncident(page, title, "Platform Core");
  await page.goto(`${stack.slackUrl}/client/C0SECURITY?as=U0OLIVIA01`);
  await expect(page.getByRole("article").filter({ hasText: title })).toContainText("Triggered");
  await shot(page, testInfo, "12-private-channel-incident");
});

test("the owner changes an extension's channel name template, then signs out", async ({ page }, testInfo) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto(`${stack.appUrl}/extensions`);
  await page.getByRole("link", { name: "SlackV2-Platform-Core" }).first().click();

  // The rules form loads after the page; its preview follows the template as it is typed.
  const template = page.getByLabel("Channel name template");
  await template.fill("ops-{number}-{service}");
  await expect(page.locator("#rules-name-template-preview")).toContainText("#ops-1234-checkout-api");
  await page.getByRole("button", { name: "Save channel rules" }).click();
  await expect(page.getByText("Saved the channel rules.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Channel name template")).toHaveValue("ops-{number}-{service}");
  await shot(page, testInfo, "13-extension-channel-rules");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto(`${stack.appUrl}/extensions`);
  await expect(page).toHaveURL(/\/sign-in/);
});

test("an observer sees the configuration but cannot create", async ({ page }, testInfo) => {
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO app_user (id, email, name, password_hash, updated_at) VALUES (gen_random_uuid(), $1, 'Oscar Observer', $2, now())
       ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash`,
      [OBSERVER.email, await hashPassword(OBSERVER.password)],
    );
  } finally {
    await client.end();
  }
  await signIn(page, OBSERVER.email, OBSERVER.password);
  await page.goto(`${stack.appUrl}/extensions`);
  await expect(page.getByText(/Only PagerDuty Account Owners and Global Admins/).first()).toBeVisible();
  await expect(page.getByRole("link", { name: "+ New Extension" })).toHaveCount(0);
  await shot(page, testInfo, "14-observer-extensions");

  await page.goto(`${stack.appUrl}/extensions/new`);
  await expect(page.getByText(/Only PagerDuty Account Owners and Global Admins/).first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Save extension" })).toHaveCount(0);
  await shot(page, testInfo, "15-observer-new-extension");

  // The server refuses the write too, whatever the page shows.
  const response = await page.request.post(`${stack.appUrl}/api/admin/extensions`, {
    data: { serviceId: "P0SVCCHK", workspaceId: "T0SANDBOX1", channelId: "C0INCIDENT" },
  });
  expect(response.status()).toBe(403);
});

test("the owner removes the workspace mapping", async ({ page }, testInfo) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto(`${stack.appUrl}/workspaces`);
  await page.getByRole("button", { name: "Remove Sandbox Workspace" }).click();
  const dialog = page.getByRole("dialog", { name: "Remove Sandbox Workspace?" });
  await expect(dialog).toContainText("Its 2 extensions will be kept but disabled");
  await dialog.getByRole("button", { name: "Remove workspace" }).click();

  await expect(dialog).toBeHidden();
  const announcement = page.getByRole("status").filter({ hasText: "Sandbox Workspace was removed from Switchboard. 2 extensions disabled." });
  await expect(announcement).toBeFocused();
  await expect(page.getByRole("row").filter({ hasText: "Sandbox Workspace" })).toContainText("Removed");
  await expect(page.getByRole("button", { name: "Remove Sandbox Workspace" })).toHaveCount(0);
  await shot(page, testInfo, "16-workspace-removed");

  await page.goto(`${stack.appUrl}/extensions?sort=status`);
  await expect(page.getByRole("row").filter({ hasText: "SlackV2-Checkout-API" })).toContainText(/disabled/i);
});
