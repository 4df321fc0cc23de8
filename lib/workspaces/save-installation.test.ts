import { randomBytes } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../tests/support/database";
import { decryptSecret } from "../crypto/secret-box";
import { PrismaClient } from "../db/generated/client";
import { AppError } from "../errors";
import { TASKS } from "../queue/jobs";
import { installJobQueue } from "../queue/worker";
import type { SlackInstallation } from "../slack/oauth/exchange-code";
import { saveWorkspaceInstallation } from "./save-installation";

const key = randomBytes(32);
let database: TestDatabase;
let prisma: PrismaClient;
let pool: pg.Pool;
let actor: { userId: string; label: string };

beforeAll(async () => {
  database = await createTestDatabase();
  await installJobQueue(database.url);
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url }) });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  const user = await prisma.user.create({ data: { email: "adam.admin@example.com", name: "Adam Admin" } });
  actor = { userId: user.id, label: user.email };
});

afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
  await database.drop();
});

function installation(overrides: Partial<SlackInstallation> = {}): SlackInstallation {
  return {
    teamId: `T${randomBytes(5).toString("hex").toUpperCase()}`,
    teamName: "Acme",
    botUserId: "U0BOT00001",
    appId: "A0APP00001",
    botToken: `xoxb-${randomBytes(8).toString("hex")}`,
    scopes: ["chat:write", "channels:read"],
    ...overrides,
  };
}

function save(input: SlackInstallation, now = new Date()) {
  return saveWorkspaceInstallation({ prisma, installation: input, actor, encryptionKey: key, now });
}

async function jobCount(task: string, payloadKey: string, id: string): Promise<number> {
  const result = await pool.query<{ count: string }>(
    `SELECT count(*)::text AS count FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE t.identifier = $1 AND j.payload->>$2 = $3`,
    [task, payloadKey, id],
  );
  return Number(result.rows[0]!.count);
}

describe("saveWorkspaceInstallation", () => {
  it("maps a new workspace with the token encrypted and audits it", async () => {
    const input = installation();
    const saved = await save(input);

    expect(saved.reinstalled).toBe(false);
    const row = await prisma.slackWorkspace.findUniqueOrThrow({ where: { slackTeamId: input.teamId } });
    expect(row.botTokenEncrypted).not.toContain(input.botToken);
    expect(decryptSecret(row.botTokenEncrypted, key)).toBe(input.botToken);
    expect(row).toMatchObject({ name: "Acme", slackBotUserId: "U0BOT00001", slackAppId: "A0APP00001", scopes: ["chat:write", "channels:read"], status: "active" });
    expect(row.installedByUserId).toBe(actor.userId);
    expect(row.installedBy).toBe("adam.admin@example.com");
    const audit = await prisma.auditLogEntry.findFirstOrThrow({ where: { targetId: row.id } });
    expect(audit.action).toBe("workspace.install");
    expect(JSON.stringify(audit.details)).not.toContain(input.botToken);
  });

  it("reactivates an uninstalled workspace with the new token and re-sends what it held", async () => {
    const first = installation();
    const { workspace } = await save(first, new Date("2026-12-01T10:00:00Z"));
    await prisma.slackWorkspace.update({
      where: { id: workspace.id },
      data: { status: "inactive", statusReason: "The app was uninstalled from Slack", deactivatedAt: new Date("2026-12-02T10:00:00Z") },
    });
    const incident = await prisma.incident.create({
      data: {
        pagerdutyIncidentId: `PINC${randomBytes(4).toString("hex")}`,
        number: 1,
        title: "Checkout errors",
        status: "triggered",
        urgency: "high",
        pagerdutyServiceId: "PSVC",
        serviceName: "Checkout",
        htmlUrl: "https://acme.pagerduty.com/incidents/P1",
        lastChangeAt: new Date(),
      },
    });
    const held = await prisma.incidentMessage.create({ data: { incidentId: incident.id, workspaceId: workspace.id, slackChannelId: "C0HELD0001" } });
    const posted = await prisma.incidentMessage.create({
      data: { incidentId: incident.id, workspaceId: workspace.id, slackChannelId: "C0POSTED01", status: "sent", slackMessageTs: "1.000100", renderedAt: incident.updatedAt },
    });
    const reply = await prisma.threadReply.create({ data: { incidentMessageId: held.id, sourceEventId: "evt-1", text: "Acknowledged" } });

    const second = { ...first, botToken: `xoxb-${randomBytes(8).toString("hex")}`, teamName: "Acme Corp" };
    const saved = await save(second, new Date("2026-12-03T10:00:00Z"));

    expect(saved.reinstalled).toBe(true);
    expect(saved.resent).toEqual({ messages: 1, replies: 1 });
    const row = await prisma.slackWorkspace.findUniqueOrThrow({ where: { id: workspace.id } });
    expect(row).toMatchObject({ status: "active", statusReason: null, deactivatedAt: null, name: "Acme Corp" });
    expect(row.installedAt.toISOString()).toBe("2026-12-03T10:00:00.000Z");
    expect(decryptSecret(row.botTokenEncrypted, key)).toBe(second.botToken);
    expect(await jobCount(TASKS.syncIncidentMessage, "incidentMessageId", held.id)).toBe(1);
    expect(await jobCount(TASKS.syncIncidentMessage, "incidentMessageId", posted.id)).toBe(0);
    expect(await jobCount(TASKS.postThreadReply, "threadReplyId", reply.id)).toBe(1);
    expect(await prisma.auditLogEntry.count({ where: { targetId: workspace.id, action: "workspace.reinstall" } })).toBe(1);
  });

  it("maps a removed workspace again and leaves its extensions disabled", async () => {
    const input = installation();
    const removed = await prisma.slackWorkspace.create({
      data: { slackTeamId: input.teamId, name: "Acme", slackBotUserId: "U0BOT00001", botTokenEncrypted: "", status: "inactive", statusReason: "Removed from Switchboard" },
    });
    const extension = await prisma.slackExtension.create({
      data: {
        name: "SlackV2-Removed",
        pagerdutyServiceId: "PSVC",
        workspaceId: removed.id,
        slackChannelId: "C0REMOVED1",
        slackChannelName: "ops",
        status: "disabled",
        statusReason: "Workspace Acme was removed from Switchboard",
      },
    });

    const saved = await save(input);

    expect(saved.reinstalled).toBe(true);
    const row = await prisma.slackWorkspace.findUniqueOrThrow({ where: { id: removed.id } });
    expect(row.status).toBe("active");
    expect(row.statusReason).toBeNull();
    expect(decryptSecret(row.botTokenEncrypted, key)).toBe(input.botToken);
    expect(await prisma.slackExtension.findUniqueOrThrow({ where: { id: extension.id } })).toMatchObject({ status: "disabled" });
  });

  it("leaves a workspace from the configuration file unchanged", async () => {
    const input = installation();
    const existing = await prisma.slackWorkspace.create({
      data: { slackTeamId: input.teamId, name: "From file", slackBotUserId: "U0FILE0001", botTokenEncrypted: "v1:file:token:x", managedBy: "config" },
    });

    const error = await save(input).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("managed_by_config");
    expect(await prisma.slackWorkspace.findUniqueOrThrow({ where: { id: existing.id } })).toEqual(existing);
    expect(await prisma.auditLogEntry.count({ where: { targetId: existing.id } })).toBe(0);
  });
});
