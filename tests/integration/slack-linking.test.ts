import { afterAll, describe, expect, it } from "vitest";
import { person } from "../../sandbox/seed";
import { createWebUser, signIn } from "./auth-helpers";
import { env, eventually, sql } from "./helpers";
import {
  channelMessages,
  ephemeralTo,
  filledModal,
  pagerdutyRequests,
  pickMoreAction,
  postedMessageTs,
  pressButton,
  processedInbound,
  slackUserId,
  triggerIncident,
} from "./slack-user-support";

/** Cookies set by a response, as "name=value" pairs. */
function cookiesFrom(response: Response): string[] {
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]!);
}

function mergeCookies(jar: string[], more: string[]): string[] {
  const byName = new Map(jar.map((cookie) => [cookie.split("=")[0]!, cookie]));
  for (const cookie of more) byName.set(cookie.split("=")[0]!, cookie);
  return [...byName.values()];
}

/**
 * Signs in with Slack as a seeded person, as a browser does: next-auth sends the browser to the fake
 * Slack's OpenID authorize page, the person allows, and the callback sets the session. Returns the
 * Cookie header of the session.
 */
async function signInWithSlackAs(userKey: string): Promise<string> {
  const csrf = await fetch(`${env.appUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  let jar = cookiesFrom(csrf);

  const start = await fetch(`${env.appUrl}/api/auth/signin/slack`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: jar.join("; ") },
    body: new URLSearchParams({ csrfToken, callbackUrl: `${env.appUrl}/link`, json: "true" }).toString(),
  });
  jar = mergeCookies(jar, cookiesFrom(start));
  const authorizeUrl = new URL(start.status >= 300 && start.status < 400 ? start.headers.get("location")! : ((await start.json()) as { url: string }).url);
  expect(authorizeUrl.origin).toBe(new URL(env.slackUrl).origin);

  const params = authorizeUrl.searchParams;
  const decision = await fetch(`${env.slackUrl}/openid/connect/authorize`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      client_id: params.get("client_id") ?? "",
      redirect_uri: params.get("redirect_uri") ?? "",
      state: params.get("state") ?? "",
      scope: params.get("scope") ?? "",
      nonce: params.get("nonce") ?? "",
      user_id: slackUserId(userKey),
      decision: "allow",
    }).toString(),
  });
  expect(decision.status).toBe(302);

  const callback = await fetch(decision.headers.get("location")!, { redirect: "manual", headers: { Cookie: jar.join("; ") } });
  jar = mergeCookies(jar, cookiesFrom(callback));
  if (!jar.some((cookie) => cookie.startsWith("next-auth.session-token="))) {
    throw new Error(`Sign in with Slack as ${userKey} failed: ${callback.status} ${callback.headers.get("location")}`);
  }
  return jar.join("; ");
}

async function linkPage(requestToken: string | null, cookie?: string): Promise<string> {
  const response = await fetch(`${env.appUrl}/link${requestToken ? `?request=${encodeURIComponent(requestToken)}` : ""}`, { headers: cookie ? { Cookie: cookie } : {} });
  expect(response.status).toBe(200);
  return response.text();
}

function confirmLink(cookie: string, requestToken: string | null): Promise<Response> {
  return fetch(`${env.appUrl}/link/confirm`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: cookie, Origin: env.appUrl },
    body: JSON.stringify({ request: requestToken }),
  });
}

/**
 * The token of the Connect button in the newest Connect message to the person for `purpose` (for
 * example "acknowledge incidents"), which distinguishes it from Connect messages of earlier tests.
 */
async function connectToken(userKey: string, purpose: string): Promise<string> {
  const message = await ephemeralTo(userKey, new RegExp(`Connect your PagerDuty account to ${purpose} from Slack`));
  const blocks = JSON.stringify(message.blocks);
  const url = /"url":"([^"]+\/link\?request=[^"]+)"/.exec(blocks)?.[1];
  expect(url, "the Connect button's URL").toBeDefined();
  expect(url!.startsWith(`${env.appUrl}/link?request=`)).toBe(true);
  return decodeURIComponent(new URL(url!).searchParams.get("request")!);
}

async function removeLink(userKey: string): Promise<void> {
  await sql(`DELETE FROM linked_user WHERE slack_user_id = $1`, [slackUserId(userKey)]);
}

/** Puts a seeded person's link back as the configuration file has it. */
async function restoreConfigLink(userKey: string): Promise<void> {
  const seeded = person(userKey);
  await sql(
    `INSERT INTO linked_user (id, slack_team_id, slack_user_id, pagerduty_user_id, pagerduty_email, managed_by, updated_at)
     VALUES (gen_random_uuid(), 'T0SANDBOX1', $1, $2, $3, 'config', now())
     ON CONFLICT (slack_team_id, slack_user_id) DO UPDATE SET managed_by = 'config', link_method = NULL, pagerduty_user_id = EXCLUDED.pagerduty_user_id, pagerduty_email = EXCLUDED.pagerduty_email`,
    [seeded.slackUserId, seeded.pagerdutyUserId, seeded.email],
  );
}

afterAll(async () => {
  await restoreConfigLink("restricted");
  await sql(`DELETE FROM linked_user WHERE slack_user_id = $1`, [slackUserId("slackOnly")]);
});

describe("linking a Slack account to PagerDuty", () => {
  it("sends an unlinked user a Connect message and nothing to PagerDuty", async () => {
    const incidentId = await triggerIncident(`Checkout unlinked ack ${Date.now()}`);
    const ts = await postedMessageTs(incidentId);
    const pressed = await pressButton("slackOnly", { messageTs: ts, actionId: "incident_acknowledge", value: incidentId });
    expect(await processedInbound("slack_interaction", pressed.payload.trigger_id)).toBe("processed");

    const token = await connectToken("slackOnly", "acknowledge incidents");
    const requests = await sql<{ pending_action: unknown; slack_channel_id: string }>(
      `SELECT pending_action, slack_channel_id FROM slack_link_request WHERE slack_user_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [slackUserId("slackOnly")],
    );
    expect(requests).toEqual([{ pending_action: { kind: "incident_status", incidentId, status: "acknowledged" }, slack_channel_id: "C0INCIDENT" }]);
    expect(token.length).toBeGreaterThan(20);
    expect((await pagerdutyRequests({ method: "PUT", pathPrefix: `/incidents/${incidentId}` }))).toHaveLength(0);
  });

  it("links nothing on a typed claim", async () => {
    const page = await linkPage(null);
    expect(page).toContain("Sign in with Slack");
    // Without a session no Slack identity is proven, so nothing is linked whatever the body claims.
    const response = await fetch(`${env.appUrl}/link/confirm`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: env.appUrl },
      body: JSON.stringify({ request: null, slackUserId: slackUserId("slackOnly"), email: person("responder").email }),
    });
    expect(response.status).toBe(401);
    expect(await sql(`SELECT id FROM linked_user WHERE slack_user_id = $1`, [slackUserId("slackOnly")])).toEqual([]);
  });

  it("says so when no PagerDuty user has the Slack email", async () => {
    const cookie = await signInWithSlackAs("slackOnly");
    const page = await linkPage(null, cookie);
    expect(page).toContain("No PagerDuty user has the email address");
    expect(page).toContain("sam.slackonly@example.com");
    const response = await confirmLink(cookie, null);
    expect(response.status).toBe(404);
    expect(await sql(`SELECT id FROM linked_user WHERE slack_user_id = $1`, [slackUserId("slackOnly")])).toEqual([]);
  });

  it("links through Sign in with Slack and then acknowledges without another click", async () => {
    await removeLink("restricted");
    const incidentId = await triggerIncident(`Checkout link then ack ${Date.now()}`);
    const ts = await postedMessageTs(incidentId);
    await pressButton("restricted", { messageTs: ts, actionId: "incident_acknowledge", value: incidentId });
    const token = await connectToken("restricted", "acknowledge incidents");

    const cookie = await signInWithSlackAs("restricted");
    const page = await linkPage(token, cookie);
    expect(page).toContain("Link to Rhea Restricted");
    expect(page).toContain("you tried to acknowledge the incident");
    expect(await pagerdutyRequests({ method: "PUT", pathPrefix: `/incidents/${incidentId}` })).toHaveLength(0);

    const confirmed = await confirmLink(cookie, token);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toEqual({ pagerdutyUser: { id: person("restricted").pagerdutyUserId, name: "Rhea Restricted", email: person("restricted").email }, resumed: true });

    const links = await sql<{ pagerduty_user_id: string; link_method: string; managed_by: string | null }>(
      `SELECT pagerduty_user_id, link_method, managed_by FROM linked_user WHERE slack_user_id = $1`,
      [slackUserId("restricted")],
    );
    expect(links).toEqual([{ pagerduty_user_id: person("restricted").pagerdutyUserId, link_method: "slack_sign_in", managed_by: null }]);
    const write = await eventually(async () => (await pagerdutyRequests({ method: "PUT", pathPrefix: `/incidents/${incidentId}` }))[0], "the acknowledgement after linking");
    expect(write.headers.from).toBe(person("restricted").email);
    expect(write.body.incident.status).toBe("acknowledged");
    const audit = await sql<{ actor_label: string }>(`SELECT actor_label FROM audit_log_entry WHERE action = 'slack_link.create' AND details->>'slackUserId' = $1`, [slackUserId("restricted")]);
    expect(audit.map((entry) => entry.actor_label)).toContain(person("restricted").email);

    // The request resumes once: confirming it again queues nothing new.
    const again = await confirmLink(cookie, token);
    expect(((await again.json()) as { resumed: boolean }).resumed).toBe(false);
  });

  it("gives a modal action a Continue button after linking", async () => {
    await removeLink("restricted");
    const incidentId = await triggerIncident(`Checkout link then note ${Date.now()}`);
    const ts = await postedMessageTs(incidentId);
    await pickMoreAction("restricted", { messageTs: ts, option: "add_note", incidentId });
    const token = await connectToken("restricted", "add notes to incidents");

    const cookie = await signInWithSlackAs("restricted");
    expect((await confirmLink(cookie, token)).status).toBe(200);
    const prompt = await ephemeralTo("restricted", /Press Continue to add a note to the incident/);

    await pressButton("restricted", { messageTs: prompt.ts, actionId: "link_continue", value: `add_note:${incidentId}` });
    const modal = await filledModal("restricted", "Add a Note");
    expect(modal.view.private_metadata).toContain(incidentId);
  });

  it("does not carry out another Slack user's request", async () => {
    await removeLink("restricted");
    const incidentId = await triggerIncident(`Checkout foreign link ${Date.now()}`);
    const ts = await postedMessageTs(incidentId);
    await pressButton("restricted", { messageTs: ts, actionId: "incident_resolve", value: incidentId });
    const token = await connectToken("restricted", "resolve incidents");

    const rosa = await signInWithSlackAs("responder");
    expect(await linkPage(token, rosa)).toContain("made for another Slack account");
    const confirmed = await confirmLink(rosa, token);
    expect(((await confirmed.json()) as { resumed: boolean }).resumed).toBe(false);
    const used = await sql<{ used_at: Date | null }>(`SELECT used_at FROM slack_link_request WHERE slack_user_id = $1 ORDER BY created_at DESC LIMIT 1`, [slackUserId("restricted")]);
    expect(used).toEqual([{ used_at: null }]);
    expect(await sql(`SELECT id FROM linked_user WHERE slack_user_id = $1`, [slackUserId("restricted")])).toEqual([]);
    expect(await pagerdutyRequests({ method: "PUT", pathPrefix: `/incidents/${incidentId}` })).toHaveLength(0);
  });
});

