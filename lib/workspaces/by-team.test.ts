import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../tests/support/database";
import { PrismaClient } from "../db/generated/client";
import { findWorkspaceByTeamId } from "./by-team";

let database: TestDatabase;
let prisma: PrismaClient;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url }) });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
});

afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
  await database.drop();
});

describe("findWorkspaceByTeamId", () => {
  it("returns what Prisma returns for the same workspace, every field included", async () => {
    const user = await prisma.user.create({ data: { email: "ines.installer@example.com", name: "Ines Installer" } });
    await prisma.slackWorkspace.create({
      data: {
        slackTeamId: "T0BYTEAM01",
        name: "Acme",
        slackBotUserId: "U0BOT00001",
        botTokenEncrypted: "v1:ciphertext",
        scopes: ["chat:write", "commands"],
        status: "inactive",
        statusReason: "The app was uninstalled",
        installedBy: user.email,
        installedByUserId: user.id,
        managedBy: "config",
        deactivatedAt: new Date("2026-11-02T08:30:00.123Z"),
        slackAppId: "A0APP00001",
      },
    });

    const expected = await prisma.slackWorkspace.findUnique({ where: { slackTeamId: "T0BYTEAM01" } });
    expect(expected).not.toBeNull();
    expect(await findWorkspaceByTeamId(pool, "T0BYTEAM01")).toStrictEqual(expected);
  });

  it("returns null for a team that is not mapped", async () => {
    expect(await findWorkspaceByTeamId(pool, "T0UNMAPPED")).toBeNull();
  });
});
