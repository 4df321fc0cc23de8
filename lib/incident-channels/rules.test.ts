import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PEOPLE, SLACK_BOT } from "../../sandbox/seed";
import type { AppliedChange } from "../incidents/apply-change";
import { toSnapshotFromModel } from "../incidents/snapshot";
import { createTestIncident, startChannelBench, type ChannelBench } from "./testing";

let bench: ChannelBench;
const log = pino({ level: "silent" });
const adam = PEOPLE.find((person) => person.key === "admin")!;
const rosa = PEOPLE.find((person) => person.key === "responder")!;
const DAY_MS = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  // The archive note is written in the name of this user, as if set in Settings → PagerDuty.
  process.env.PAGERDUTY_FROM_EMAIL = adam.email;
  bench = await startChannelBench();
}, 60_000);

afterAll(async () => {
  await bench?.close();
});

async function createExtensionWithRule(rule: { autoCreateHighUrgency?: boolean; autoCreatePriorities?: string[]; autoCreatePrivate?: boolean; archiveAfterDays?: number | null; nameTemplate?: string }) {
  const suffix = Math.random().toString(36).slice(2, 8);
  const extension = await bench.prisma.slackExtension.create({
    data: { name: `rules-${suffix}`, pagerdutyServiceId: `P0SVC${suffix.toUpperCase()}`, workspaceId: bench.workspace.id, slackChannelId: "C0INCIDENT", slackChannelName: "incidents" },
  });
  await bench.prisma.incidentChannelRule.create({ data: { extensionId: extension.id, ...rule } });
  return extension;
}

async function incidentFor(serviceId: string, fields: Parameters<typeof createTestIncident>[1] = {}) {
  const incident = await createTestIncident(bench.prisma, fields);
  return bench.prisma.incident.update({ where: { id: incident.id }, data: { pagerdutyServiceId: serviceId } });
}

function changeOf(incident: Awaited<ReturnType<typeof incidentFor>>, stateApplied = true): AppliedChange {
  return { incidentId: incident.id, snapshot: toSnapshotFromModel(incident), stateApplied, actionApplied: false };
}

async function jobsWithKey(key: string): Promise<{ run_at: Date; task_identifier: string }[]> {
  return bench.prisma.$queryRawUnsafe(`SELECT run_at, task_identifier FROM graphile_worker.jobs WHERE key = $1`, key);
}

/**
 * Applies the rules for an event as the event's transaction does, then runs the archive scheduling
 * jobs it queued, as the worker would next. Returns how many such jobs there were.
 */
async function applyRulesAndSchedule(change: Parameters<Awaited<ReturnType<typeof modules>>["applyChannelRules"]>[1]): Promise<number> {
  const { applyChannelRules } = await modules();
  const { scheduleChannelArchive } = await import("./archive-schedule");
  await bench.prisma.$transaction((tx) => applyChannelRules(tx, change));
  const jobs = await bench.prisma.$queryRawUnsafe<{ payload: { incidentChannelId: string; resolvedAt: string } }[]>(
    `SELECT jobs.payload FROM graphile_worker._private_jobs AS jobs
       JOIN graphile_worker._private_tasks AS tasks ON tasks.id = jobs.task_id
      WHERE tasks.identifier = 'schedule_channel_archive'
        AND jobs.payload->>'incidentChannelId' IN (SELECT id::text FROM incident_channel WHERE incident_id = $1::uuid)`,
    change.change.incidentId,
  );
  for (const job of jobs) {
    await scheduleChannelArchive({ prisma: bench.prisma, incidentChannelId: job.payload.incidentChannelId, resolvedAt: new Date(job.payload.resolvedAt) });
  }
  return jobs.length;
}

async function modules() {
  const { applyChannelRules } = await import("./incident-events");
  const { createChannelByRule } = await import("./auto-create");
  const { archiveIncidentChannel } = await import("./archive-channel");
  const { associateIncidentChannel } = await import("./associate-channel");
  return { applyChannelRules, createChannelByRule, archiveIncidentChannel, associateIncidentChannel };
}

