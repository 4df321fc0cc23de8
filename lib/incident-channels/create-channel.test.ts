import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PEOPLE, SLACK_BOT } from "../../sandbox/seed";
import { AppError } from "../errors";
import type { ChannelActor } from "./record-channel";
import { createTestIncident, startChannelBench, type ChannelBench } from "./testing";

let bench: ChannelBench;
const log = pino({ level: "silent" });
const rosa = PEOPLE.find((person) => person.key === "responder")!;
const olivia = PEOPLE.find((person) => person.key === "owner")!;
const actor: ChannelActor = { userId: null, label: olivia.email, slackUserId: olivia.slackUserId };

beforeAll(async () => {
  bench = await startChannelBench();
}, 60_000);

afterAll(async () => {
  await bench?.close();
});

beforeEach(async () => {
  await fetch(`${bench.slack.url}/_sandbox/pagination`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ maxPageSize: null, emptyPages: 0 }) });
});

async function modules() {
  const { createIncidentChannel } = await import("./create-channel");
  const { associateIncidentChannel } = await import("./associate-channel");
  const { removeIncidentChannel } = await import("./remove-channel");
  return { createIncidentChannel, associateIncidentChannel, removeIncidentChannel };
}

interface FakeChannel {
  id: string;
  name: string;
  is_private: boolean;
  is_archived: boolean;
  members: string[];
}

async function fakeChannels(): Promise<FakeChannel[]> {
  const response = await fetch(`${bench.slack.url}/_sandbox/channels`);
  return ((await response.json()) as { channels: FakeChannel[] }).channels;
}

async function fakeCalls(method: string): Promise<{ args: Record<string, unknown> }[]> {
  const response = await fetch(`${bench.slack.url}/_sandbox/calls?method=${method}`);
  return ((await response.json()) as { calls: { args: Record<string, unknown> }[] }).calls;
}

