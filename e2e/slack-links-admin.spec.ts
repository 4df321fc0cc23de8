import { randomUUID } from "node:crypto";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import pg from "pg";
import { hashPassword } from "../lib/auth/password";

/** Saves a full-page screenshot beside the test's results and attaches it to the report. */
async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: "image/png" });
}


const appUrl = () => process.env.E2E_APP_URL!;
const PASSWORD = "slack links admin password";

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

/** Creates Adam Admin (a PagerDuty Global Admin) with a password; the owner too when there is none yet. */
async function createAdmin(): Promise<string> {
  const email = "adam.admin@example.com";
  const hash = await hashPassword(PASSWORD);
  await database(async (client) => {
    const owners = await client.query(`SELECT 1 FROM app_user WHERE is_owner`);
    await client.query(
      `INSERT INTO app_user (id, email, name, password_hash, is_owner, updated_at) VALUES ($1, $2, 'Adam Admin', $3, $4, now())
       ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, disabled_at = NULL`,
      [randomUUID(), email, hash, owners.rowCount === 0],
    );
  });
  return email;
}

test("an admin links a Slack member by hand and removes the link", async ({ page }, testInfo) => {
  const email = await createAdmin();
  await database((client) => client.query(`DELETE FROM linked_user WHERE slack_user_id = 'U0SAM00001'`));

  await page.goto(`${appUrl()}/sign-in?callbackUrl=%2Fslack-links`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Slack links" })).toBeVisible();
  await expect(page.getByRole("table")).toContainText("Configuration file");
  await snap(page, testInfo, "slack-links");

  await page.getByRole("button", { name: "+ New link" }).click();
  const dialog = page.getByRole("dialog", { name: "Link a Slack member by hand" });
  await dialog.getByLabel("Slack workspace").selectOption("T0SANDBOX1");
  await dialog.getByLabel("Slack member ID").fill("U0NOBODY99");
  await dialog.getByLabel("PagerDuty user").selectOption("P0PAULA");
  await dialog.getByRole("button", { name: "Save link" }).click();
  await expect(dialog.getByText("No member of Sandbox Workspace has this ID.")).toBeVisible();
  await snap(page, testInfo, "new-link-error");

  await dialog.getByLabel("Slack member ID").fill("U0SAM00001");
  await dialog.getByRole("button", { name: "Save link" }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole("row").filter({ hasText: "U0SAM00001" });
  await expect(row).toContainText("Linked by an admin");
  await expect(row).toContainText("paula.pageronly@example.com");

  await row.getByRole("button", { name: "Remove the link of U0SAM00001" }).click();
  const confirm = page.getByRole("dialog", { name: "Remove this link?" });
  await expect(confirm).toContainText("U0SAM00001");
  await snap(page, testInfo, "remove-confirm");
  await confirm.getByRole("button", { name: "Remove link" }).click();
  await expect(page.getByRole("row").filter({ hasText: "U0SAM00001" })).toHaveCount(0);

  await page.setViewportSize({ width: 360, height: 800 });
  // The table scrolls inside its box; nothing widens the page beyond a phone's screen.
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await snap(page, testInfo, "slack-links-phone");
});
