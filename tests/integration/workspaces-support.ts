import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { signSlackRequest } from "../../lib/slack/verify-signature";
import { SLACK_TEAM } from "../../sandbox/seed";
import { env, sql } from "./helpers";

/** Helpers of the workspace mapping and Slack events tests: the install flow as a browser runs it. */

export interface InstallStart {
  /** Slack's authorize URL that /api/slack/install redirected to. */
  authorizeUrl: URL;
  state: string;
}

/** GETs /api/slack/install with a session and returns where it redirected. */
export async function requestInstall(cookie: string | null): Promise<Response> {
  return fetch(`${env.appUrl}/api/slack/install`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
}

export async function startInstall(cookie: string): Promise<InstallStart> {
  const response = await requestInstall(cookie);
  const location = response.headers.get("location");
  if (response.status !== 303 || !location) throw new Error(`/api/slack/install answered ${response.status} (Location ${location}) instead of redirecting to Slack`);
  const authorizeUrl = new URL(location);
  return { authorizeUrl, state: authorizeUrl.searchParams.get("state") ?? "" };
}

function decodeHtml(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/**
 * Opens the fake Slack's consent page and submits its form with Allow or Cancel, as a browser does,
 * and returns the redirect URL (Switchboard's callback with code or error, and state).
 */
export async function consentInSlack(authorizeUrl: URL, decision: "allow" | "cancel", slackUserId = "U0OLIVIA01"): Promise<URL> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`Slack's authorize page answered ${page.status}: ${html.slice(0, 300)}`);
  const form = /<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/.exec(html);
  if (!form) throw new Error("Slack's authorize page has no consent form");
  const fields = new URLSearchParams();
  for (const input of form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.set(input[1]!, decodeHtml(input[2]!));
  fields.set("user_id", slackUserId);
  fields.set("decision", decision);

  const response = await fetch(new URL(form[1]!, authorizeUrl), {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: fields.toString(),
  });
  const location = response.headers.get("location");
  if (response.status !== 302 || !location) throw new Error(`Slack's consent form answered ${response.status} instead of redirecting`);
  return new URL(location);
}

/** GETs Switchboard's OAuth callback with a session and returns the path it redirected to. */
export async function followCallback(callbackUrl: URL, cookie: string | null): Promise<string> {
  const response = await fetch(callbackUrl, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
  const location = response.headers.get("location");
  if (response.status !== 303 || !location) throw new Error(`The OAuth callback answered ${response.status}: ${await response.text()}`);
  const url = new URL(location);
  return `${url.pathname}${url.search}`;
}

/** The whole install, from the button to Switchboard's redirect after the callback. */
export async function installThroughSlack(cookie: string, decision: "allow" | "cancel" = "allow"): Promise<{ landing: string; callbackUrl: URL }> {
  const { authorizeUrl } = await startInstall(cookie);
  const callbackUrl = await consentInSlack(authorizeUrl, decision);
  return { landing: await followCallback(callbackUrl, cookie), callbackUrl };
}

/**
 * GETs a Switchboard page with a session and returns its HTML, without the empty comments React puts
 * between adjacent text parts, so a sentence can be searched for as it reads.
 */
export async function pageHtml(path: string, cookie: string): Promise<string> {
  const response = await fetch(`${env.appUrl}${path}`, { headers: { Cookie: cookie } });
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
  return (await response.text()).replaceAll("<!-- -->", "");
}

export async function slackControl<T = Record<string, unknown>>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${env.slackUrl}/_sandbox${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`Fake Slack ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export async function oauthExchangeCount(): Promise<number> {
  const { calls } = await slackControl<{ calls: unknown[] }>("/calls?method=oauth.v2.access");
  return calls.length;
}

/** Builds an event_callback envelope as Slack sends it. */
export function eventEnvelope(event: { type: string } & Record<string, unknown>, options: { teamId?: string; eventId?: string; occurredAt?: Date } = {}) {
  const occurredAt = options.occurredAt ?? new Date();
  return {
    token: "verification-token",
    team_id: options.teamId ?? SLACK_TEAM.id,
    api_app_id: "A0SWITCHBD",
    event: { ...event, event_ts: (occurredAt.getTime() / 1000).toFixed(6) },
    type: "event_callback",
    event_id: options.eventId ?? `Ev${randomBytes(6).toString("hex").toUpperCase()}`,
    event_time: Math.floor(occurredAt.getTime() / 1000),
  };
}

/** POSTs a body to /api/slack/events, signed as Slack signs it unless `signature` is given (null sends none). */
export async function postSlackEvent(body: string, options: { retryNum?: number; signature?: string | null } = {}): Promise<Response> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = { "Content-Type": "application/json", "X-Slack-Request-Timestamp": timestamp };
  const signature = options.signature === undefined ? signSlackRequest(inject("slackSigningSecret"), timestamp, body) : options.signature;
  if (signature !== null) headers["X-Slack-Signature"] = signature;
  if (options.retryNum) {
    headers["X-Slack-Retry-Num"] = String(options.retryNum);
    headers["X-Slack-Retry-Reason"] = "http_timeout";
  }
  return fetch(`${env.appUrl}/api/slack/events`, { method: "POST", headers, body });
}

export interface WorkspaceRow {
  id: string;
  name: string;
  slack_bot_user_id: string;
  bot_token_encrypted: string;
  scopes: string[];
  status: string;
  status_reason: string | null;
  installed_at: Date;
  installed_by: string | null;
  installed_by_user_id: string | null;
  managed_by: string | null;
  deactivated_at: Date | null;
  slack_app_id: string | null;
  updated_at: Date;
}

export async function workspaceRow(teamId: string = SLACK_TEAM.id): Promise<WorkspaceRow | undefined> {
  const rows = await sql<WorkspaceRow & Record<string, unknown>>(
    `SELECT id::text AS id, name, slack_bot_user_id, bot_token_encrypted, scopes, status::text AS status, status_reason, installed_at,
            installed_by, installed_by_user_id::text AS installed_by_user_id, managed_by, deactivated_at, slack_app_id, updated_at
       FROM slack_workspace WHERE slack_team_id = $1`,
    [teamId],
  );
  return rows[0];
}

/**
 * Puts a workspace row back as it was. The integration tests share one app whose configuration file
 * maps the sandbox workspace, so tests that install, uninstall or release it from the file restore it.
 */
export async function restoreWorkspaceRow(row: WorkspaceRow): Promise<void> {
  await sql(
    `UPDATE slack_workspace SET name = $2, slack_bot_user_id = $3, bot_token_encrypted = $4, scopes = $5, status = $6::"WorkspaceStatus",
            status_reason = $7, installed_at = $8, installed_by = $9, installed_by_user_id = $10::uuid, managed_by = $11, deactivated_at = $12, slack_app_id = $13
      WHERE id = $1::uuid`,
    [
      row.id,
      row.name,
      row.slack_bot_user_id,
      row.bot_token_encrypted,
      row.scopes,
      row.status,
      row.status_reason,
      row.installed_at,
      row.installed_by,
      row.installed_by_user_id,
      row.managed_by,
      row.deactivated_at,
      row.slack_app_id,
    ],
  );
}
