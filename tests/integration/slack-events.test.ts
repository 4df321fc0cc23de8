import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHANNELS, PEOPLE, SLACK_BOT, SLACK_TEAM } from "../../sandbox/seed";
import { createWebUser, signIn } from "./auth-helpers";
import { eventually, incidentEnvelope, postWebhook, sql, uniqueIncidentId } from "./helpers";
import {
  eventEnvelope,
  installThroughSlack,
  postSlackEvent,
  restoreWorkspaceRow,
  slackControl,
  workspaceRow,
  type WorkspaceRow,
} from "./workspaces-support";

let adamCookie: string;
let original: WorkspaceRow;
const createdExtensions: string[] = [];
const olivia = PEOPLE.find((person) => person.key === "owner")!;

beforeAll(async () => {
  await createWebUser({ email: "adam.admin@example.com", name: "Adam Admin" });
  adamCookie = await signIn("adam.admin@example.com");
  const row = await workspaceRow();
  if (!row) throw new Error(`The test configuration file should map ${SLACK_TEAM.id}`);
  original = row;
});

afterAll(async () => {
  // The uninstall revoked the fake Slack's seeded token and the bot joined a channel: put both back.
  await slackControl("/reset", {});
  await restoreWorkspaceRow(original);
  await sql(`DELETE FROM slack_extension WHERE id = ANY($1::uuid[])`, [createdExtensions]);
});

async function inboundRows(eventId: string) {
  return sql<{ status: string; last_error: string | null }>(
    `SELECT status::text AS status, last_error FROM inbound_event WHERE source = 'slack_event' AND external_id = $1`,
    [eventId],
  );
}

async function settled(eventId: string): Promise<{ status: string; last_error: string | null }> {
  return eventually(async () => {
    const [row] = await inboundRows(eventId);
    return row && row.status !== "pending" ? row : undefined;
  }, `event ${eventId} to be processed`);
}

async function channelText(channelId: string): Promise<string> {
  const { messages } = await slackControl<{ messages: unknown[] }>(`/channels/${channelId}/messages`);
  return JSON.stringify(messages);
}

/** Sends a new incident of `serviceId` through the PagerDuty webhook and returns its title. */
async function triggerIncident(serviceId: string, serviceName: string): Promise<{ title: string; incidentId: string }> {
  const incidentId = uniqueIncidentId();
  const title = `Events test ${incidentId}`;
  const response = await postWebhook(JSON.stringify(incidentEnvelope({ eventType: "incident.triggered", incidentId, status: "triggered", occurredAt: new Date(), title, serviceId, serviceName })));
  expect(response.status).toBe(202);
  return { title, incidentId };
}

async function messageOf(incidentId: string) {
  return eventually(async () => {
    const [row] = await sql<{ id: string; status: string }>(
      `SELECT m.id::text AS id, m.status::text AS status FROM incident_message m JOIN incident i ON i.id = m.incident_id WHERE i.pagerduty_incident_id = $1`,
      [incidentId],
    );
    return row;
  }, `the incident message of ${incidentId}`);
}

describe("POST /api/slack/events", () => {
  it("passes Slack's url_verification", async () => {
    const result = await slackControl<{ status: number; verified: boolean }>("/url-verification", {});
    expect(result).toMatchObject({ status: 200, verified: true });
  });

  it("rejects an unsigned event and stores nothing", async () => {
    const envelope = eventEnvelope({ type: "app_uninstalled" });
    const response = await postSlackEvent(JSON.stringify(envelope), { signature: null });
    expect(response.status).toBe(401);
    expect(await inboundRows(envelope.event_id)).toEqual([]);
    expect((await workspaceRow())?.status).toBe("active");
  });

  it("stores an event type it does not handle as ignored", async () => {
    const envelope = eventEnvelope({ type: "reaction_added", user: olivia.slackUserId, reaction: "eyes" });
    expect((await postSlackEvent(JSON.stringify(envelope))).status).toBe(200);
    expect(await inboundRows(envelope.event_id)).toEqual([{ status: "ignored", last_error: null }]);
  });
});