describe("Slack links by an admin's hand", () => {
  it("lets an admin link, and refuses a non-admin", async () => {
    await createWebUser({ email: person("admin").email, name: "Adam Admin" });
    await createWebUser({ email: person("observer").email, name: "Oscar Observer" });
    const admin = await signIn(person("admin").email);
    const observer = await signIn(person("observer").email);
    const body = JSON.stringify({ slackTeamId: "T0SANDBOX1", slackUserId: slackUserId("slackOnly"), pagerdutyUserId: "P0PAULA" });
    const headers = (cookie: string) => ({ "Content-Type": "application/json", Cookie: cookie, Origin: env.appUrl });

    const refused = await fetch(`${env.appUrl}/api/admin/slack-links`, { method: "POST", headers: headers(observer), body });
    expect(refused.status).toBe(403);
    expect(await sql(`SELECT id FROM linked_user WHERE slack_user_id = $1`, [slackUserId("slackOnly")])).toEqual([]);

    const badMember = await fetch(`${env.appUrl}/api/admin/slack-links`, { method: "POST", headers: headers(admin), body: JSON.stringify({ slackTeamId: "T0SANDBOX1", slackUserId: "U0NOBODY99", pagerdutyUserId: "P0PAULA" }) });
    expect(badMember.status).toBe(400);
    expect(((await badMember.json()) as { error: { fields: Record<string, string> } }).error.fields.slackUserId).toMatch(/No member of Sandbox Workspace/);

    const created = await fetch(`${env.appUrl}/api/admin/slack-links`, { method: "POST", headers: headers(admin), body });
    expect(created.status).toBe(201);
    const { link } = (await created.json()) as { link: { id: string } };
    const listed = (await (await fetch(`${env.appUrl}/api/admin/slack-links?q=${slackUserId("slackOnly")}`, { headers: { Cookie: observer } })).json()) as { links: { id: string; method: string }[] };
    expect(listed.links).toEqual([expect.objectContaining({ id: link.id, method: "admin" })]);
    const audit = await sql<{ actor_label: string }>(`SELECT actor_label FROM audit_log_entry WHERE action = 'slack_link.create' AND target_id = $1`, [link.id]);
    expect(audit).toEqual([{ actor_label: person("admin").email }]);

    // Sam now acts as Paula.
    const incidentId = await triggerIncident(`Checkout hand-linked ack ${Date.now()}`);
    const ts = await postedMessageTs(incidentId);
    await pressButton("slackOnly", { messageTs: ts, actionId: "incident_acknowledge", value: incidentId });
    const write = await eventually(async () => (await pagerdutyRequests({ method: "PUT", pathPrefix: `/incidents/${incidentId}` }))[0], "the acknowledgement as Paula");
    expect(write.headers.from).toBe("paula.pageronly@example.com");

    const refusedDelete = await fetch(`${env.appUrl}/api/admin/slack-links/${link.id}`, { method: "DELETE", headers: { Cookie: observer, Origin: env.appUrl } });
    expect(refusedDelete.status).toBe(403);
    const removed = await fetch(`${env.appUrl}/api/admin/slack-links/${link.id}`, { method: "DELETE", headers: { Cookie: admin, Origin: env.appUrl } });
    expect(removed.status).toBe(204);
    expect(await sql(`SELECT id FROM linked_user WHERE id = $1`, [link.id])).toEqual([]);
  });

  it("refuses to remove a link from the configuration file", async () => {
    await createWebUser({ email: person("admin").email, name: "Adam Admin" });
    const admin = await signIn(person("admin").email);
    const [owner] = await sql<{ id: string }>(`SELECT id FROM linked_user WHERE slack_user_id = $1`, [slackUserId("owner")]);
    const response = await fetch(`${env.appUrl}/api/admin/slack-links/${owner!.id}`, { method: "DELETE", headers: { Cookie: admin, Origin: env.appUrl } });
    expect(response.status).toBe(409);
    expect(await sql(`SELECT id FROM linked_user WHERE id = $1`, [owner!.id])).toHaveLength(1);
  });

  it("keeps the Connect message out of the shared incident message", async () => {
    const messages = await channelMessages();
    const shared = messages.filter((message) => !message.is_ephemeral);
    expect(shared.every((message) => !JSON.stringify(message.blocks ?? []).includes("Connect your PagerDuty account"))).toBe(true);
  });
});
