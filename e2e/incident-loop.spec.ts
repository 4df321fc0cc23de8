import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { hashPassword } from "../lib/auth/password";

const pagerdutyUrl = () => process.env.E2E_PAGERDUTY_URL!;
const slackUrl = () => process.env.E2E_SLACK_URL!;
const appUrl = () => process.env.E2E_APP_URL!;

const RESPONDER = { email: "rosa.responder@example.com", password: "e2e responder password" };

/** Gives the seeded responder a Switchboard account and signs in through the sign-in page. */
async function signInAsResponder(page: Page): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO app_user (id, email, name, password_hash, updated_at) VALUES (gen_random_uuid(), $1, 'Rosa Responder', $2, now())
       ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash`,
      [RESPONDER.email, await hashPassword(RESPONDER.password)],
    );
  } finally {
    await client.end();
  }
  await page.goto(`${appUrl()}/sign-in`);
  await page.getByLabel("Email address").fill(RESPONDER.email);
  await page.getByLabel("Password", { exact: true }).fill(RESPONDER.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).not.toHaveURL(/sign-in/);
}

test("an incident triggered in PagerDuty is acknowledged from Slack", async ({ page }, testInfo) => {
  const title = `Checkout refunds failing ${Date.now()}`;

  // Trigger the incident on the fake PagerDuty's page, as the owner.
  await page.goto(`${pagerdutyUrl()}/`);
  await page.getByLabel("Service").selectOption({ label: "Checkout API" });
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Trigger incident" }).click();
  await expect(page.getByText(title).first()).toBeVisible();
  await testInfo.attach("fake-pagerduty", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });

  // The message appears in #incidents; Rosa Responder, a linked responder, acknowledges it.
  await page.goto(`${slackUrl()}/client/C0INCIDENT?as=U0ROSA0001`);
  const message = page.getByRole("article").filter({ hasText: title });
  await expect(message).toBeVisible();
  await expect(message).toContainText("Triggered");
  await expect(message).toContainText("Checkout API");
  await testInfo.attach("slack-triggered", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });

  await message.getByRole("button", { name: "Acknowledge" }).click();
  await expect(message).toContainText("Acknowledged by Rosa Responder");
  await expect(message.getByRole("button", { name: "Acknowledge" })).toHaveCount(0);
  await expect(message.getByRole("button", { name: "Resolve" })).toBeVisible();
  await testInfo.attach("slack-acknowledged", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });

  // Switchboard's overview lists the incident as acknowledged.
  await signInAsResponder(page);
  await page.goto(`${appUrl()}/`);
  const row = page.getByRole("listitem").filter({ hasText: title });
  await expect(row).toContainText("Acknowledged");
  await expect(row).toContainText("acknowledged by Rosa Responder");
  await testInfo.attach("switchboard-home", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
});

test("an observer's press is refused in a message only they see", async ({ page }) => {
  const title = `Search indexing stalled ${Date.now()}`;
  await page.goto(`${pagerdutyUrl()}/`);
  await page.getByLabel("Service").selectOption({ label: "Checkout API" });
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Trigger incident" }).click();

  await page.goto(`${slackUrl()}/client/C0INCIDENT?as=U0OSCAR001`);
  const message = page.getByRole("article").filter({ hasText: title });
  await expect(message).toBeVisible();
  await message.getByRole("button", { name: "Resolve" }).click();
  await expect(page.getByText(/can view incidents but not change them/)).toBeVisible();
  await expect(message).toContainText("Triggered");
  await page.screenshot({ path: test.info().outputPath("observer-refused.png"), fullPage: true });
});
