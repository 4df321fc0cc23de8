import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashOAuthState } from "../../lib/slack/oauth/state";
import { BOT_SCOPE_NAMES } from "../../lib/slack/oauth/scopes";
import { SLACK_BOT, SLACK_TEAM } from "../../sandbox/seed";
import { createWebUser, signIn } from "./auth-helpers";
import { env, sql } from "./helpers";
import {
  consentInSlack,
  followCallback,
  installThroughSlack,
  oauthExchangeCount,
  pageHtml,
  requestInstall,
  restoreWorkspaceRow,
  startInstall,
  workspaceRow,
  type WorkspaceRow,
} from "./workspaces-support";

let adam: { id: string; cookie: string };
let olivia: { id: string; cookie: string };
let rosa: { id: string; cookie: string };
let original: WorkspaceRow;

beforeAll(async () => {
  const signedIn = async (email: string, name: string) => {
    const { id } = await createWebUser({ email, name });
    return { id, cookie: await signIn(email) };
  };
  adam = await signedIn("adam.admin@example.com", "Adam Admin");
  olivia = await signedIn("olivia.owner@example.com", "Olivia Owner");
  rosa = await signedIn("rosa.responder@example.com", "Rosa Responder");
  const row = await workspaceRow();
  if (!row) throw new Error(`The test configuration file should map ${SLACK_TEAM.id}`);
  original = row;
});

afterAll(async () => {
  await restoreWorkspaceRow(original);
});

async function statesOf(userId: string): Promise<number> {
  return (await sql<{ count: number }>(`SELECT count(*)::int AS count FROM oauth_state WHERE user_id = $1::uuid`, [userId]))[0]!.count;
}

/** Makes the sandbox workspace one that was installed in the app, so installs may change it. */
async function releaseFromConfigFile(): Promise<void> {
  await sql(`UPDATE slack_workspace SET managed_by = NULL WHERE slack_team_id = $1`, [SLACK_TEAM.id]);
}

describe("GET /api/slack/install", () => {
  it("redirects an admin to Slack with a state", async () => {
    const { authorizeUrl, state } = await startInstall(adam.cookie);

    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(`${env.slackUrl}/oauth/v2/authorize`);
    expect(authorizeUrl.searchParams.get("client_id")).toBeTruthy();
    expect(authorizeUrl.searchParams.get("scope")?.split(",")).toEqual([...BOT_SCOPE_NAMES]);
    expect(authorizeUrl.searchParams.get("redirect_uri")).toBe(`${env.appUrl}/api/slack/oauth/callback`);
    const rows = await sql<{ user_id: string; minutes: number; used_at: Date | null }>(
      `SELECT user_id::text AS user_id, round(extract(epoch FROM expires_at - created_at) / 60)::int AS minutes, used_at FROM oauth_state WHERE state_hash = $1`,
      [hashOAuthState(state)],
    );
    expect(rows).toEqual([{ user_id: adam.id, minutes: 10, used_at: null }]);
  });

  it("sends a signed-out visitor to sign in and stores no state", async () => {
    const before = (await sql<{ count: number }>(`SELECT count(*)::int AS count FROM oauth_state`))[0]!.count;
    const response = await requestInstall(null);
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get("location")!).pathname).toBe("/sign-in");
    expect((await sql<{ count: number }>(`SELECT count(*)::int AS count FROM oauth_state`))[0]!.count).toBe(before);
  });

  it("refuses a responder and stores no state", async () => {
    const response = await requestInstall(rosa.cookie);
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get("location")!).searchParams.get("reason")).toBe("forbidden");
    expect(await statesOf(rosa.id)).toBe(0);
  });
});

