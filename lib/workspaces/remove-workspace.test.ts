import { randomBytes } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../tests/support/database";
import { PrismaClient } from "../db/generated/client";
import { AppError } from "../errors";
import { listWorkspaces } from "./list-workspaces";
import { removeWorkspace } from "./remove-workspace";

let database: TestDatabase;
let prisma: PrismaClient;
const actor = { userId: null, label: "olivia.owner@example.com" };
const now = new Date("2026-12-04T09:30:00Z");

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url }) });
});

afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

async function createWorkspace(managedBy: string | null = null) {
  return prisma.slackWorkspace.create({
    data: {
      slackTeamId: `T${randomBytes(5).toString("hex").toUpperCase()}`,
      name: "Acme",
      slackBotUserId: "U0BOT00001",
      botTokenEncrypted: "v1:iv:tag:ciphertext",
      scopes: ["chat:write"],
      managedBy,
    },
  });
}

async function createExtension(workspaceId: string, name: string) {
  return prisma.slackExtension.create({
    data: { name, pagerdutyServiceId: "PSVC", workspaceId, slackChannelId: "C0CHANNEL1", slackChannelName: "incidents" },
  });
}

async function removalError(workspaceId: string): Promise<AppError> {
  const error = await removeWorkspace({ prisma, workspaceId, actor, now }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("removeWorkspace", () => {
  it("disables the extensions with the reason and erases the token", async () => {
    const workspace = await createWorkspace();
    const extensions = [await createExtension(workspace.id, "SlackV2-Checkout"), await createExtension(workspace.id, "SlackV2-Search")];

    const removed = await removeWorkspace({ prisma, workspaceId: workspace.id, actor, now });

    expect(removed).toEqual({ id: workspace.id, name: "Acme", disabledExtensions: 2, deleted: false });
    for (const extension of extensions) {
      const after = await prisma.slackExtension.findUniqueOrThrow({ where: { id: extension.id } });
      expect(after.status).toBe("disabled");
      expect(after.statusReason).toBe("Workspace Acme was removed from Switchboard");
    }
    const row = await prisma.slackWorkspace.findUniqueOrThrow({ where: { id: workspace.id } });
    expect(row.botTokenEncrypted).toBe("");
    expect(row.status).toBe("inactive");
    expect(row.statusReason).toBe("Removed from Switchboard by olivia.owner@example.com on 2026-12-04 09:30 UTC. Install the app into this workspace again to map it.");
    const audit = await prisma.auditLogEntry.findFirstOrThrow({ where: { targetId: workspace.id } });
    expect(audit).toMatchObject({ action: "workspace.remove", actorLabel: "olivia.owner@example.com" });

    const listed = (await listWorkspaces(prisma)).find((summary) => summary.id === workspace.id);
    expect(listed).toMatchObject({ state: "removed", extensionCount: 2 });
  });

  it("deletes a workspace that nothing refers to", async () => {
    const workspace = await createWorkspace();
    const removed = await removeWorkspace({ prisma, workspaceId: workspace.id, actor, now });
    expect(removed.deleted).toBe(true);
    expect(await prisma.slackWorkspace.findUnique({ where: { id: workspace.id } })).toBeNull();
    expect(await prisma.auditLogEntry.count({ where: { targetId: workspace.id, action: "workspace.remove" } })).toBe(1);
  });

  it("refuses a workspace from the configuration file and changes nothing", async () => {
    const workspace = await createWorkspace("config");
    const extension = await createExtension(workspace.id, "SlackV2-Config");

    expect((await removalError(workspace.id)).code).toBe("managed_by_config");
    expect(await prisma.slackWorkspace.findUniqueOrThrow({ where: { id: workspace.id } })).toEqual(workspace);
    expect(await prisma.slackExtension.findUniqueOrThrow({ where: { id: extension.id } })).toEqual(extension);
    expect(await prisma.auditLogEntry.count({ where: { targetId: workspace.id } })).toBe(0);
  });

  it("reports a workspace removed before as not found", async () => {
    const workspace = await createWorkspace();
    await createExtension(workspace.id, "SlackV2-Twice");
    await removeWorkspace({ prisma, workspaceId: workspace.id, actor, now });
    expect((await removalError(workspace.id)).code).toBe("not_found");
    expect(await prisma.auditLogEntry.count({ where: { targetId: workspace.id } })).toBe(1);
  });

  it("reports an unknown id as not found", async () => {
    expect((await removalError("00000000-0000-4000-8000-000000000000")).code).toBe("not_found");
  });
});

describe("listWorkspaces", () => {
  it("lists the scopes an installation lacks and never the token", async () => {
    const workspace = await createWorkspace();
    const listed = (await listWorkspaces(prisma)).find((summary) => summary.id === workspace.id)!;
    expect(listed.state).toBe("active");
    expect(listed.missingScopes).toContain("users:read.email");
    expect(listed.missingScopes).not.toContain("chat:write");
    expect(JSON.stringify(listed)).not.toContain("ciphertext");
  });
});
