import { describe, expect, it } from "vitest";
import { person } from "../../sandbox/seed";
import { env, eventually, getJson, postInteraction, sql } from "./helpers";

interface PagerDutyRequest {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  body: unknown;
  status: number;
}

interface SlackMessage {
  ts: string;
  text?: string;
  blocks?: unknown[];
  thread_ts?: string;
  is_ephemeral?: boolean;
  visible_to?: string;
  user?: string;
}

/** Triggers an incident on Checkout API through the fake PagerDuty's REST API, as the owner. */
async function triggerIncident(title: string): Promise<string> {
  const response = await fetch(`${env.pagerdutyUrl}/incidents`, {
    method: "POST",
    headers: {
      Authorization: `Token token=${(await import("vitest")).inject("pagerdutyApiToken")}`,
      Accept: "application/vnd.pagerduty+json;version=2",
      "Content-Type": "application/json",
      From: person("owner").email,
    },
    body: JSON.stringify({ incident: { type: "incident", title, urgency: "high", service: { id: "P0SVCCHK", type: "service_reference" } } }),
  });
  expect(response.status).toBe(201);
  const { incident } = (await response.json()) as { incident: { id: string } };
  return incident.id;
}

async function channelMessages(): Promise<SlackMessage[]> {
  const { messages } = await getJson<{ messages: SlackMessage[] }>(`${env.slackUrl}/_sandbox/channels/C0INCIDENT/messages`);
  return messages;
}

async function postedMessageTs(incidentId: string): Promise<string> {
  return eventually(async () => {
    const rows = await sql<{ slack_message_ts: string | null }>(
      `SELECT m.slack_message_ts FROM incident_message m JOIN incident i ON i.id = m.incident_id WHERE i.pagerduty_incident_id = $1 AND m.slack_channel_id = 'C0INCIDENT'`,
      [incidentId],
    );
    return rows[0]?.slack_message_ts ?? undefined;
  }, `the message of ${incidentId} to be posted`);
}

async function press(userKey: string, messageTs: string, actionId: string, value: string) {
  return getJson<{ status: number }>(`${env.slackUrl}/_sandbox/actions`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ userId: person(userKey).slackUserId, channelId: "C0INCIDENT", messageTs, actionId, value }),
  });
}

async function pagerdutyWrites(incidentId: string): Promise<PagerDutyRequest[]> {
  const { requests } = await getJson<{ requests: PagerDutyRequest[] }>(`${env.pagerdutyUrl}/_sandbox/requests`);
  return requests.filter((request) => request.method === "PUT" && request.path.includes(incidentId));
}

describe("POST /api/slack/interactions", () => {
  it("acknowledges as the linked responder and shows who acted", async () => {
    const incidentId = await triggerIncident("Checkout card payments declined");
    const ts = await postedMessageTs(incidentId);

    const pressed = await press("responder", ts, "incident_acknowledge", incidentId);
    expect(pressed.status).toBe(200);

    const writes = await eventually(async () => {
      const found = await pagerdutyWrites(incidentId);
      return found.length > 0 ? found : undefined;
    }, "the acknowledgement to reach PagerDuty");
    expect(writes).toHaveLength(1);
    expect(writes[0]!.headers.from).toBe(person("responder").email);
    expect(writes[0]!.status).toBe(200);

    const message = await eventually(async () => {
      const found = (await channelMessages()).find((candidate) => candidate.ts === ts);
      return found && JSON.stringify(found.blocks).includes("Acknowledged by Rosa Responder") ? found : undefined;
    }, "the message to show the acknowledgement");
    const blocks = JSON.stringify(message.blocks);
    expect(blocks).toContain("Acknowledged: Checkout card payments declined");
    expect(blocks).not.toContain("incident_acknowledge");
    expect(blocks).toContain("incident_resolve");
  });

  it("refuses an observer in an ephemeral message and sends nothing to PagerDuty", async () => {
    const incidentId = await triggerIncident("Checkout latency above two seconds");
    const ts = await postedMessageTs(incidentId);

    expect((await press("observer", ts, "incident_resolve", incidentId)).status).toBe(200);
    const ephemeral = await eventually(async () => {
      const found = (await channelMessages()).find((candidate) => candidate.is_ephemeral && candidate.visible_to === person("observer").slackUserId && String(candidate.text).includes("Observer"));
      return found;
    }, "the refusal to reach the observer");
    expect(ephemeral.text).toMatch(/can view incidents but not change them/);
    expect(ephemeral.text).toMatch(/Nothing was sent to PagerDuty/);

    // The interaction is processed completely before this check, so a late write would already be there.
    await eventually(async () => {
      const rows = await sql<{ status: string }>(`SELECT status::text AS status FROM inbound_event WHERE source = 'slack_interaction' ORDER BY id DESC LIMIT 1`);
      return rows[0]?.status === "processed" ? true : undefined;
    }, "the interaction to be processed");
    expect(await pagerdutyWrites(incidentId)).toHaveLength(0);
    const rows = await sql<{ status: string }>(`SELECT status FROM incident WHERE pagerduty_incident_id = $1`, [incidentId]);
    expect(rows).toEqual([{ status: "triggered" }]);
  });

  it("rejects an unsigned or stale request with 401 and stores nothing", async () => {
    const payload = { type: "block_actions", team: { id: "T0SANDBOX1" }, user: { id: "U0ROSA0001" }, trigger_id: `stale-${Date.now()}`, actions: [{ action_id: "incident_acknowledge", type: "button", value: "PX" }] };
    const stale = await postInteraction(payload, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect(stale.status).toBe(401);
    const forged = await postInteraction(payload, { signature: "v0=deadbeef" });
    expect(forged.status).toBe(401);
    const rows = await sql(`SELECT id FROM inbound_event WHERE external_id = $1`, [payload.trigger_id]);
    expect(rows).toHaveLength(0);
  });

  it("answers 400 to a form body without a payload", async () => {
    const response = await postInteraction({});
    // A payload of {} has no type: the request is signed but not an interaction.
    expect(response.status).toBe(400);
  });
});
