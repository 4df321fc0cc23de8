import { randomBytes, randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/support/database";
import { PrismaClient } from "../../db/generated/client";
import { storeInboundEvent } from "../../inbox/store";
import { TASKS } from "../../queue/jobs";
import { installJobQueue } from "../../queue/worker";
import { REMOVED_WORKSPACE_TOKEN } from "../../workspaces/workspace-state";
import { processSlackEvent } from "./process-event";

const log = pino({ level: "silent" });
const BOT = "U0BOTTEST1";
let database: TestDatabase;
let prisma: PrismaClient;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  await installJobQueue(database.url);
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url }) });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
});

afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
  await database.drop();
});

function uniqueTeamId(): string {
  return `T${randomBytes(5).toString("hex").toUpperCase()}`;
}

async function createWorkspace(input: { installedAt: Date; status?: "active" | "inactive"; statusReason?: string; botTokenEncrypted?: string }) {
  return prisma.slackWorkspace.create({
    data: {
      slackTeamId: uniqueTeamId(),
      name: "Acme",
      slackBotUserId: BOT,
      botTokenEncrypted: input.botTokenEncrypted ?? "v1:not:a:token",
      installedAt: input.installedAt,
      status: input.status ?? "active",
      statusReason: input.statusReason ?? null,
    },
  });
}

/** Stores an event_callback as the events route does and processes it; returns the outcome and inbox row. */
async function deliver(teamId: string, event: Record<string, unknown>, occurredAt: Date, eventId = `Ev${randomBytes(5).toString("hex")}`) {
  const envelope = {
    token: "verification-token",
    team_id: teamId,
    api_app_id: "A0TEST",
    event: { ...event, event_ts: (occurredAt.getTime() / 1000).toFixed(6) },
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(occurredAt.getTime() / 1000),
  };
  await storeInboundEvent(pool, {
    source: "slack_event",
    externalId: eventId,
    eventType: String(event.type),
    rawBody: JSON.stringify(envelope),
    job: { task: TASKS.processSlackEvent },
  });
  const row = (await pool.query<{ id: string }>(`SELECT id::text AS id FROM inbound_event WHERE source = 'slack_event' AND external_id = $1`, [eventId])).rows[0]!;
  const outcome = await processSlackEvent({ prisma, inboundEventId: row.id, log });
  const stored = (await pool.query<{ status: string; last_error: string | null }>(`SELECT status::text AS status, last_error FROM inbound_event WHERE id = $1::bigint`, [row.id])).rows[0]!;
  return { outcome, stored, inboundEventId: row.id };
}

async function auditCount(workspaceId: string): Promise<number> {
  return prisma.auditLogEntry.count({ where: { targetType: "workspace", targetId: workspaceId } });
}

async function syncJobsFor(incidentMessageId: string): Promise<number> {
  const result = await pool.query<{ count: string }>(
    `SELECT count(*)::text AS count FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE t.identifier = $1 AND j.payload->>'incidentMessageId' = $2`,
    [TASKS.syncIncidentMessage, incidentMessageId],
  );
  return Number(result.rows[0]!.count);
}

const installedAt = new Date("2026-12-01T10:00:00.000Z");
const later = new Date("2026-12-02T08:15:30.250Z");

describe("app_uninstalled", () => {
  it("marks the workspace inactive with the reason", async () => {
    const workspace = await createWorkspace({ installedAt });
    const { outcome, stored } = await deliver(workspace.slackTeamId, { type: "app_uninstalled" }, later);

    expect(outcome).toBe("processed");
    expect(stored.status).toBe("processed");
    const after = await prisma.slackWorkspace.findUniqueOrThrow({ where: { id: workspace.id } });
    expect(after.status).toBe("inactive");
    expect(after.statusReason).toBe("The app was uninstalled from Slack on 2026-12-02 08:15 UTC. Install it again to resume delivery.");
    expect(after.deactivatedAt?.toISOString()).toBe(later.toISOString());
    const audit = await prisma.auditLogEntry.findFirstOrThrow({ where: { targetId: workspace.id } });
    expect(audit.action).toBe("workspace.deactivate");
    expect(audit.actorLabel).toBe("Slack");
  });

  it("ignores an event older than the latest install", async () => {
    const workspace = await createWorkspace({ installedAt: later });
    const { outcome, stored } = await deliver(workspace.slackTeamId, { type: "app_uninstalled" }, new Date(later.getTime() - 400));

    expect(outcome).toBe("ignored");
    expect(stored.last_error).toContain("before the latest install");
    const after = await prisma.slackWorkspace.findUniqueOrThrow({ where: { id: workspace.id } });
    expect(after.status).toBe("active");
    expect(after.statusReason).toBeNull();
    expect(await auditCount(workspace.id)).toBe(0);
  });

  it("takes effect once when its job runs twice", async () => {
    const workspace = await createWorkspace({ installedAt });
    const { inboundEventId } = await deliver(workspace.slackTeamId, { type: "app_uninstalled" }, later);

    expect(await processSlackEvent({ prisma, inboundEventId, log })).toBe("already_done");
    expect(await auditCount(workspace.id)).toBe(1);
  });

  it("ignores a workspace that is not mapped", async () => {
    const { outcome, stored } = await deliver("T0NOTMAPPED", { type: "app_uninstalled" }, later);
    expect(outcome).toBe("ignored");
    expect(stored.last_error).toBe("Workspace T0NOTMAPPED is not mapped");
  });

  it("ignores a workspace removed from Switchboard", async () => {
    const workspace = await createWorkspace({ installedAt, status: "inactive", statusReason: "Removed", botTokenEncrypted: REMOVED_WORKSPACE_TOKEN });
    const { outcome } = await deliver(workspace.slackTeamId, { type: "app_uninstalled" }, later);
    expect(outcome).toBe("ignored");
    expect((await prisma.slackWorkspace.findUniqueOrThrow({ where: { id: workspace.id } })).statusReason).toBe("Removed");
  });
});

