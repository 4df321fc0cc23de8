import { expect, test } from "@playwright/test";

const pagerdutyUrl = () => process.env.E2E_PAGERDUTY_URL!;
const slackUrl = () => process.env.E2E_SLACK_URL!;
const appUrl = () => process.env.E2E_APP_URL!;

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

  // Switchboard's own page lists the incident as acknowledged.
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
