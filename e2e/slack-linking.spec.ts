import { expect, test, type Page, type TestInfo } from "@playwright/test";
import pg from "pg";

/** Saves a full-page screenshot beside the test's results and attaches it to the report. */
async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: "image/png" });
}


const slackUrl = () => process.env.E2E_SLACK_URL!;
const pagerdutyUrl = () => process.env.E2E_PAGERDUTY_URL!;
const RHEA = { slackUserId: "U0RHEA0001", pagerdutyUserId: "P0RHEA1", email: "rhea.restricted@example.com" };

async function database<T>(action: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = process.env.E2E_DATABASE_URL!;
  if (!/^postgres(ql)?:\/\/[^@]*@(127\.0\.0\.1|localhost)[:/]/.test(url)) throw new Error("The browser tests only touch a local database");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

test.afterEach(async () => {
  // Put Rhea's link back as the configuration file has it.
  await database((client) =>
    client.query(
      `INSERT INTO linked_user (id, slack_team_id, slack_user_id, pagerduty_user_id, pagerduty_email, managed_by, updated_at)
       VALUES (gen_random_uuid(), 'T0SANDBOX1', $1, $2, $3, 'config', now())
       ON CONFLICT (slack_team_id, slack_user_id) DO UPDATE SET managed_by = 'config', link_method = NULL`,
      [RHEA.slackUserId, RHEA.pagerdutyUserId, RHEA.email],
    ),
  );
});

test("unlinked responder links, then acknowledges", async ({ page }, testInfo) => {
  await database((client) => client.query(`DELETE FROM linked_user WHERE slack_user_id = $1`, [RHEA.slackUserId]));
  const title = `Checkout fraud check slow ${Date.now()}`;
  const triggered = await fetch(`${pagerdutyUrl()}/_sandbox/trigger`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ serviceId: "P0SVCCHK", title }) });
  expect(triggered.status).toBe(201);

  await page.goto(`${slackUrl()}/client/C0INCIDENT?as=${RHEA.slackUserId}`);
  const message = page.locator("#messages > article.sb-message").filter({ hasText: title });
  await message.getByRole("button", { name: "Acknowledge" }).click();
  const connect = page.locator('article[data-ephemeral="true"]').filter({ hasText: "Connect your PagerDuty account to acknowledge incidents" }).last();
  await expect(connect).toBeVisible();
  await snap(page, testInfo, "connect-message");

  // Slack opens a URL button's link in the browser; the fake page only records the press.
  const linkUrl = await connect.getByRole("button", { name: "Connect your PagerDuty account" }).getAttribute("data-url");
  expect(linkUrl).toContain("/link?request=");
  await page.goto(linkUrl!);
  await expect(page.getByRole("heading", { name: "Connect your PagerDuty account" })).toBeVisible();
  await page.getByRole("button", { name: "Sign in with Slack" }).click();

  // The fake Slack's Sign in with Slack page: Slack proves who the person is.
  await page.getByLabel("Sign in as").selectOption(RHEA.slackUserId);
  await page.getByRole("button", { name: "Allow" }).click();

  await expect(page.getByText("you tried to acknowledge the incident")).toBeVisible();
  await snap(page, testInfo, "link-page");
  await page.getByRole("button", { name: "Link to Rhea Restricted" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your Slack account is linked to the PagerDuty user Rhea Restricted" })).toBeVisible();
  await snap(page, testInfo, "linked");

  await page.goto(`${slackUrl()}/client/C0INCIDENT?as=${RHEA.slackUserId}`);
  await expect(page.locator("#messages > article.sb-message").filter({ hasText: title })).toContainText("Acknowledged by Rhea Restricted");
});
