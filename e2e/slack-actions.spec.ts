import { expect, test, type Page, type TestInfo } from "@playwright/test";

/** Saves a full-page screenshot beside the test's results and attaches it to the report. */
async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: "image/png" });
}


const slackUrl = () => process.env.E2E_SLACK_URL!;
const pagerdutyUrl = () => process.env.E2E_PAGERDUTY_URL!;

/** Triggers an incident on Checkout API through the fake PagerDuty's control API. */
async function triggerIncident(title: string): Promise<string> {
  const response = await fetch(`${pagerdutyUrl()}/_sandbox/trigger`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ serviceId: "P0SVCCHK", title }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { incident: { id: string } }).incident.id;
}

async function openIncidentAs(page: Page, slackUserId: string, title: string) {
  await page.goto(`${slackUrl()}/client/C0INCIDENT?as=${slackUserId}`);
  const message = page.locator("#messages > article.sb-message").filter({ hasText: title });
  await expect(message).toBeVisible();
  return message;
}

async function chooseMoreAction(page: Page, message: ReturnType<Page["locator"]>, item: string) {
  await message.getByRole("button", { name: "More actions…" }).click();
  await page.getByRole("menuitem", { name: item }).click();
}

test("Add a Note posts in the thread", async ({ page }, testInfo) => {
  const title = `Checkout refunds stuck ${Date.now()}`;
  await triggerIncident(title);
  const message = await openIncidentAs(page, "U0ROSA0001", title);

  await chooseMoreAction(page, message, "Add a Note");
  const modal = page.getByRole("dialog", { name: "Add a Note" });
  await expect(modal.getByLabel("Note")).toBeVisible();
  await snap(page, testInfo, "add-note-modal");

  // An empty note is refused beside the field.
  await modal.getByLabel("Note").fill("   ");
  await modal.getByRole("button", { name: "Add Note" }).click();
  await expect(modal.locator(".sb-field-error")).toHaveText("Write the note before you add it.");

  await modal.getByLabel("Note").fill("Refund worker restarted; queue draining.");
  await modal.getByRole("button", { name: "Add Note" }).click();
  await expect(modal).toBeHidden();
  await expect(message).toContainText("Note added by Rosa Responder");
  const thread = page.locator(`details.sb-thread`).filter({ hasText: "1 repl" }).first();
  await expect(page.locator("article.sb-message--reply").filter({ hasText: "Refund worker restarted; queue draining." })).toBeAttached();
  await thread.evaluate((element) => ((element as HTMLDetailsElement).open = true)).catch(() => undefined);
  await snap(page, testInfo, "note-in-thread");
});

test("the escalate modal lists who is on call at each level", async ({ page }, testInfo) => {
  const title = `Checkout latency spike ${Date.now()}`;
  await triggerIncident(title);
  const message = await openIncidentAs(page, "U0ROSA0001", title);

  await chooseMoreAction(page, message, "Escalate");
  const modal = page.getByRole("dialog", { name: "Escalate" });
  await expect(modal.getByText("Checkout On-Call")).toBeVisible();
  await expect(modal.getByLabel("Level 2")).toBeVisible();
  await snap(page, testInfo, "escalate-modal");

  await modal.getByLabel("Level 2").check();
  await modal.getByRole("button", { name: "Escalate" }).click();
  await expect(modal).toBeHidden();
  await expect(message).toContainText("Escalated by Rosa Responder");
  await expect(message).toContainText("Paula Pageronly");
});

test("a play runs from the Run a Play modal", async ({ page }) => {
  const title = `Checkout payments down ${Date.now()}`;
  await triggerIncident(title);
  const message = await openIncidentAs(page, "U0ROSA0001", title);

  await chooseMoreAction(page, message, "Run a Play");
  const modal = page.getByRole("dialog", { name: "Run a Play" });
  await modal.getByLabel("Incident workflow or response play").selectOption({ label: "Major incident response" });
  await modal.getByRole("button", { name: "Run" }).click();
  await expect(modal).toBeHidden();
  await expect(page.locator('article[data-ephemeral="true"]').filter({ hasText: 'Started the incident workflow "Major incident response"' })).toBeVisible();
});

test("an observer's escalation is refused in a message only they see", async ({ page }, testInfo) => {
  const title = `Checkout observer refused ${Date.now()}`;
  await triggerIncident(title);
  const message = await openIncidentAs(page, "U0OSCAR001", title);

  await chooseMoreAction(page, message, "Escalate");
  const refusal = page.locator('article[data-ephemeral="true"]').filter({ hasText: "You can't escalate this incident" });
  await expect(refusal).toBeVisible();
  await expect(refusal).toContainText("can view incidents but not change them");
  await expect(page.getByRole("dialog", { name: "Escalate" })).toContainText("Nothing was sent to PagerDuty");
  await snap(page, testInfo, "observer-refused");
});

test("a limited user outside the service's team cannot acknowledge", async ({ page }) => {
  const title = `Checkout limited refused ${Date.now()}`;
  await triggerIncident(title);
  const message = await openIncidentAs(page, "U0LIAM0001", title);

  await message.getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.locator('article[data-ephemeral="true"]').filter({ hasText: "acts only on services of your own teams" })).toBeVisible();
  await expect(message).toContainText("Triggered");
});
