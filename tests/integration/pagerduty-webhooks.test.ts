import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { env, eventually, getJson, incidentEnvelope, postWebhook, sql, uniqueIncidentId } from "./helpers";

const fixtures = path.resolve(import.meta.dirname, "..", "fixtures", "pagerduty-webhooks");
const fixture = (name: string) => readFileSync(path.join(fixtures, name), "utf8");

interface SlackCall {
  method: string;
  args: Record<string, unknown>;
}

async function slackCalls(method: string): Promise<SlackCall[]> {
  const { calls } = await getJson<{ calls: SlackCall[] }>(`${env.slackUrl}/_sandbox/calls?method=${method}`);
  return calls;
}

/**
 * chat.postMessage calls for the top-level message of an incident (not thread replies) in one
 * channel. Other test files add extensions for the same services, so each check names its channel.
 */
async function postsFor(incidentId: string, channel = "C0INCIDENT"): Promise<SlackCall[]> {
  return (await slackCalls("chat.postMessage")).filter(
    (call) => call.args.channel === channel && !call.args.thread_ts && JSON.stringify(call.args.blocks ?? "").includes(incidentId),
  );
}

async function inboundStatus(eventId: string): Promise<string | undefined> {
  const rows = await sql<{ status: string }>(`SELECT status::text AS status FROM inbound_event WHERE source = 'pagerduty_webhook' AND external_id = $1`, [eventId]);
  return rows[0]?.status;
}

