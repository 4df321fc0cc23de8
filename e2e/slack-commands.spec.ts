import { expect, test, type Page, type TestInfo } from "@playwright/test";

/** Saves a full-page screenshot beside the test's results and attaches it to the report. */
async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: "image/png" });
}


const slackUrl = () => process.env.E2E_SLACK_URL!;

async function typeCommand(page: Page, channelName: string, text: string) {
  const box = page.getByLabel(`Message #${channelName}`);
  await box.fill(text);
  await box.press("Enter");
}

const ephemeral = (page: Page, text: string | RegExp) => page.locator('article[data-ephemeral="true"]').filter({ hasText: text });

test("/pd help and an unknown subcommand answer with the commands", async ({ page }) => {
  await page.goto(`${slackUrl()}/client/C0INCIDENT?as=U0ROSA0001`);
  await typeCommand(page, "incidents", "/pd help");
  await expect(ephemeral(page, "Switchboard's commands")).toBeVisible();
  await typeCommand(page, "incidents", "/pd juggle");
  await expect(ephemeral(page, "Switchboard does not know")).toContainText("/pd trigger");
});

test("/pd trigger opens a modal with the channel's service and creates the incident", async ({ page }, testInfo) => {
  const title = `Checkout webhook backlog ${Date.now()}`;
  await page.goto(`${slackUrl()}/client/C0INCIDENT?as=U0ROSA0001`);
  await typeCommand(page, "incidents", "/pd trigger");
  const modal = page.getByRole("dialog", { name: "Trigger an incident" });
  await expect(modal.getByLabel("Service")).toHaveValue("P0SVCCHK");
  await snap(page, testInfo, "trigger-modal");

  await modal.getByLabel("Title").fill(title);
  await modal.getByLabel("Low").check();
  await modal.getByRole("button", { name: "Trigger" }).click();
  await expect(modal).toBeHidden();
  await expect(ephemeral(page, "Triggered incident")).toContainText(title);
  // The new incident is then posted in the channel by the webhook, like any other.
  await expect(page.locator("#messages > article.sb-message").filter({ hasText: title }).filter({ hasText: "Checkout API" })).toBeVisible();
});

test("/pd trigger in a channel without an extension explains the 403", async ({ page }) => {
  await page.goto(`${slackUrl()}/client/C0GENERAL1?as=U0ROSA0001`);
  await typeCommand(page, "general", "/pd trigger");
  await expect(ephemeral(page, "403_client_error")).toContainText("New Extension");
  await expect(page.getByRole("dialog", { name: "Trigger an incident" })).toHaveCount(0);
});

test("/pd oncall shows who is on call, in the viewer's time zone", async ({ page }, testInfo) => {
  await page.goto(`${slackUrl()}/client/C0INCIDENT?as=U0ROSA0001`);
  await typeCommand(page, "incidents", "/pd oncall");
  const answer = ephemeral(page, "On call now for Checkout On-Call");
  await expect(answer).toContainText("Level 1: @Rosa Responder");
  await expect(answer).toContainText("Paula Pageronly");
  await expect(answer).toContainText("Europe/Berlin");
  await snap(page, testInfo, "oncall");
});
