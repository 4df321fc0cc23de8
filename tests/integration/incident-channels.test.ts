import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { person, SLACK_BOT } from "../../sandbox/seed";
import { createWebUser, signIn } from "./auth-helpers";
import { env, eventually, getJson, sql } from "./helpers";

interface SlackMessage {
  ts: string;
  text?: string;
  blocks?: { type: string; text?: { text?: string } }[];
  is_ephemeral?: boolean;
  visible_to?: string;
}

interface FakeChannel {
  id: string;
  name: string;
  is_private: boolean;
  is_archived: boolean;
  members: string[];
}

const cookies: Record<string, string> = {};

beforeAll(async () => {
  for (const key of ["responder", "observer", "owner"]) {
    await createWebUser({ email: person(key).email, name: person(key).name });
    cookies[key] = await signIn(person(key).email);
  }
});

async function pagerduty(method: string, path: string, body?: unknown, from = person("owner").email) {
  const response = await fetch(`${env.pagerdutyUrl}${path}`, {
    method,
    headers: {
      Authorization: `Token token=${inject("pagerdutyApiToken")}`,
      Accept: "application/vnd.pagerduty+json;version=2",
      "Content-Type": "application/json",
      From: from,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok, `${method} ${path} answered ${response.status}`).toBe(true);
  return response.json() as Promise<Record<string, unknown>>;
}

/** Triggers an incident in the fake PagerDuty and waits until Switchboard has stored it. */
async function triggerIncident(input: { title: string; serviceId?: string; urgency?: "high" | "low" }): Promise<string> {
  const created = await pagerduty("POST", "/incidents", {
    incident: { type: "incident", title: input.title, urgency: input.urgency ?? "high", service: { id: input.serviceId ?? "P0SVCCHK", type: "service_reference" } },
  });
  const incidentId = (created.incident as { id: string }).id;
  await eventually(async () => {
    const rows = await sql(`SELECT 1 FROM incident WHERE pagerduty_incident_id = $1`, [incidentId]);
    return rows.length > 0 ? true : undefined;
  }, `incident ${incidentId} to reach Switchboard`);
  return incidentId;
}

function api(path: string, userKey: string, init: { method?: string; body?: unknown } = {}) {
  return fetch(`${env.appUrl}${path}`, {
    method: init.method ?? "GET",
    headers: { Cookie: cookies[userKey]!, Accept: "application/json", ...(init.body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

async function fakeChannels(): Promise<FakeChannel[]> {
  return (await getJson<{ channels: FakeChannel[] }>(`${env.slackUrl}/_sandbox/channels`)).channels;
}

async function channelMessages(channelId: string): Promise<SlackMessage[]> {
  return (await getJson<{ messages: SlackMessage[] }>(`${env.slackUrl}/_sandbox/channels/${channelId}/messages`)).messages;
}

function messageText(message: SlackMessage): string {
  return [message.text ?? "", ...(message.blocks ?? []).map((block) => block.text?.text ?? "")].join("\n");
}

async function workspaceId(): Promise<string> {
  const rows = await sql<{ id: string }>(`SELECT id FROM slack_workspace WHERE slack_team_id = 'T0SANDBOX1'`);
  return rows[0]!.id;
}

describe("incident pages", () => {
  it("lists incidents with filters and pages", async () => {
    const marker = randomUUID().slice(0, 8);
    const high = await triggerIncident({ title: `List high ${marker}` });
    const low = await triggerIncident({ title: `List low ${marker}`, serviceId: "P0SVCPLT", urgency: "low" });

    const response = await api("/api/admin/incidents?status=triggered&service=P0SVCCHK&urgency=high&pageSize=100", "observer");
    expect(response.status).toBe(200);
    const page = (await response.json()) as { items: { pagerdutyIncidentId: string; status: string; urgency: string }[]; total: number; services: { id: string }[] };
    const ids = page.items.map((item) => item.pagerdutyIncidentId);
    expect(ids).toContain(high);
    expect(ids).not.toContain(low);
    expect(page.items.every((item) => item.status === "triggered" && item.urgency === "high")).toBe(true);
    expect(page.services.map((service) => service.id)).toEqual(expect.arrayContaining(["P0SVCCHK", "P0SVCPLT"]));

    const first = (await (await api("/api/admin/incidents?pageSize=1&page=1", "observer")).json()) as { items: { id: string }[]; total: number };
    const second = (await (await api("/api/admin/incidents?pageSize=1&page=2", "observer")).json()) as { items: { id: string }[] };
    expect(first.items).toHaveLength(1);
    expect(first.total).toBeGreaterThanOrEqual(2);
    expect(second.items[0]!.id).not.toBe(first.items[0]!.id);

    const invalid = await api("/api/admin/incidents?status=sleeping", "observer");
    expect(invalid.status).toBe(400);
  });

  it("rejects signed-out readers", async () => {
    const response = await fetch(`${env.appUrl}/api/admin/incidents`, { headers: { Accept: "application/json" } });
    expect(response.status).toBe(401);
  });

  it("shows the incident with its timeline", async () => {
    const incidentId = await triggerIncident({ title: `Timeline ${randomUUID().slice(0, 8)}` });
    await pagerduty("POST", `/incidents/${incidentId}/notes`, { note: { content: "Rolled back the deploy" } });

    const detail = await (await api(`/api/admin/incidents/${incidentId}`, "observer")).json();
    expect(detail.incident.pagerdutyIncidentId).toBe(incidentId);
    expect(detail.messages.map((message: { slackChannelId: string }) => message.slackChannelId)).toContain("C0INCIDENT");
    expect(detail.setChannel.canSetChannel).toBe(false);
    expect(detail.setChannel.reason).toMatch(/Observer/);

    const timeline = await eventually(async () => {
      const body = (await (await api(`/api/admin/incidents/${incidentId}/timeline`, "observer")).json()) as { entries: { kind: string; content: string | null; summary: string }[] };
      return body.entries.some((entry) => entry.kind === "note") ? body : undefined;
    }, "the note in the timeline");
    expect(timeline.entries.find((entry) => entry.kind === "note")?.content).toBe("Rolled back the deploy");
    expect(timeline.entries.some((entry) => entry.kind === "change")).toBe(true);
  });
});

describe("Set Channel", () => {
  it("creates a channel and posts the message there", async () => {
    const title = `Checkout API: P1 Outage (EU) v2.3 ${randomUUID().slice(0, 4)}`;
    const incidentId = await triggerIncident({ title });
    const detail = await (await api(`/api/admin/incidents/${incidentId}`, "responder")).json();
    expect(detail.setChannel.canSetChannel).toBe(true);
    const number = detail.incident.number as number;

    const response = await api(`/api/admin/incidents/${incidentId}/channel`, "responder", {
      method: "PUT",
      body: { mode: "create", workspaceId: await workspaceId(), name: `inc-${number}-${title}`, isPrivate: false },
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { channel: { slackChannelId: string; slackChannelName: string }; invited: string[]; warnings: string[] };
    expect(result.channel.slackChannelName).toMatch(new RegExp(`^inc-${number}-checkout-api-p1-outage-eu-v2-3-[a-z0-9]{4}$`));
    expect(result.warnings).toEqual([]);

    const channel = (await fakeChannels()).find((candidate) => candidate.id === result.channel.slackChannelId)!;
    expect(channel.members).toEqual(expect.arrayContaining([SLACK_BOT.userId, person("responder").slackUserId]));

    const posted = await eventually(async () => {
      const messages = await channelMessages(channel.id);
      return messages.find((message) => !message.is_ephemeral && messageText(message).includes("Triggered")) ?? undefined;
    }, "the incident message in the new channel");
    expect(messageText(posted)).toContain("Checkout API");

    // The message in the incident channel follows the incident like any mapped channel's.
    await pagerduty("PUT", `/incidents/${incidentId}`, { incident: { type: "incident_reference", status: "acknowledged" } }, person("responder").email);
    await eventually(async () => {
      const messages = await channelMessages(channel.id);
      return messages.some((message) => message.ts === posted.ts && messageText(message).includes("Acknowledged")) ? true : undefined;
    }, "the incident channel's message to show Acknowledged");

    const audit = await sql<{ actor_label: string }>(`SELECT actor_label FROM audit_log_entry WHERE action = 'incident_channel.create' AND target_id = $1`, [incidentId]);
    expect(audit.map((row) => row.actor_label)).toEqual([person("responder").email]);
  });

  it("creates a private channel", async () => {
    const incidentId = await triggerIncident({ title: `Private ${randomUUID().slice(0, 8)}` });
    const response = await api(`/api/admin/incidents/${incidentId}/channel`, "responder", {
      method: "PUT",
      body: { mode: "create", workspaceId: await workspaceId(), name: `private ${incidentId}`, isPrivate: true },
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { channel: { slackChannelId: string; isPrivate: boolean } };
    expect(result.channel.isPrivate).toBe(true);
    expect((await fakeChannels()).find((candidate) => candidate.id === result.channel.slackChannelId)?.is_private).toBe(true);
  });

  it("rejects an observer and changes nothing", async () => {
    const incidentId = await triggerIncident({ title: `Observer ${randomUUID().slice(0, 8)}` });
    const before = (await fakeChannels()).length;

    const response = await api(`/api/admin/incidents/${incidentId}/channel`, "observer", {
      method: "PUT",
      body: { mode: "create", workspaceId: await workspaceId(), name: "observer-room", isPrivate: false },
    });

    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/can view incidents but not change them/);
    expect((await fakeChannels()).length).toBe(before);
    expect(await sql(`SELECT 1 FROM incident_channel c JOIN incident i ON i.id = c.incident_id WHERE i.pagerduty_incident_id = $1`, [incidentId])).toHaveLength(0);
  });

  it("searches channels over short and empty pages", async () => {
    const incidentId = await triggerIncident({ title: `Search ${randomUUID().slice(0, 8)}` });
    const control = (body: unknown) => fetch(`${env.slackUrl}/_sandbox/pagination`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    await control({ maxPageSize: 1, emptyPages: 3 });
    try {
      const response = await api(`/api/admin/incidents/${incidentId}/slack-channels?workspaceId=${await workspaceId()}&query=gener&refresh=1`, "responder");
      expect(response.status).toBe(200);
      const body = (await response.json()) as { channels: { id: string; name: string }[]; total: number };
      expect(body.channels.map((channel) => channel.name)).toEqual(["general"]);
    } finally {
      await control({ maxPageSize: null, emptyPages: 0 });
    }
  });

  it("associates an existing channel, then removes it", async () => {
    const incidentId = await triggerIncident({ title: `Associate ${randomUUID().slice(0, 8)}` });
    const response = await api(`/api/admin/incidents/${incidentId}/channel`, "responder", {
      method: "PUT",
      body: { mode: "associate", workspaceId: await workspaceId(), slackChannelId: "C0WARROOM1" },
    });
    expect(response.status).toBe(200);
    await eventually(async () => {
      const messages = await channelMessages("C0WARROOM1");
      return messages.some((message) => messageText(message).includes(incidentId) || messageText(message).includes("Associate")) ? true : undefined;
    }, "the incident message in #war-room");

    const removed = await api(`/api/admin/incidents/${incidentId}/channel`, "responder", { method: "DELETE" });
    expect(removed.status).toBe(200);
    const detail = await (await api(`/api/admin/incidents/${incidentId}`, "responder")).json();
    expect(detail.channel).toBeNull();
    expect(detail.messages.map((message: { slackChannelId: string }) => message.slackChannelId)).not.toContain("C0WARROOM1");
  });

  it("creates the channel from Slack's More actions", async () => {
    const incidentId = await triggerIncident({ title: `From Slack ${randomUUID().slice(0, 8)}` });
    const ts = await eventually(async () => {
      const rows = await sql<{ slack_message_ts: string | null }>(
        `SELECT m.slack_message_ts FROM incident_message m JOIN incident i ON i.id = m.incident_id WHERE i.pagerduty_incident_id = $1 AND m.slack_channel_id = 'C0INCIDENT'`,
        [incidentId],
      );
      return rows[0]?.slack_message_ts ?? undefined;
    }, "the incident message in #incidents");

    const pressed = await getJson<{ status: number }>(`${env.slackUrl}/_sandbox/actions`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        userId: person("responder").slackUserId,
        channelId: "C0INCIDENT",
        messageTs: ts,
        actionId: "incident_more_actions",
        selectedOptionValue: `create_channel:${incidentId}`,
      }),
    });
    expect(pressed.status).toBe(200);

    const channel = await eventually(async () => {
      const rows = await sql<{ slack_channel_id: string; slack_channel_name: string; requested_by_label: string }>(
        `SELECT c.slack_channel_id, c.slack_channel_name, c.requested_by_label FROM incident_channel c JOIN incident i ON i.id = c.incident_id WHERE i.pagerduty_incident_id = $1`,
        [incidentId],
      );
      return rows[0];
    }, "the channel created from Slack");
    expect(channel.slack_channel_name).toMatch(/^inc-\d+-from-slack-[a-z0-9]{8}$/);
    expect(channel.requested_by_label).toBe(`${person("responder").email} (Slack)`);

    const reply = await eventually(async () => {
      const messages = await channelMessages("C0INCIDENT");
      return messages.find((message) => message.is_ephemeral && message.visible_to === person("responder").slackUserId && messageText(message).includes(channel.slack_channel_id));
    }, "the ephemeral confirmation");
    expect(messageText(reply)).toContain("Created");
  });
});

describe("channel rules", () => {
  it("refuses rules for a config-managed extension", async () => {
    const rows = await sql<{ id: string }>(`SELECT id FROM slack_extension WHERE name = 'SlackV2-Checkout-API'`);
    const response = await api(`/api/admin/incidents/channel-rules/${rows[0]!.id}`, "owner", {
      method: "PUT",
      body: { nameTemplate: "inc-{number}", autoCreateHighUrgency: true, autoCreatePriorities: [], autoCreatePrivate: false, archiveAfterDays: null },
    });
    expect(response.status).toBe(409);
    expect(await sql(`SELECT 1 FROM incident_channel_rule WHERE extension_id = $1`, [rows[0]!.id])).toHaveLength(0);
  });

  it("rejects rule changes by a responder", async () => {
    const rows = await sql<{ id: string }>(`SELECT id FROM slack_extension WHERE name = 'SlackV2-Checkout-API'`);
    const response = await api(`/api/admin/incidents/channel-rules/${rows[0]!.id}`, "responder", {
      method: "PUT",
      body: { nameTemplate: "inc-{number}", autoCreateHighUrgency: true, autoCreatePriorities: [], autoCreatePrivate: false, archiveAfterDays: null },
    });
    expect(response.status).toBe(403);
  });

  it("creates on high urgency and archives after resolve", async () => {
    const workspace = await workspaceId();
    const extensionId = randomUUID();
    await sql(
      `INSERT INTO slack_extension (id, name, pagerduty_service_id, workspace_id, slack_channel_id, slack_channel_name, updated_at)
       VALUES ($1, $2, 'P0SVCSRC', $3, 'C0PLATFORM', 'platform-alerts', now())`,
      [extensionId, `Search-rules-${extensionId.slice(0, 8)}`, workspace],
    );
    await sql(
      `INSERT INTO app_setting (key, value, updated_at) VALUES ('pagerduty.default_from_email', $1, now())
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [person("admin").email],
    );
    const saved = await api(`/api/admin/incidents/channel-rules/${extensionId}`, "owner", {
      method: "PUT",
      body: { nameTemplate: "{service}-{number}", autoCreateHighUrgency: true, autoCreatePriorities: [], autoCreatePrivate: false, archiveAfterDays: 0 },
    });
    expect(saved.status).toBe(200);

    const incidentId = await triggerIncident({ title: `Indexer stalled ${extensionId.slice(0, 6)}`, serviceId: "P0SVCSRC" });
    const channel = await eventually(async () => {
      const rows = await sql<{ slack_channel_id: string; slack_channel_name: string; extension_id: string }>(
        `SELECT c.slack_channel_id, c.slack_channel_name, c.extension_id FROM incident_channel c JOIN incident i ON i.id = c.incident_id WHERE i.pagerduty_incident_id = $1`,
        [incidentId],
      );
      return rows[0];
    }, "the automatic channel");
    expect(channel.slack_channel_name).toMatch(/^search-indexer-\d+$/);
    expect(channel.extension_id).toBe(extensionId);

    await pagerduty("PUT", `/incidents/${incidentId}`, { incident: { type: "incident_reference", status: "resolved" } }, person("admin").email);

    await eventually(
      async () => ((await fakeChannels()).find((candidate) => candidate.id === channel.slack_channel_id)?.is_archived ? true : undefined),
      "the channel to be archived",
    );
    const notes = await eventually(async () => {
      const body = await pagerduty("GET", `/incidents/${incidentId}/notes`);
      const found = (body.notes as { content: string; user: { id: string } }[]).filter((note) => note.content.includes("archived"));
      return found.length > 0 ? found : undefined;
    }, "the archive note in PagerDuty");
    expect(notes[0]!.content).toContain(`#${channel.slack_channel_name}`);
    expect(notes[0]!.user.id).toBe(person("admin").pagerdutyUserId);
  });
});