describe("createIncidentChannel", () => {
  it("creates, records and invites", async () => {
    const { createIncidentChannel } = await modules();
    const incident = await createTestIncident(bench.prisma, { title: "Checkout API: P1 Outage (EU) v2.3" });

    const result = await createIncidentChannel({
      prisma: bench.prisma,
      incidentId: incident.id,
      workspaceId: bench.workspace.id,
      name: `inc-${incident.number}-Checkout API: P1 Outage (EU) v2.3`,
      isPrivate: false,
      actor,
      log,
    });

    expect(result.channel.slackChannelName).toBe(`inc-${incident.number}-checkout-api-p1-outage-eu-v2-3`);
    expect(result.channel.createdBySwitchboard).toBe(true);
    expect(result.recovered).toBe(false);
    expect(result.warnings).toEqual([]);

    const slackChannel = (await fakeChannels()).find((channel) => channel.id === result.channel.slackChannelId);
    expect(slackChannel?.is_private).toBe(false);
    expect(slackChannel?.members).toEqual(expect.arrayContaining([SLACK_BOT.userId, olivia.slackUserId, rosa.slackUserId]));

    const message = await bench.prisma.incidentMessage.findUnique({ where: { incidentId_slackChannelId: { incidentId: incident.id, slackChannelId: result.channel.slackChannelId } } });
    expect(message?.extensionId).toBeNull();
    const jobs = await bench.prisma.$queryRawUnsafe<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM graphile_worker.jobs WHERE task_identifier = 'sync_incident_message' AND key = $1`,
      `sync:${message!.id}`,
    );
    expect(jobs[0]!.count).toBe(1);

    const audit = await bench.prisma.auditLogEntry.findFirst({ where: { targetId: incident.pagerdutyIncidentId, action: "incident_channel.create" } });
    expect(audit?.actorLabel).toBe(olivia.email);
    expect(await bench.prisma.incidentChannelAttempt.count({ where: { incidentId: incident.id } })).toBe(0);
  });

  it("suffixes a name taken by an archived channel", async () => {
    const { createIncidentChannel } = await modules();
    const incident = await createTestIncident(bench.prisma, { title: "Archived name clash" });
    const name = `inc-${incident.number}-archived-name-clash`;
    const old = await bench.botClient.conversations.create({ name });
    await bench.botClient.conversations.archive({ channel: old.channel!.id! });

    const result = await createIncidentChannel({ prisma: bench.prisma, incidentId: incident.id, workspaceId: bench.workspace.id, name, isPrivate: false, actor, log });

    expect(result.channel.slackChannelName).toBe(`${name}-2`);
    expect(result.channel.slackChannelId).not.toBe(old.channel!.id);
    expect(result.recovered).toBe(false);
  });

  it("skips every listed name before calling Slack again", async () => {
    const { createIncidentChannel } = await modules();
    const incident = await createTestIncident(bench.prisma, { title: "Busy name" });
    const name = `inc-${incident.number}-busy-name`;
    // Channels of earlier incidents, archived since: their names stay taken.
    for (const taken of [name, `${name}-2`, `${name}-3`]) {
      const created = await bench.botClient.conversations.create({ name: taken });
      await bench.botClient.conversations.archive({ channel: created.channel!.id! });
    }
    const before = (await fakeCalls("conversations.create")).length;

    const result = await createIncidentChannel({ prisma: bench.prisma, incidentId: incident.id, workspaceId: bench.workspace.id, name, isPrivate: false, actor, log });

    expect(result.channel.slackChannelName).toBe(`${name}-4`);
    const names = (await fakeCalls("conversations.create")).slice(before).map((call) => call.args.name);
    expect(names).toEqual([name, `${name}-4`]);
  });

  it("creates a private channel", async () => {
    const { createIncidentChannel } = await modules();
    const incident = await createTestIncident(bench.prisma, { title: "Security breach" });

    const result = await createIncidentChannel({ prisma: bench.prisma, incidentId: incident.id, workspaceId: bench.workspace.id, name: "Security breach", isPrivate: true, actor, log });

    expect(result.channel.isPrivate).toBe(true);
    const slackChannel = (await fakeChannels()).find((channel) => channel.id === result.channel.slackChannelId);
    expect(slackChannel?.is_private).toBe(true);
    expect(slackChannel?.members).toEqual(expect.arrayContaining([olivia.slackUserId, rosa.slackUserId]));
  });

  it("records a channel an interrupted attempt created", async () => {
    const { createIncidentChannel } = await modules();
    const incident = await createTestIncident(bench.prisma, { title: "Interrupted" });
    const name = `inc-${incident.number}-interrupted`;
    // The earlier attempt wrote its row and Slack created the channel, then the process stopped.
    await bench.prisma.incidentChannelAttempt.create({
      data: { incidentId: incident.id, workspaceId: bench.workspace.id, slackChannelName: name, isPrivate: false, lockedUntil: new Date(Date.now() - 1000) },
    });
    const orphan = await bench.botClient.conversations.create({ name });
    const createsBefore = (await fakeCalls("conversations.create")).length;

    const result = await createIncidentChannel({ prisma: bench.prisma, incidentId: incident.id, workspaceId: bench.workspace.id, name, isPrivate: false, actor, log });

    expect(result.recovered).toBe(true);
    expect(result.channel.slackChannelId).toBe(orphan.channel!.id);
    expect(result.channel.slackChannelName).toBe(name);
    expect((await fakeCalls("conversations.create")).length).toBe(createsBefore + 1);
    expect((await fakeChannels()).filter((channel) => channel.name.startsWith(name))).toHaveLength(1);
    const audit = await bench.prisma.auditLogEntry.findFirst({ where: { targetId: incident.pagerdutyIncidentId, action: "incident_channel.create" } });
    expect(audit?.details).toMatchObject({ recoveredAfterInterruptedAttempt: true });
  });

  it("never adopts a channel someone else created", async () => {
    const { createIncidentChannel } = await modules();
    const incident = await createTestIncident(bench.prisma, { title: "Taken by a person" });
    const name = `inc-${incident.number}-taken-by-a-person`;
    await bench.prisma.incidentChannelAttempt.create({
      data: { incidentId: incident.id, workspaceId: bench.workspace.id, slackChannelName: name, isPrivate: false, lockedUntil: new Date(Date.now() - 1000) },
    });
    // A channel with that name exists, but the bot did not create it: a recorded extension's channel.
    const existing = await bench.botClient.conversations.create({ name });
    await bench.prisma.incidentChannel.create({
      data: {
        incidentId: (await createTestIncident(bench.prisma)).id,
        workspaceId: bench.workspace.id,
        slackChannelId: existing.channel!.id!,
        slackChannelName: name,
        createdBySwitchboard: true,
        requestedByLabel: "test",
      },
    });

    const result = await createIncidentChannel({ prisma: bench.prisma, incidentId: incident.id, workspaceId: bench.workspace.id, name, isPrivate: false, actor, log });

    expect(result.recovered).toBe(false);
    expect(result.channel.slackChannelName).toBe(`${name}-2`);
  });

  it("rejects a second creation while one runs", async () => {
    const { createIncidentChannel } = await modules();
    const incident = await createTestIncident(bench.prisma);
    await bench.prisma.incidentChannelAttempt.create({
      data: { incidentId: incident.id, workspaceId: bench.workspace.id, slackChannelName: "running", isPrivate: false, lockedUntil: new Date(Date.now() + 60_000) },
    });

    const attempt = createIncidentChannel({ prisma: bench.prisma, incidentId: incident.id, workspaceId: bench.workspace.id, name: "second", isPrivate: false, actor, log });

    await expect(attempt).rejects.toThrow(/being created for this incident right now/);
    expect(await bench.prisma.incidentChannel.count({ where: { incidentId: incident.id } })).toBe(0);
  });

  it("explains restricted_action for a private channel", async () => {
    const { createIncidentChannel } = await modules();
    const incident = await createTestIncident(bench.prisma);
    bench.failNext("conversations.create", "restricted_action");

    const error = await createIncidentChannel({ prisma: bench.prisma, incidentId: incident.id, workspaceId: bench.workspace.id, name: "private-room", isPrivate: true, actor, log }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("forbidden");
    expect((error as AppError).message).toMatch(/settings do not allow the app to create private channels/);
    expect(await bench.prisma.incidentChannel.count({ where: { incidentId: incident.id } })).toBe(0);
    expect(await bench.prisma.incidentChannelAttempt.count({ where: { incidentId: incident.id } })).toBe(0);
  });

  it("explains restricted_action for a public channel", async () => {
    const { createIncidentChannel } = await modules();
    const incident = await createTestIncident(bench.prisma);
    bench.failNext("conversations.create", "restricted_action");

    const error = await createIncidentChannel({ prisma: bench.prisma, incidentId: incident.id, workspaceId: bench.workspace.id, name: "public-room", isPrivate: false, actor, log }).catch((caught: unknown) => caught);

    expect((error as AppError).message).toMatch(/restrict this action to some members \(restricted_action\)/);
  });

  it("names the missing scope", async () => {
    const { createIncidentChannel } = await modules();
    const incident = await createTestIncident(bench.prisma);
    bench.failNext("conversations.create", "missing_scope", { extra: { needed: "groups:write", provided: "chat:write" } });

    const error = await createIncidentChannel({ prisma: bench.prisma, incidentId: incident.id, workspaceId: bench.workspace.id, name: "scoped", isPrivate: true, actor, log }).catch((caught: unknown) => caught);

    expect((error as AppError).message).toMatch(/lacks the groups:write permission \(scope\)/);
    expect((error as AppError).message).toMatch(/Reinstall the app/);
    expect(await bench.prisma.incidentChannel.count({ where: { incidentId: incident.id } })).toBe(0);
  });

  it("keeps the channel when invites fail", async () => {
    const { createIncidentChannel } = await modules();
    const incident = await createTestIncident(bench.prisma);
    bench.failNext("conversations.invite", "missing_scope", { extra: { needed: "channels:manage" } });

    const result = await createIncidentChannel({ prisma: bench.prisma, incidentId: incident.id, workspaceId: bench.workspace.id, name: "invite-problem", isPrivate: false, actor, log });

    expect(result.channel.slackChannelId).toMatch(/^C/);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/could not invite anyone/);
    expect(result.warnings[0]).toMatch(/channels:manage/);
  });

  it("replaces an earlier channel", async () => {
    const { createIncidentChannel } = await modules();
    const incident = await createTestIncident(bench.prisma);
    const first = await createIncidentChannel({ prisma: bench.prisma, incidentId: incident.id, workspaceId: bench.workspace.id, name: "first-room", isPrivate: false, actor, log });

    const second = await createIncidentChannel({ prisma: bench.prisma, incidentId: incident.id, workspaceId: bench.workspace.id, name: "second-room", isPrivate: false, actor, log });

    expect(second.channel.id).toBe(first.channel.id);
    expect(second.channel.slackChannelName).toMatch(/^second-room/);
    const messages = await bench.prisma.incidentMessage.findMany({ where: { incidentId: incident.id } });
    expect(messages.map((message) => message.slackChannelId)).toEqual([second.channel.slackChannelId]);
  });
});

describe("associateIncidentChannel", () => {
  it("joins a public channel and records it", async () => {
    const { associateIncidentChannel } = await modules();
    const incident = await createTestIncident(bench.prisma);

    const result = await associateIncidentChannel({ prisma: bench.prisma, incidentId: incident.id, workspaceId: bench.workspace.id, slackChannelId: "C0GENERAL1", actor, log });

    expect(result.channel.slackChannelName).toBe("general");
    expect(result.channel.createdBySwitchboard).toBe(false);
    const general = (await fakeChannels()).find((channel) => channel.id === "C0GENERAL1");
    expect(general?.members).toContain(SLACK_BOT.userId);
    expect(await bench.prisma.incidentMessage.count({ where: { incidentId: incident.id, slackChannelId: "C0GENERAL1" } })).toBe(1);
  });

  it("explains a private channel the bot cannot see", async () => {
    const { associateIncidentChannel } = await modules();
    const incident = await createTestIncident(bench.prisma);

    const attempt = associateIncidentChannel({ prisma: bench.prisma, incidentId: incident.id, workspaceId: bench.workspace.id, slackChannelId: "C0SECURITY", actor, log });

    await expect(attempt).rejects.toThrow(/Slack cannot find #C0SECURITY/);
    expect(await bench.prisma.incidentChannel.count({ where: { incidentId: incident.id } })).toBe(0);
  });
});

describe("removeIncidentChannel", () => {
  it("stops syncing and forgets the channel", async () => {
    const { associateIncidentChannel, removeIncidentChannel } = await modules();
    const incident = await createTestIncident(bench.prisma);
    await associateIncidentChannel({ prisma: bench.prisma, incidentId: incident.id, workspaceId: bench.workspace.id, slackChannelId: "C0GENERAL1", actor, log });

    await removeIncidentChannel({ prisma: bench.prisma, incidentId: incident.id, actor });

    expect(await bench.prisma.incidentChannel.count({ where: { incidentId: incident.id } })).toBe(0);
    expect(await bench.prisma.incidentMessage.count({ where: { incidentId: incident.id } })).toBe(0);
    expect(await bench.prisma.auditLogEntry.count({ where: { targetId: incident.pagerdutyIncidentId, action: "incident_channel.remove" } })).toBe(1);
  });

  it("leaves an extension's message alone", async () => {
    const { associateIncidentChannel, removeIncidentChannel } = await modules();
    const incident = await createTestIncident(bench.prisma);
    const extension = await bench.prisma.slackExtension.create({
      data: { name: `ext-${incident.number}`, pagerdutyServiceId: "P0SVCCHK", workspaceId: bench.workspace.id, slackChannelId: "C0INCIDENT", slackChannelName: "incidents" },
    });
    await bench.prisma.incidentMessage.create({ data: { incidentId: incident.id, workspaceId: bench.workspace.id, extensionId: extension.id, slackChannelId: "C0INCIDENT" } });
    await associateIncidentChannel({ prisma: bench.prisma, incidentId: incident.id, workspaceId: bench.workspace.id, slackChannelId: "C0INCIDENT", actor, log });

    await removeIncidentChannel({ prisma: bench.prisma, incidentId: incident.id, actor });

    const messages = await bench.prisma.incidentMessage.findMany({ where: { incidentId: incident.id } });
    expect(messages).toHaveLength(1);
    expect(messages[0]!.extensionId).toBe(extension.id);
    await bench.prisma.incidentMessage.deleteMany({ where: { incidentId: incident.id } });
    await bench.prisma.slackExtension.delete({ where: { id: extension.id } });
  });
});
