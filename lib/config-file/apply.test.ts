import { randomBytes } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../tests/support/database";
import { decryptSecret } from "../crypto/secret-box";
import { PrismaClient } from "../db/generated/client";
import { applyConfigFile } from "./apply";
import { ConfigFileError, parseConfigText } from "./load";

const key = randomBytes(32);
const log = pino({ level: "silent" });
let database: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url }) });
});

afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

const text = JSON.stringify({
  workspaces: [{ teamId: "T0APPLY01", name: "Acme", botToken: "${BOT_TOKEN}", botUserId: "U0BOT0001" }],
  extensions: [{ name: "SlackV2-Checkout", serviceId: "PSVC1", teamId: "T0APPLY01", channelId: "C0APPLY01", channelName: "incidents", updates: ["resolve", "notes"] }],
  userLinks: [{ teamId: "T0APPLY01", slackUserId: "U0JANE001", pagerdutyUserId: "PJANE01", email: "jane@example.com" }],
});

function apply(source = text, env: Record<string, string> = { BOT_TOKEN: "xoxb-first" }) {
  return applyConfigFile({ prisma, config: parseConfigText(source, "switchboard.json", env), encryptionKey: key, file: "switchboard.json", log });
}

async function snapshot() {
  return {
    workspaces: await prisma.slackWorkspace.findMany({ orderBy: { slackTeamId: "asc" } }),
    extensions: await prisma.slackExtension.findMany({ orderBy: { name: "asc" } }),
    links: await prisma.linkedUser.findMany({ orderBy: { slackUserId: "asc" } }),
  };
}

describe("applyConfigFile", () => {
  it("creates the listed records, marked as managed by the file, with the token encrypted", async () => {
    expect(await apply()).toEqual({ created: 3, updated: 0, unchanged: 0 });
    const { workspaces, extensions, links } = await snapshot();
    expect(workspaces).toHaveLength(1);
    expect(workspaces[0]!.managedBy).toBe("config");
    expect(workspaces[0]!.botTokenEncrypted).not.toContain("xoxb-first");
    expect(decryptSecret(workspaces[0]!.botTokenEncrypted, key)).toBe("xoxb-first");
    expect(extensions[0]).toMatchObject({ name: "SlackV2-Checkout", notifyResolve: true, notifyNotes: true, notifyAcknowledge: false, notifyEscalate: false, notifyReassign: false, managedBy: "config" });
    expect(links[0]).toMatchObject({ slackUserId: "U0JANE001", pagerdutyUserId: "PJANE01", pagerdutyEmail: "jane@example.com" });
  });

  it("changes nothing when the same file is applied again", async () => {
    const before = await snapshot();
    expect(await apply()).toEqual({ created: 0, updated: 0, unchanged: 3 });
    expect(await snapshot()).toEqual(before);
  });

  it("updates a changed token and toggle, and leaves records it no longer lists alone", async () => {
    await prisma.slackExtension.create({
      data: { name: "Made in the app", pagerdutyServiceId: "PSVC9", workspaceId: (await prisma.slackWorkspace.findFirstOrThrow()).id, slackChannelId: "C0OTHER01", slackChannelName: "other" },
    });
    const changed = text.replace('"updates":["resolve","notes"]', '"updates":["acknowledge"]');
    expect(await apply(changed, { BOT_TOKEN: "xoxb-second" })).toEqual({ created: 0, updated: 2, unchanged: 1 });
    const { workspaces, extensions } = await snapshot();
    expect(decryptSecret(workspaces[0]!.botTokenEncrypted, key)).toBe("xoxb-second");
    expect(extensions.map((extension) => [extension.name, extension.notifyAcknowledge, extension.notifyResolve])).toEqual([
      ["Made in the app", true, true],
      ["SlackV2-Checkout", true, false],
    ]);

    const withoutLinks = JSON.stringify({ ...JSON.parse(changed), userLinks: [] });
    await apply(withoutLinks, { BOT_TOKEN: "xoxb-second" });
    expect((await snapshot()).links).toHaveLength(1);
  });

  it("names the extension whose workspace is unknown and writes nothing", async () => {
    const before = await snapshot();
    const orphan = JSON.stringify({ extensions: [{ name: "Orphan", serviceId: "PS", teamId: "T0NOWHERE", channelId: "C0X", channelName: "x" }] });
    await expect(apply(orphan)).rejects.toThrow(ConfigFileError);
    await expect(apply(orphan)).rejects.toThrow(/extensions\[0\] \(name "Orphan"\)\.teamId: no workspace T0NOWHERE/);
    expect(await snapshot()).toEqual(before);
  });
});