describe("automatic channel creation", () => {
  it("queues a channel for high urgency", async () => {
    const { applyChannelRules, createChannelByRule } = await modules();
    const extension = await createExtensionWithRule({ autoCreateHighUrgency: true, autoCreatePrivate: true, nameTemplate: "{service}-{number}" });
    const incident = await incidentFor(extension.pagerdutyServiceId, { urgency: "high" });

    await bench.prisma.$transaction((tx) => applyChannelRules(tx, { change: changeOf(incident), eventType: "incident.triggered", occurredAt: new Date() }));

    const jobs = await jobsWithKey(`auto-channel:${incident.id}`);
    expect(jobs.map((job) => job.task_identifier)).toEqual(["create_incident_channel"]);

    const outcome = await createChannelByRule({ prisma: bench.prisma, incidentId: incident.id, extensionId: extension.id, log });

    expect(outcome).toBe("created");
    const channel = await bench.prisma.incidentChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
    expect(channel.slackChannelName).toBe(`checkout-api-${incident.number}`);
    expect(channel.isPrivate).toBe(true);
    expect(channel.extensionId).toBe(extension.id);
    expect(channel.requestedByLabel).toBe(`Extension ${extension.name}`);
    const members = ((await (await fetch(`${bench.slack.url}/_sandbox/channels`)).json()) as { channels: { id: string; members: string[] }[] }).channels.find(
      (slackChannel) => slackChannel.id === channel.slackChannelId,
    )!.members;
    expect(members.sort()).toEqual([SLACK_BOT.userId, rosa.slackUserId].sort());
  });

  it("ignores low urgency without a chosen priority", async () => {
    const { applyChannelRules } = await modules();
    const extension = await createExtensionWithRule({ autoCreateHighUrgency: true, autoCreatePriorities: ["P1"] });
    const incident = await incidentFor(extension.pagerdutyServiceId, { urgency: "low", priority: "P3" });

    await bench.prisma.$transaction((tx) => applyChannelRules(tx, { change: changeOf(incident), eventType: "incident.priority_updated", occurredAt: new Date() }));

    expect(await jobsWithKey(`auto-channel:${incident.id}`)).toEqual([]);
  });

  it("queues a channel for a chosen priority", async () => {
    const { applyChannelRules } = await modules();
    const extension = await createExtensionWithRule({ autoCreatePriorities: ["P1", "P2"] });
    const incident = await incidentFor(extension.pagerdutyServiceId, { urgency: "low", priority: "P2" });

    await bench.prisma.$transaction((tx) => applyChannelRules(tx, { change: changeOf(incident), eventType: "incident.priority_updated", occurredAt: new Date() }));

    expect(await jobsWithKey(`auto-channel:${incident.id}`)).toHaveLength(1);
  });

  it("ignores a stale event", async () => {
    const { applyChannelRules } = await modules();
    const extension = await createExtensionWithRule({ autoCreateHighUrgency: true });
    const incident = await incidentFor(extension.pagerdutyServiceId, { urgency: "high" });

    await bench.prisma.$transaction((tx) => applyChannelRules(tx, { change: changeOf(incident, false), eventType: "incident.triggered", occurredAt: new Date() }));

    expect(await jobsWithKey(`auto-channel:${incident.id}`)).toEqual([]);
  });

  it("skips an incident that has a channel", async () => {
    const { createChannelByRule, associateIncidentChannel } = await modules();
    const extension = await createExtensionWithRule({ autoCreateHighUrgency: true });
    const incident = await incidentFor(extension.pagerdutyServiceId, { urgency: "high" });
    await associateIncidentChannel({ prisma: bench.prisma, incidentId: incident.id, workspaceId: bench.workspace.id, slackChannelId: "C0PLATFORM", actor: { userId: null, label: "test", slackUserId: null }, log });

    expect(await createChannelByRule({ prisma: bench.prisma, incidentId: incident.id, extensionId: extension.id, log })).toBe("skipped");
  });

  it("records a Slack refusal in the audit log", async () => {
    const { createChannelByRule } = await modules();
    const extension = await createExtensionWithRule({ autoCreateHighUrgency: true });
    const incident = await incidentFor(extension.pagerdutyServiceId, { urgency: "high" });
    bench.failNext("conversations.create", "restricted_action");

    expect(await createChannelByRule({ prisma: bench.prisma, incidentId: incident.id, extensionId: extension.id, log })).toBe("failed");

    const entry = await bench.prisma.auditLogEntry.findFirst({ where: { targetId: incident.pagerdutyIncidentId, action: "incident_channel.auto_create_failed" } });
    expect(JSON.stringify(entry?.details)).toMatch(/restricted_action/);
  });
});