describe("tokens_revoked", () => {
  it("leaves the workspace active when only user tokens were revoked", async () => {
    const workspace = await createWorkspace({ installedAt });
    const { outcome } = await deliver(workspace.slackTeamId, { type: "tokens_revoked", tokens: { oauth: ["U0SOMEONE1"], bot: [] } }, later);

    expect(outcome).toBe("ignored");
    expect((await prisma.slackWorkspace.findUniqueOrThrow({ where: { id: workspace.id } })).status).toBe("active");
  });

  it("marks the workspace inactive when the bot's token was revoked", async () => {
    const workspace = await createWorkspace({ installedAt });
    await deliver(workspace.slackTeamId, { type: "tokens_revoked", tokens: { oauth: [], bot: [BOT] } }, later);

    const after = await prisma.slackWorkspace.findUniqueOrThrow({ where: { id: workspace.id } });
    expect(after.status).toBe("inactive");
    expect(after.statusReason).toBe("Slack revoked the bot token on 2026-12-02 08:15 UTC. Install the app again to resume delivery.");
  });

  it("gives way to the app_uninstalled reason in either order", async () => {
    const first = await createWorkspace({ installedAt });
    await deliver(first.slackTeamId, { type: "tokens_revoked", tokens: { bot: [BOT] } }, later);
    await deliver(first.slackTeamId, { type: "app_uninstalled" }, later);
    const second = await createWorkspace({ installedAt });
    await deliver(second.slackTeamId, { type: "app_uninstalled" }, later);
    await deliver(second.slackTeamId, { type: "tokens_revoked", tokens: { bot: [BOT] } }, later);

    for (const workspace of [first, second]) {
      const after = await prisma.slackWorkspace.findUniqueOrThrow({ where: { id: workspace.id } });
      expect(after.statusReason).toMatch(/^The app was uninstalled from Slack/);
    }
  });
});

describe("member_joined_channel", () => {
  async function createExtensionWithHeldMessage(workspaceId: string, channelId: string, messageStatus: "pending" | "failed") {
    const extension = await prisma.slackExtension.create({
      data: {
        name: `SlackV2-${randomUUID()}`,
        pagerdutyServiceId: "PSERVICE",
        workspaceId,
        slackChannelId: channelId,
        slackChannelName: "security",
        slackChannelIsPrivate: true,
        status: "needs_attention",
        statusReason: "Invite @switchboard to the channel",
      },
    });
    const incident = await prisma.incident.create({
      data: {
        pagerdutyIncidentId: `PINC${randomBytes(4).toString("hex")}`,
        number: 7,
        title: "Disk full",
        status: "triggered",
        urgency: "high",
        pagerdutyServiceId: "PSERVICE",
        serviceName: "Storage",
        htmlUrl: "https://acme.pagerduty.com/incidents/P1",
        lastChangeAt: later,
      },
    });
    const message = await prisma.incidentMessage.create({
      data: { incidentId: incident.id, workspaceId, extensionId: extension.id, slackChannelId: channelId, status: messageStatus },
    });
    return { extension, message };
  }

  it("clears needs attention and queues the held message when the bot joins", async () => {
    const workspace = await createWorkspace({ installedAt });
    const held = await createExtensionWithHeldMessage(workspace.id, "C0PRIVATE1", "pending");
    const failed = await createExtensionWithHeldMessage(workspace.id, "C0PRIVATE1", "failed");
    const elsewhere = await createExtensionWithHeldMessage(workspace.id, "C0ELSEWHR1", "pending");

    const { outcome } = await deliver(workspace.slackTeamId, { type: "member_joined_channel", user: BOT, channel: "C0PRIVATE1", channel_type: "G" }, later);

    expect(outcome).toBe("processed");
    for (const { extension, message } of [held, failed]) {
      const after = await prisma.slackExtension.findUniqueOrThrow({ where: { id: extension.id } });
      expect(after.status).toBe("working");
      expect(after.statusReason).toBeNull();
      expect((await prisma.incidentMessage.findUniqueOrThrow({ where: { id: message.id } })).status).toBe("pending");
      expect(await syncJobsFor(message.id)).toBe(1);
    }
    expect((await prisma.slackExtension.findUniqueOrThrow({ where: { id: elsewhere.extension.id } })).status).toBe("needs_attention");
    expect(await syncJobsFor(elsewhere.message.id)).toBe(0);
  });

  it("changes nothing when someone else joins", async () => {
    const workspace = await createWorkspace({ installedAt });
    const { extension, message } = await createExtensionWithHeldMessage(workspace.id, "C0PRIVATE2", "pending");

    const { outcome } = await deliver(workspace.slackTeamId, { type: "member_joined_channel", user: "U0PERSON01", channel: "C0PRIVATE2" }, later);

    expect(outcome).toBe("ignored");
    expect((await prisma.slackExtension.findUniqueOrThrow({ where: { id: extension.id } })).status).toBe("needs_attention");
    expect(await syncJobsFor(message.id)).toBe(0);
  });
});

describe("other event types", () => {
  it("are stored as ignored without a handler", async () => {
    const workspace = await createWorkspace({ installedAt });
    const { outcome } = await deliver(workspace.slackTeamId, { type: "reaction_added", user: "U0PERSON01" }, later);
    expect(outcome).toBe("ignored");
  });
});
