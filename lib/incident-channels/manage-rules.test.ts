import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { channelRulesSchema, DEFAULT_CHANNEL_RULES } from "./manage-rules";
import { startChannelBench, type ChannelBench } from "./testing";

const actor = { userId: null, label: "admin@example.com" };
let bench: ChannelBench;

beforeAll(async () => {
  bench = await startChannelBench();
}, 60_000);

afterAll(async () => {
  await bench?.close();
});

async function createExtension(managedBy: string | null = null) {
  const suffix = Math.random().toString(36).slice(2, 8);
  return bench.prisma.slackExtension.create({
    data: { name: `rules-${suffix}`, pagerdutyServiceId: "P0SVCCHK", workspaceId: bench.workspace.id, slackChannelId: "C0INCIDENT", slackChannelName: "incidents", managedBy },
  });
}

describe("channelRulesSchema", () => {
  it("accepts the defaults", () => {
    expect(channelRulesSchema.safeParse(DEFAULT_CHANNEL_RULES).success).toBe(true);
  });

  it("rejects an unknown placeholder", () => {
    const result = channelRulesSchema.safeParse({ ...DEFAULT_CHANNEL_RULES, nameTemplate: "inc-{id}" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain("{id}");
  });

  it("bounds the archive delay", () => {
    expect(channelRulesSchema.safeParse({ ...DEFAULT_CHANNEL_RULES, archiveAfterDays: -1 }).success).toBe(false);
    expect(channelRulesSchema.safeParse({ ...DEFAULT_CHANNEL_RULES, archiveAfterDays: 366 }).success).toBe(false);
    expect(channelRulesSchema.safeParse({ ...DEFAULT_CHANNEL_RULES, archiveAfterDays: 1.5 }).success).toBe(false);
    expect(channelRulesSchema.safeParse({ ...DEFAULT_CHANNEL_RULES, archiveAfterDays: 0 }).success).toBe(true);
  });
});

describe("saveChannelRules", () => {
  it("saves, audits and reads back", async () => {
    const { getChannelRules, saveChannelRules } = await import("./manage-rules");
    const extension = await createExtension();
    expect((await getChannelRules(bench.prisma, extension.id)).saved).toBe(false);

    const rules = { nameTemplate: "{service}-{number}", autoCreateHighUrgency: true, autoCreatePriorities: ["P1", "P1", "P2"], autoCreatePrivate: true, archiveAfterDays: 3 };
    const view = await saveChannelRules({ prisma: bench.prisma, extensionId: extension.id, rules, actor });

    expect(view.saved).toBe(true);
    expect(view.rules).toEqual({ ...rules, autoCreatePriorities: ["P1", "P2"] });
    const audit = await bench.prisma.auditLogEntry.findFirst({ where: { targetId: extension.id, action: "extension.channel_rules.update" } });
    expect(audit?.actorLabel).toBe(actor.label);
    expect(audit?.details).toMatchObject({ before: null, after: { archiveAfterDays: 3 } });
  });

  it("rejects a config-managed extension", async () => {
    const { saveChannelRules } = await import("./manage-rules");
    const extension = await createExtension("config");

    const error = await saveChannelRules({ prisma: bench.prisma, extensionId: extension.id, rules: DEFAULT_CHANNEL_RULES, actor }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("managed_by_config");
    expect(await bench.prisma.incidentChannelRule.count({ where: { extensionId: extension.id } })).toBe(0);
    expect(await bench.prisma.auditLogEntry.count({ where: { targetId: extension.id } })).toBe(0);
  });
});