describe("install through the fake Slack", () => {
  it("keeps a workspace from the configuration file unchanged", async () => {
    const { landing } = await installThroughSlack(adam.cookie);

    expect(landing).toBe("/workspaces/install-failed?reason=managed_by_config");
    expect(await workspaceRow()).toEqual(original);
    expect(await pageHtml(landing, adam.cookie)).toContain("This workspace is managed by the configuration file");
  });

  it("maps the workspace and stores the bot token encrypted", async () => {
    await releaseFromConfigFile();
    const { landing } = await installThroughSlack(adam.cookie);

    const row = (await workspaceRow())!;
    expect(landing).toBe(`/workspaces?installed=${row.id}`);
    expect(row.bot_token_encrypted).not.toBe(original.bot_token_encrypted);
    expect(row.bot_token_encrypted).toMatch(/^v1:/);
    expect(row.bot_token_encrypted).not.toContain("xoxb-");
    expect(row).toMatchObject({
      status: "active",
      scopes: [...BOT_SCOPE_NAMES],
      slack_bot_user_id: SLACK_BOT.userId,
      slack_app_id: SLACK_BOT.appId,
      installed_by: "adam.admin@example.com",
      installed_by_user_id: adam.id,
      managed_by: null,
    });
    const audit = await sql<{ action: string; actor_label: string }>(
      `SELECT action, actor_label FROM audit_log_entry WHERE target_id = $1 AND action LIKE 'workspace.%install' ORDER BY id DESC LIMIT 1`,
      [row.id],
    );
    expect(audit).toEqual([{ action: "workspace.reinstall", actor_label: "adam.admin@example.com" }]);

    const html = await pageHtml(landing, adam.cookie);
    expect(html).toContain(`Switchboard was installed in ${SLACK_TEAM.name}`);
    expect(html).toContain(SLACK_TEAM.id);
  });

  it("ends on a page that says consent was denied", async () => {
    await releaseFromConfigFile();
    const before = await workspaceRow();
    const { landing, callbackUrl } = await installThroughSlack(adam.cookie, "cancel");

    expect(callbackUrl.searchParams.get("error")).toBe("access_denied");
    expect(landing).toBe("/workspaces/install-failed?reason=access_denied");
    expect(await pageHtml(landing, adam.cookie)).toContain("The installation was cancelled in Slack");
    expect(await workspaceRow()).toEqual(before);
    const used = await sql(`SELECT 1 FROM oauth_state WHERE state_hash = $1 AND used_at IS NOT NULL`, [hashOAuthState(callbackUrl.searchParams.get("state")!)]);
    expect(used).toHaveLength(1);
  });

  it("rejects a state that Switchboard did not issue, before exchanging the code", async () => {
    const before = await workspaceRow();
    const { authorizeUrl } = await startInstall(adam.cookie);
    const callbackUrl = await consentInSlack(authorizeUrl, "allow");
    callbackUrl.searchParams.set("state", "forged-state-value");
    const exchanges = await oauthExchangeCount();

    const landing = await followCallback(callbackUrl, adam.cookie);

    expect(landing).toBe("/workspaces/install-failed?reason=state_unknown");
    expect(await pageHtml(landing, adam.cookie)).toContain("This installation was not started here");
    expect(await oauthExchangeCount()).toBe(exchanges);
    expect(await workspaceRow()).toEqual(before);
  });

  it("rejects a state started by another admin", async () => {
    const before = await workspaceRow();
    const { authorizeUrl } = await startInstall(adam.cookie);
    const callbackUrl = await consentInSlack(authorizeUrl, "allow");
    const exchanges = await oauthExchangeCount();

    expect(await followCallback(callbackUrl, olivia.cookie)).toBe("/workspaces/install-failed?reason=state_other_user");
    expect(await oauthExchangeCount()).toBe(exchanges);
    expect(await workspaceRow()).toEqual(before);
  });

  it("rejects a callback replayed after a successful install", async () => {
    await releaseFromConfigFile();
    const { landing, callbackUrl } = await installThroughSlack(adam.cookie);
    expect(landing).toMatch(/^\/workspaces\?installed=/);
    const after = await workspaceRow();

    expect(await followCallback(callbackUrl, adam.cookie)).toBe("/workspaces/install-failed?reason=state_used");
    expect(await workspaceRow()).toEqual(after);
  });

  it("rejects an expired state", async () => {
    const before = await workspaceRow();
    const { authorizeUrl, state } = await startInstall(adam.cookie);
    const callbackUrl = await consentInSlack(authorizeUrl, "allow");
    await sql(`UPDATE oauth_state SET expires_at = now() - interval '1 second' WHERE state_hash = $1`, [hashOAuthState(state)]);

    const landing = await followCallback(callbackUrl, adam.cookie);

    expect(landing).toBe("/workspaces/install-failed?reason=state_expired");
    expect(await pageHtml(landing, adam.cookie)).toContain("The installation took too long");
    expect(await workspaceRow()).toEqual(before);
  });

  it("ends on a page that explains invalid_code", async () => {
    const before = await workspaceRow();
    const { state } = await startInstall(adam.cookie);
    const callbackUrl = new URL(`${env.appUrl}/api/slack/oauth/callback`);
    callbackUrl.searchParams.set("code", "1712345678.123.not-a-code");
    callbackUrl.searchParams.set("state", state);

    const landing = await followCallback(callbackUrl, adam.cookie);

    expect(landing).toBe("/workspaces/install-failed?reason=slack_error&slack_error=invalid_code");
    const html = await pageHtml(landing, adam.cookie);
    expect(html).toContain("Slack rejected the installation");
    expect(html).toContain("invalid_code");
    expect(await workspaceRow()).toEqual(before);
  });

  it("refuses a responder who follows an admin's callback", async () => {
    const before = await workspaceRow();
    const { authorizeUrl } = await startInstall(adam.cookie);
    const callbackUrl = await consentInSlack(authorizeUrl, "allow");

    expect(await followCallback(callbackUrl, rosa.cookie)).toBe("/workspaces/install-failed?reason=forbidden");
    expect(await followCallback(callbackUrl, null)).toBe("/workspaces/install-failed?reason=signed_out");
    expect(await workspaceRow()).toEqual(before);
  });
});
