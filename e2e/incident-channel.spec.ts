import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import pg from "pg";
import { hashPassword } from "../lib/auth/password";
import { person } from "../sandbox/seed";

const appUrl = () => process.env.E2E_APP_URL!;
const slackUrl = () => process.env.E2E_SLACK_URL!;
const pagerdutyUrl = () => process.env.E2E_PAGERDUTY_URL!;
const PASSWORD = "incident channel browser test";

/** Creates (or resets) a web user with a password, straight in the test database. */
async function createWebUser(email: string, name: string): Promise<void> {
  const databaseUrl = process.env.E2E_DATABASE_URL!;
  const host = new URL(databaseUrl).hostname;
  if (host !== "127.0.0.1" && host !== "localhost") throw new Error(`Refusing to write to a database that is not local: ${host}`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO app_user (id, email, name, password_hash, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash`,
      [randomUUID(), email, name, await hashPassword(PASSWORD)],
    );
  } finally {
    await client.end();
  }
}

/** Signs in through next-auth's credentials endpoint; the session cookie lands in the page's context. */
async function signIn(request: APIRequestContext, email: string): Promise<void> {
  const csrf = await request.get(`${appUrl()}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await request.post(`${appUrl()}/api/auth/callback/credentials`, {
    form: { csrfToken, email, password: PASSWORD, callbackUrl: `${appUrl()}/`, json: "true" },
    maxRedirects: 0,
  });
  expect(response.status()).toBeLessThan(400);
}

/** Triggers an incident in the fake PagerDuty and waits until Switchboard shows it. */
async function triggerIncident(request: APIRequestContext, title: string): Promise<string> {
  const response = await request.post(`${pagerdutyUrl()}/_sandbox/trigger`, { data: { serviceId: "P0SVCCHK", title, urgency: "high" } });
  expect(response.status()).toBe(201);
  const { incident } = (await response.json()) as { incident: { id: string } };
  await expect.poll(async () => (await request.get(`${appUrl()}/api/admin/incidents/${incident.id}`)).status(), { timeout: 20_000 }).toBe(200);
  return incident.id;
}

/** Saves a full-page screenshot beside the test's results and attaches it to the report. */
async function attach(page: Page, name: string): Promise<void> {
  const path = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await test.info().attach(name, { path, contentType: "image/png" });
}

test.beforeEach(async ({ page }) => {
  const rosa = person("responder");
  await createWebUser(rosa.email, rosa.name);
  await signIn(page.request, rosa.email);
});

test("a responder creates the incident's channel in the Set Channel dialog", async ({ page }) => {
  const title = `Checkout API: P1 Outage (EU) ${Date.now()}`;
  const incidentId = await triggerIncident(page.request, title);

  await page.goto(`${appUrl()}/incidents`);
  const row = page.getByRole("row").filter({ hasText: title });
  await expect(row).toBeVisible();
  await expect(row).toContainText("Triggered");
  await attach(page, "incident-list");

  await row.getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(title);
  await page.getByRole("button", { name: "Set Channel" }).click();

  const dialog = page.getByRole("dialog", { name: "Set Channel" });
  await expect(dialog).toBeVisible();
  const number = (await page.getByRole("heading", { level: 1 }).textContent())!.match(/#(\d+)/)![1];
  const nameInput = dialog.getByLabel("Channel name");
  await expect(nameInput).toHaveValue(new RegExp(`^inc-${number}-checkout-api-p1-outage-eu-\\d+$`));

  // The preview follows what is typed, as Slack will name the channel.
  await nameInput.fill(`INC ${number} Zürich Café: Outage!!`);
  await expect(dialog.getByText(`#inc-${number}-zuerich-cafe-outage`)).toBeVisible();
  await attach(page, "set-channel-dialog");

  await dialog.getByRole("button", { name: "Create channel" }).click();
  await expect(dialog).toBeHidden();
  const notice = page.getByRole("status").filter({ hasText: "Created" });
  await expect(notice).toContainText(`#inc-${number}-zuerich-cafe-outage`);
  await expect(notice).toContainText("Rosa Responder");
  const channelLink = page.getByRole("link", { name: `#inc-${number}-zuerich-cafe-outage` }).first();
  await expect(channelLink).toBeVisible();
  await attach(page, "incident-with-channel");

  // The incident message appears in the new channel on the fake Slack's page.
  const channels = (await (await page.request.get(`${slackUrl()}/_sandbox/channels`)).json()) as { channels: { id: string; name: string }[] };
  const created = channels.channels.find((channel) => channel.name === `inc-${number}-zuerich-cafe-outage`);
  expect(created).toBeDefined();
  await page.goto(`${slackUrl()}/client/${created!.id}?as=${person("responder").slackUserId}`);
  const message = page.getByRole("article").filter({ hasText: title });
  await expect(message).toBeVisible();
  await expect(message).toContainText("Triggered");
  await expect(message).toContainText("Checkout API");
  await attach(page, "slack-incident-channel");

  // The incident page lists the message posted in the new channel.
  await page.goto(`${appUrl()}/incidents/${incidentId}`);
  await expect(page.getByRole("row").filter({ hasText: `#inc-${number}-zuerich-cafe-outage` })).toContainText("Posted");
});

test("a responder picks an existing channel from the search", async ({ page }) => {
  const title = `Existing channel ${Date.now()}`;
  const incidentId = await triggerIncident(page.request, title);
  await page.goto(`${appUrl()}/incidents/${incidentId}`);
  await page.getByRole("button", { name: "Set Channel" }).click();
  const dialog = page.getByRole("dialog", { name: "Set Channel" });

  await dialog.getByLabel("Use an existing channel").check();
  await dialog.getByLabel("Search channels").fill("security");
  await expect(dialog.getByText(/0 channels match/)).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Use channel" })).toBeDisabled();

  await dialog.getByLabel("Search channels").fill("general");
  await dialog.getByRole("radio", { name: /#general/ }).check();
  await dialog.getByRole("button", { name: "Use channel" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: "#general is now the incident's channel" })).toBeVisible();
  await attach(page, "associated-general");
});

test("the pages fit a phone and an observer cannot set the channel", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  const title = `Phone width ${Date.now()}`;
  const incidentId = await triggerIncident(page.request, title);

  await page.goto(`${appUrl()}/incidents/${incidentId}`);
  await page.getByRole("button", { name: "Set Channel" }).click();
  const dialog = page.getByRole("dialog", { name: "Set Channel" });
  await expect(dialog.getByRole("button", { name: "Create channel" })).toBeInViewport();
  await attach(page, "set-channel-dialog-phone");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();

  const oscar = person("observer");
  await createWebUser(oscar.email, oscar.name);
  await page.context().clearCookies();
  await signIn(page.request, oscar.email);
  await page.goto(`${appUrl()}/incidents/${incidentId}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(title);
  await expect(page.getByRole("button", { name: "Set Channel" })).toHaveCount(0);
  await expect(page.getByRole("note")).toContainText("can view incidents but not change them");
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(360);
  await attach(page, "incident-observer-phone");
});
