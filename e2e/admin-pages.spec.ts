import { randomUUID } from "node:crypto";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import pg from "pg";
import { hashPassword } from "../lib/auth/password";

/**
 * The admin pages that the server renders, driven as an admin would. The Extensions search and sort
 * and the incident filters change the address. The Users and API keys actions call a route handler
 * and then render the page again on the server.
 */

const appUrl = () => process.env.E2E_APP_URL!;
const pagerdutyUrl = () => process.env.E2E_PAGERDUTY_URL!;
const PASSWORD = "admin pages browser test";
const ADMIN_EMAIL = "adam.admin@example.com";

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

/** Creates (or resets) a web user with the test's password; Adam Admin is a PagerDuty Global Admin. */
async function createWebUser(email: string, name: string): Promise<void> {
  const hash = await hashPassword(PASSWORD);
  await database((client) =>
    client.query(
      `INSERT INTO app_user (id, email, name, password_hash, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, disabled_at = NULL`,
      [randomUUID(), email, name, hash],
    ),
  );
}

async function signInAsAdmin(page: Page, path: string): Promise<void> {
  await createWebUser(ADMIN_EMAIL, "Adam Admin");
  await page.goto(`${appUrl()}/sign-in?callbackUrl=${encodeURIComponent(path)}`);
  await page.getByLabel("Email address").fill(ADMIN_EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${path.replace(/[/?]/g, "\\$&")}$`));
}

/** Saves a full-page screenshot beside the test's results and attaches it to the report. */
async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

test("extensions search and sort in the address", async ({ page }, testInfo) => {
  await signInAsAdmin(page, "/extensions");
  const search = page.getByRole("searchbox", { name: "Search extensions" });

  await search.fill("no-such-extension");
  await expect(page).toHaveURL(/\/extensions\?q=no-such-extension$/);
  await expect(page.getByText("No extension matches “no-such-extension”.")).toBeVisible();
  await expect(page.getByText("0 extensions")).toBeVisible();
  await snap(page, testInfo, "extensions-no-match");

  await search.fill("checkout");
  await expect(page).toHaveURL(/\/extensions\?q=checkout$/);
  const table = page.getByRole("table");
  await expect(table.getByRole("link", { name: "SlackV2-Checkout-API" })).toBeVisible();

  await table.getByRole("link", { name: /^Service/ }).click();
  await expect(page).toHaveURL(/\/extensions\?q=checkout&sort=service$/);
  await expect(table.getByRole("columnheader", { name: /^Service/ })).toHaveAttribute("aria-sort", "ascending");
  await table.getByRole("link", { name: /^Service/ }).click();
  await expect(page).toHaveURL(/\/extensions\?q=checkout&sort=service&direction=desc$/);
  await expect(table.getByRole("columnheader", { name: /^Service/ })).toHaveAttribute("aria-sort", "descending");

  // The address alone gives the same view, as a shared link would.
  await page.goto(`${appUrl()}/extensions?q=checkout&sort=service&direction=desc`);
  await expect(page.getByRole("searchbox", { name: "Search extensions" })).toHaveValue("checkout");
  await expect(page.getByRole("table").getByRole("columnheader", { name: /^Service/ })).toHaveAttribute("aria-sort", "descending");

  await page.goBack();
  await expect(page).toHaveURL(/\/extensions\?q=checkout&sort=service$/);
  await expect(page.getByRole("searchbox", { name: "Search extensions" })).toHaveValue("checkout");
});

test("search typed before hydration is kept", async ({ page }) => {
  await signInAsAdmin(page, "/extensions");
  // Hold the page's scripts, so that the search box is typed into while it is plain HTML.
  let releaseScripts!: () => void;
  const scriptsHeld = new Promise<void>((resolve) => (releaseScripts = resolve));
  await page.route("**/_next/static/**/*.js", async (route) => {
    await scriptsHeld;
    await route.continue();
  });
  await page.goto(`${appUrl()}/extensions`, { waitUntil: "commit" });
  const search = page.getByRole("searchbox", { name: "Search extensions" });
  await search.fill("checkout");
  await expect(page).toHaveURL(/\/extensions$/);

  releaseScripts();
  await expect(page).toHaveURL(/\/extensions\?q=checkout$/);
  await expect(page.getByRole("table").getByRole("link", { name: "SlackV2-Checkout-API" })).toBeVisible();
  await expect(search).toHaveValue("checkout");
});

test("incident filters in the address", async ({ page }) => {
  await signInAsAdmin(page, "/incidents");
  await page.getByLabel("Status").selectOption("resolved");
  await expect(page).toHaveURL(/\/incidents\?status=resolved$/);
  await expect(page.getByLabel("Status")).toHaveValue("resolved");
  const statuses = page.getByRole("table").getByRole("row").filter({ hasNot: page.getByRole("columnheader") });
  for (const row of await statuses.all()) await expect(row).toContainText("Resolved");

  await page.getByLabel("Status").selectOption("");
  await expect(page).toHaveURL(/\/incidents$/);
});

test("incident list refreshes itself", async ({ page }) => {
  await signInAsAdmin(page, "/incidents");
  const title = `Arrives while the list is open ${Date.now()}`;
  const response = await page.request.post(`${pagerdutyUrl()}/_sandbox/trigger`, { data: { serviceId: "P0SVCCHK", title, urgency: "high" } });
  expect(response.status()).toBe(201);
  await expect(page.getByRole("row").filter({ hasText: title })).toContainText("Triggered");

  // While the server cannot be reached, the list keeps its rows and shows why it is not refreshed.
  await page.route("**/icon.svg", (route) => route.abort("connectionrefused"));
  const problem = page.getByRole("alert").filter({ hasText: "The page could not be refreshed" });
  await expect(problem).toContainText("It shows the incidents as they were.");
  await expect(page.getByRole("row").filter({ hasText: title })).toBeVisible();
  await page.unroute("**/icon.svg");
  await expect(problem).toHaveCount(0);
});

test("users invite, revoke and disable", async ({ page }, testInfo) => {
  const invited = `invited-${Date.now()}@example.com`;
  const member = { email: `member-${Date.now()}@example.com`, name: "Mona Member" };
  await createWebUser(member.email, member.name);
  await signInAsAdmin(page, "/users");

  await page.getByRole("button", { name: "+ Invite User" }).click();
  const dialog = page.getByRole("dialog", { name: "Invite a user" });
  await dialog.getByLabel("Email address").fill(invited);
  await dialog.getByRole("button", { name: "Create invitation link" }).click();
  const created = page.getByRole("dialog", { name: "Invitation created" });
  await expect(created.getByLabel("Invitation link")).toHaveValue(/\/invite\//);
  await created.getByRole("button", { name: "Done" }).click();
  await expect(created).toBeHidden();

  const invitation = page.getByRole("row").filter({ hasText: invited });
  await expect(invitation).toContainText("Pending");
  await invitation.getByRole("button", { name: `Revoke the invitation for ${invited}` }).click();
  await page.getByRole("dialog", { name: "Revoke invitation?" }).getByRole("button", { name: "Revoke invitation" }).click();
  await expect(page.getByText(`Revoked the invitation for ${invited}. Its link no longer works.`)).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: invited })).toHaveCount(0);

  const row = page.getByRole("row").filter({ hasText: member.email });
  await row.getByRole("button", { name: `Disable ${member.email}` }).click();
  await page.getByRole("dialog", { name: `Disable ${member.name}?` }).getByRole("button", { name: "Disable user" }).click();
  await expect(page.getByText(`Disabled ${member.email}. They are signed out and cannot sign in.`)).toBeVisible();
  await expect(row).toContainText("Disabled");
  await snap(page, testInfo, "users-disabled");

  await row.getByRole("button", { name: `Enable ${member.email}` }).click();
  await expect(page.getByText(`Enabled ${member.email}. They can sign in again.`)).toBeVisible();
  await expect(row).toContainText("Active");
});

test("API key create and revoke", async ({ page }, testInfo) => {
  const name = `terraform-${Date.now()}`;
  await signInAsAdmin(page, "/settings/api-keys");

  await page.getByLabel("Key name").fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByText(`Copy the key “${name}” now: it is shown only once.`)).toBeVisible();
  await expect(page.getByLabel("New API key")).toHaveValue(/^sbk_/);
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("Active");
  await expect(row).toContainText("Never");
  await snap(page, testInfo, "api-key-created");

  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await page.getByRole("dialog", { name: `Revoke the key ${name}?` }).getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button", { name: `Revoke ${name}` })).toHaveCount(0);
});