describe("member_joined_channel", () => {
  it("makes a private channel's extension work once the bot is invited, and posts what it held", async () => {
    const serviceId = `P0EV${randomBytes(3).toString("hex").toUpperCase()}`;
    const [extension] = await sql<{ id: string }>(
      `INSERT INTO slack_extension (id, name, pagerduty_service_id, pagerduty_service_name, workspace_id, slack_channel_id, slack_channel_name, slack_channel_is_private, status, status_reason, updated_at)
       VALUES (gen_random_uuid(), $1, $2, 'Events Service', $3::uuid, $4, $5, true, 'needs_attention', 'Invite @switchboard to the channel', now()) RETURNING id::text AS id`,
      [`SlackV2-Events-${serviceId}`, serviceId, original.id, CHANNELS.security.id, CHANNELS.security.name],
    );
    createdExtensions.push(extension!.id);

    const { title, incidentId } = await triggerIncident(serviceId, "Events Service");
    const held = await messageOf(incidentId);
    expect(held.status).toBe("pending");
    expect(await channelText(CHANNELS.security.id)).not.toContain(title);

    const joined = await slackControl<{ status: number; sent: { event_id: string } }>("/add-bot", { channelId: CHANNELS.security.id, inviterId: olivia.slackUserId });
    expect(joined.status).toBe(200);

    expect(await settled(joined.sent.event_id)).toEqual({ status: "processed", last_error: null });
    const [after] = await sql<{ status: string; status_reason: string | null }>(`SELECT status::text AS status, status_reason FROM slack_extension WHERE id = $1::uuid`, [extension!.id]);
    expect(after).toEqual({ status: "working", status_reason: null });
    await eventually(async () => ((await channelText(CHANNELS.security.id)).includes(title) ? true : undefined), `"${title}" in #${CHANNELS.security.name}`);
    // The post reaches Slack a moment before the delivery row records it.
    await eventually(async () => ((await messageOf(incidentId)).status === "sent" ? true : undefined), `the message of ${incidentId} to be recorded as sent`);
  });
});

describe("app_uninstalled", () => {
  it("takes effect once and never after a reinstall", async () => {
    // Installs may only change a workspace that the configuration file does not manage.
    await sql(`UPDATE slack_workspace SET managed_by = NULL WHERE id = $1::uuid`, [original.id]);

    const uninstall = await slackControl<{ deliveries: { status: number; sent: ReturnType<typeof eventEnvelope> }[] }>("/uninstall", {});
    const uninstalled = uninstall.deliveries.map((delivery) => delivery.sent).find((sent) => sent.event.type === "app_uninstalled")!;
    expect(uninstall.deliveries.map((delivery) => delivery.status)).toEqual([200, 200]);
    expect(await settled(uninstalled.event_id)).toEqual({ status: "processed", last_error: null });
    const inactive = await workspaceRow();
    expect(inactive?.status).toBe("inactive");
    expect(inactive?.status_reason).toMatch(/^The app was uninstalled from Slack on \d{4}-\d\d-\d\d \d\d:\d\d UTC\. Install it again to resume delivery\.$/);

    // Slack retries an event whose acknowledgement it did not see; the retry must not apply it again.
    expect((await postSlackEvent(JSON.stringify(uninstalled), { retryNum: 1 })).status).toBe(200);
    expect(await inboundRows(uninstalled.event_id)).toHaveLength(1);
    const deactivations = await sql(`SELECT 1 FROM audit_log_entry WHERE action = 'workspace.deactivate' AND details->>'eventId' = $1`, [uninstalled.event_id]);
    expect(deactivations).toHaveLength(1);

    // While the workspace is inactive, a new incident's message is held.
    const { title, incidentId } = await triggerIncident("P0SVCCHK", "Checkout API");
    expect((await messageOf(incidentId)).status).toBe("pending");

    const { landing } = await installThroughSlack(adamCookie);
    expect(landing).toMatch(/^\/workspaces\?installed=/);
    expect((await workspaceRow())?.status).toBe("active");
    // Every earlier token was revoked by the uninstall, so this post proves the new token is used.
    await eventually(async () => ((await channelText(CHANNELS.incidents.id)).includes(title) ? true : undefined), `"${title}" in #${CHANNELS.incidents.name}`);

    // A retry of the old event after the reinstall, and the same event never seen before, change nothing.
    expect((await postSlackEvent(JSON.stringify(uninstalled), { retryNum: 2 })).status).toBe(200);
    const unseen = { ...uninstalled, event_id: `Ev${randomBytes(6).toString("hex").toUpperCase()}` };
    expect((await postSlackEvent(JSON.stringify(unseen), { retryNum: 3 })).status).toBe(200);
    const ignored = await settled(unseen.event_id);
    expect(ignored.status).toBe("ignored");
    expect(ignored.last_error).toContain("before the latest install");
    expect(await workspaceRow()).toMatchObject({ status: "active", status_reason: null, slack_bot_user_id: SLACK_BOT.userId });
  });
});