describe("POST /api/pagerduty/webhooks", () => {
  it.each(readdirSync(fixtures).filter((name) => name.startsWith("webhook_v3_")))("accepts the official sample %s", async (name) => {
    const body = fixture(name);
    const response = await postWebhook(body);
    expect(response.status).toBe(202);
    const eventId = (JSON.parse(body) as { event: { id: string } }).event.id;
    const status = await eventually(async () => {
      const current = await inboundStatus(eventId);
      return current && current !== "pending" ? current : undefined;
    }, `${name} to be processed`);
    expect(["processed", "ignored"]).toContain(status);
  });

  it("processes an envelope built from each official incident data shape", async () => {
    const incident = JSON.parse(fixture("event_data_incident.json")) as Record<string, any>;
    const note = JSON.parse(fixture("event_data_incident_note.json")) as Record<string, any>;
    const incidentId = uniqueIncidentId();
    incident.id = incidentId;
    note.incident.id = incidentId;
    const types = ["triggered", "acknowledged", "unacknowledged", "resolved", "reopened", "escalated", "reassigned", "delegated", "priority_updated", "annotated"];
    const start = Date.now();
    const eventIds: string[] = [];
    for (const [index, type] of types.entries()) {
      const eventId = randomUUID();
      eventIds.push(eventId);
      const data = type === "annotated" ? note : { ...incident, status: type === "resolved" ? "resolved" : type === "acknowledged" ? "acknowledged" : "triggered" };
      const body = JSON.stringify({
        event: {
          id: eventId,
          event_type: `incident.${type}`,
          resource_type: "incident",
          occurred_at: new Date(start + index * 1000).toISOString(),
          agent: { id: "PLH1HKV", type: "user_reference", summary: "Tenex Engineer", self: null, html_url: null },
          client: null,
          data,
        },
      });
      expect((await postWebhook(body)).status).toBe(202);
    }
    for (const eventId of eventIds) {
      await eventually(async () => ((await inboundStatus(eventId)) === "processed" ? true : undefined), `event ${eventId} to be processed`);
    }
    const rows = await sql<{ status: string; last_action: string }>(`SELECT status, last_action FROM incident WHERE pagerduty_incident_id = $1`, [incidentId]);
    expect(rows).toEqual([{ status: "triggered", last_action: "annotated" }]);
  });

  it("rejects a bad signature with 401 and stores nothing", async () => {
    const envelope = incidentEnvelope({ eventType: "incident.triggered", incidentId: uniqueIncidentId(), status: "triggered", occurredAt: new Date() });
    const body = JSON.stringify(envelope);
    const response = await postWebhook(body, { signature: "v1=0123456789abcdef" });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_signature");
    const missing = await postWebhook(body, { signature: "" });
    expect(missing.status).toBe(401);
    expect(await inboundStatus(envelope.event.id)).toBeUndefined();
  });

  it("rejects a body that is not JSON or has no event object with 400", async () => {
    const notJson = await postWebhook("{not json");
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { message: string } }).error.message).toMatch(/not valid JSON/);

    const noEvent = await postWebhook(JSON.stringify({ messages: [] }));
    expect(noEvent.status).toBe(400);
    expect(((await noEvent.json()) as { error: { message: string } }).error.message).toMatch(/no `event` object/);
  });

  it("acknowledges an event type it does not handle and stores it as ignored", async () => {
    const eventId = randomUUID();
    const body = JSON.stringify({ event: { id: eventId, event_type: "incident.conference_bridge.updated", resource_type: "incident", occurred_at: new Date().toISOString(), agent: null, client: null, data: JSON.parse(fixture("event_data_incident_conference_bridge.json")) } });
    const response = await postWebhook(body);
    expect(response.status).toBe(202);
    expect(await inboundStatus(eventId)).toBe("ignored");
  });

  it("posts one message for a triggered incident, even when the webhook comes three times", async () => {
    const incidentId = uniqueIncidentId();
    const envelope = incidentEnvelope({ eventType: "incident.triggered", incidentId, status: "triggered", occurredAt: new Date(), title: "Payments <!channel> & refunds failing" });
    const body = JSON.stringify(envelope);
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await postWebhook(body, { webhookId: "same-delivery" })).status).toBe(202);
    }
    const posts = await eventually(async () => {
      const found = await postsFor(incidentId);
      return found.length > 0 ? found : undefined;
    }, "the incident message to be posted");
    expect(posts[0]!.args.channel).toBe("C0INCIDENT");
    expect(String(posts[0]!.args.text)).toContain("Payments &lt;!channel&gt; &amp; refunds failing");

    // The event is stored once and processed once; give any duplicate a moment to show up.
    const stored = await sql<{ count: string }>(`SELECT count(*)::text AS count FROM inbound_event WHERE external_id = $1`, [envelope.event.id]);
    expect(stored[0]!.count).toBe("1");
    await eventually(async () => ((await inboundStatus(envelope.event.id)) === "processed" ? true : undefined), "the event to be processed");
    const messages = await sql<{ status: string; slack_message_ts: string }>(
      `SELECT m.status::text AS status, m.slack_message_ts FROM incident_message m JOIN incident i ON i.id = m.incident_id WHERE i.pagerduty_incident_id = $1 AND m.slack_channel_id = 'C0INCIDENT'`,
      [incidentId],
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]!.status).toBe("sent");
    expect(await postsFor(incidentId)).toHaveLength(1);
  });

  it("keeps a resolved incident resolved when a late acknowledged event arrives", async () => {
    const incidentId = uniqueIncidentId();
    const t0 = new Date(Date.now() - 60_000);
    const triggered = incidentEnvelope({ eventType: "incident.triggered", incidentId, status: "triggered", occurredAt: t0 });
    const acknowledged = incidentEnvelope({ eventType: "incident.acknowledged", incidentId, status: "acknowledged", occurredAt: new Date(t0.getTime() + 10_000), agent: { id: "P0ROSA1", summary: "Rosa Responder" } });
    const resolved = incidentEnvelope({ eventType: "incident.resolved", incidentId, status: "resolved", occurredAt: new Date(t0.getTime() + 20_000), agent: { id: "P0OLIVIA", summary: "Olivia Owner" } });

    for (const envelope of [triggered, resolved, acknowledged]) {
      expect((await postWebhook(JSON.stringify(envelope))).status).toBe(202);
      await eventually(async () => ((await inboundStatus(envelope.event.id)) === "processed" ? true : undefined), `${envelope.event.event_type} to be processed`);
    }
    const rows = await sql<{ status: string; last_action: string; last_action_by_name: string }>(
      `SELECT status, last_action, last_action_by_name FROM incident WHERE pagerduty_incident_id = $1`,
      [incidentId],
    );
    expect(rows).toEqual([{ status: "resolved", last_action: "resolved", last_action_by_name: "Olivia Owner" }]);

    // The message shows the resolved state, and the late acknowledgement is not announced in the thread.
    const updates = await eventually(async () => {
      const calls = (await slackCalls("chat.update")).filter((call) => JSON.stringify(call.args.blocks ?? "").includes(incidentId));
      const last = calls.at(-1);
      return last && JSON.stringify(last.args.blocks).includes("Resolved") ? calls : undefined;
    }, "the message to show Resolved");
    expect(JSON.stringify(updates.at(-1)!.args.blocks)).toContain("Resolved by Olivia Owner");
    const replies = (await slackCalls("chat.postMessage")).filter((call) => call.args.thread_ts && String(call.args.text).includes("Acknowledged by Rosa"));
    const ts = (
      await sql<{ slack_message_ts: string }>(
        `SELECT m.slack_message_ts FROM incident_message m JOIN incident i ON i.id = m.incident_id WHERE i.pagerduty_incident_id = $1 AND m.slack_channel_id = 'C0INCIDENT'`,
        [incidentId],
      )
    )[0]!.slack_message_ts;
    expect(replies.filter((call) => call.args.thread_ts === ts)).toHaveLength(0);
  });

  it("moves a resolved incident back to triggered on a newer reopened event", async () => {
    const incidentId = uniqueIncidentId();
    const t0 = new Date(Date.now() - 60_000);
    const events = [
      incidentEnvelope({ eventType: "incident.triggered", incidentId, status: "triggered", occurredAt: t0 }),
      incidentEnvelope({ eventType: "incident.resolved", incidentId, status: "resolved", occurredAt: new Date(t0.getTime() + 1000) }),
      incidentEnvelope({ eventType: "incident.reopened", incidentId, status: "triggered", occurredAt: new Date(t0.getTime() + 2000) }),
    ];
    for (const envelope of events) {
      expect((await postWebhook(JSON.stringify(envelope))).status).toBe(202);
      await eventually(async () => ((await inboundStatus(envelope.event.id)) === "processed" ? true : undefined), `${envelope.event.event_type} to be processed`);
    }
    const rows = await sql<{ status: string }>(`SELECT status FROM incident WHERE pagerduty_incident_id = $1`, [incidentId]);
    expect(rows).toEqual([{ status: "triggered" }]);
  });

  it("announces updates in the thread only where the extension's toggle is on", async () => {
    // Platform Core's extension announces resolves only.
    const incidentId = uniqueIncidentId();
    const t0 = new Date(Date.now() - 30_000);
    const service = { serviceId: "P0SVCPLT", serviceName: "Platform Core" };
    const events = [
      incidentEnvelope({ eventType: "incident.triggered", incidentId, status: "triggered", occurredAt: t0, ...service }),
      incidentEnvelope({ eventType: "incident.acknowledged", incidentId, status: "acknowledged", occurredAt: new Date(t0.getTime() + 1000), agent: { id: "P0ADAM1", summary: "Adam Admin" }, ...service }),
      incidentEnvelope({ eventType: "incident.resolved", incidentId, status: "resolved", occurredAt: new Date(t0.getTime() + 2000), agent: { id: "P0ADAM1", summary: "Adam Admin" }, ...service }),
    ];
    for (const envelope of events) {
      expect((await postWebhook(JSON.stringify(envelope))).status).toBe(202);
      await eventually(async () => ((await inboundStatus(envelope.event.id)) === "processed" ? true : undefined), `${envelope.event.event_type} to be processed`);
    }
    const ts = await eventually(async () => {
      const rows = await sql<{ slack_message_ts: string | null }>(
        `SELECT m.slack_message_ts FROM incident_message m JOIN incident i ON i.id = m.incident_id WHERE i.pagerduty_incident_id = $1 AND m.slack_channel_id = 'C0PLATFORM'`,
        [incidentId],
      );
      return rows[0]?.slack_message_ts ?? undefined;
    }, "the message to be posted");
    const replies = await eventually(async () => {
      const found = (await slackCalls("chat.postMessage")).filter((call) => call.args.thread_ts === ts);
      return found.length > 0 ? found : undefined;
    }, "the resolve announcement");
    expect(replies.map((call) => call.args.text)).toEqual([":large_green_circle: Resolved by Adam Admin"]);
  });
});