describe("archiving after resolve", () => {
  async function resolvedIncidentWithChannel(archiveAfterDays: number | null) {
    const { createChannelByRule } = await modules();
    const extension = await createExtensionWithRule({ autoCreateHighUrgency: true, archiveAfterDays });
    const triggered = await fetch(`${bench.pagerduty.url}/_sandbox/trigger`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ serviceId: "P0SVCCHK", title: "Archive me" }),
    });
    const pagerdutyIncident = ((await triggered.json()) as { incident: { id: string } }).incident;
    const incident = await incidentFor(extension.pagerdutyServiceId, { pagerdutyIncidentId: pagerdutyIncident.id, urgency: "high" });
    await createChannelByRule({ prisma: bench.prisma, incidentId: incident.id, extensionId: extension.id, log });
    const resolved = await bench.prisma.incident.update({ where: { id: incident.id }, data: { status: "resolved" } });
    return { incident: resolved, extension, pagerdutyIncidentId: pagerdutyIncident.id };
  }

  it("schedules, archives and writes a note", async () => {
    const { archiveIncidentChannel } = await modules();
    const { incident, pagerdutyIncidentId } = await resolvedIncidentWithChannel(3);
    const resolvedAt = new Date("2026-05-01T10:00:00Z");

    expect(await applyRulesAndSchedule({ change: changeOf(incident), eventType: "incident.resolved", occurredAt: resolvedAt })).toBe(1);

    const channel = await bench.prisma.incidentChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
    expect(channel.archiveAt?.toISOString()).toBe(new Date(resolvedAt.getTime() + 3 * DAY_MS).toISOString());
    const jobs = await jobsWithKey(`archive-channel:${channel.id}:${channel.archiveAt!.toISOString()}`);
    expect(jobs).toHaveLength(1);
    expect(new Date(jobs[0]!.run_at).toISOString()).toBe(channel.archiveAt!.toISOString());

    const early = await archiveIncidentChannel({ prisma: bench.prisma, incidentChannelId: channel.id, log, now: new Date(channel.archiveAt!.getTime() - 1000) });
    expect(early).toBe("not_due");

    const outcome = await archiveIncidentChannel({ prisma: bench.prisma, incidentChannelId: channel.id, log, now: channel.archiveAt! });

    expect(outcome).toBe("archived");
    const stored = await bench.prisma.incidentChannel.findUniqueOrThrow({ where: { id: channel.id } });
    expect(stored.status).toBe("archived");
    expect(stored.archiveNoteAt).not.toBeNull();
    expect(stored.lastError).toBeNull();
    const slackChannels = ((await (await fetch(`${bench.slack.url}/_sandbox/channels`)).json()) as { channels: { id: string; is_archived: boolean }[] }).channels;
    expect(slackChannels.find((slackChannel) => slackChannel.id === channel.slackChannelId)?.is_archived).toBe(true);
    expect(await bench.prisma.incidentMessage.count({ where: { incidentId: incident.id, slackChannelId: channel.slackChannelId } })).toBe(0);

    const notes = await fetch(`${bench.pagerduty.url}/incidents/${pagerdutyIncidentId}/notes`, {
      headers: { Authorization: `Token token=${process.env.PAGERDUTY_API_TOKEN}`, Accept: "application/vnd.pagerduty+json;version=2" },
    });
    const body = (await notes.json()) as { notes: { content: string; user: { id: string } }[] };
    expect(body.notes).toHaveLength(1);
    expect(body.notes[0]!.content).toContain(`#${channel.slackChannelName}`);
    expect(body.notes[0]!.content).toContain("3 days after the incident was resolved");
    expect(body.notes[0]!.user.id).toBe(adam.pagerdutyUserId);

    // A second run of the job finds nothing left to do.
    expect(await archiveIncidentChannel({ prisma: bench.prisma, incidentChannelId: channel.id, log, now: channel.archiveAt! })).toBe("archived");
    const again = (await (await fetch(`${bench.pagerduty.url}/incidents/${pagerdutyIncidentId}/notes`, {
      headers: { Authorization: `Token token=${process.env.PAGERDUTY_API_TOKEN}`, Accept: "application/vnd.pagerduty+json;version=2" },
    })).json()) as { notes: unknown[] };
    expect(again.notes).toHaveLength(1);
  });

  it("clears the archive time on reopen", async () => {
    const { archiveIncidentChannel } = await modules();
    const { incident } = await resolvedIncidentWithChannel(1);
    expect(await applyRulesAndSchedule({ change: changeOf(incident), eventType: "incident.resolved", occurredAt: new Date() })).toBe(1);
    const reopened = await bench.prisma.incident.update({ where: { id: incident.id }, data: { status: "triggered" } });

    expect(await applyRulesAndSchedule({ change: changeOf(reopened), eventType: "incident.reopened", occurredAt: new Date() })).toBe(1);

    const channel = await bench.prisma.incidentChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
    expect(channel.archiveAt).toBeNull();
    expect(await archiveIncidentChannel({ prisma: bench.prisma, incidentChannelId: channel.id, log, now: new Date(Date.now() + 2 * DAY_MS) })).toBe("not_due");
  });

  it("never archives without a rule", async () => {
    const { incident } = await resolvedIncidentWithChannel(null);

    expect(await applyRulesAndSchedule({ change: changeOf(incident), eventType: "incident.resolved", occurredAt: new Date() })).toBe(1);

    const channel = await bench.prisma.incidentChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
    expect(channel.archiveAt).toBeNull();
  });

  it("never archives an associated channel", async () => {
    const { associateIncidentChannel } = await modules();
    const extension = await createExtensionWithRule({ archiveAfterDays: 0 });
    const incident = await incidentFor(extension.pagerdutyServiceId, { status: "resolved" });
    await associateIncidentChannel({ prisma: bench.prisma, incidentId: incident.id, workspaceId: bench.workspace.id, slackChannelId: "C0PLATFORM", actor: { userId: null, label: "test", slackUserId: null }, log });

    expect(await applyRulesAndSchedule({ change: changeOf(incident), eventType: "incident.resolved", occurredAt: new Date() })).toBe(1);

    const channel = await bench.prisma.incidentChannel.findUniqueOrThrow({ where: { incidentId: incident.id } });
    expect(channel.archiveAt).toBeNull();
  });
});
