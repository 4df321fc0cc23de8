import { describe, expect, it } from "vitest";
import { useAppDatabase } from "@/tests/support/database";
import { listExtensionsQuerySchema } from "./schema";

// listExtensions on PostgreSQL with 1,500 extensions: search, sort and paging happen in SQL.

const COUNT = 1_500;

useAppDatabase(async (client) => {
  await client.query(
    `INSERT INTO slack_workspace (id, slack_team_id, name, slack_bot_user_id, bot_token_encrypted, scopes, updated_at)
     VALUES ('00000000-0000-4000-8000-000000000001', 'T0LIST0001', 'Acme', 'U0BOT', 'v1:x:y:z', '{}', now())`,
  );
  // Every 10th extension needs attention; service names cycle through 7 services.
  await client.query(
    `INSERT INTO slack_extension (id, name, pagerduty_service_id, pagerduty_service_name, workspace_id, slack_channel_id, slack_channel_name, status, status_reason, updated_at)
     SELECT gen_random_uuid(), 'ext-' || lpad(i::text, 4, '0'), 'PSVC' || (i % 7), 'Service ' || (i % 7), '00000000-0000-4000-8000-000000000001',
            'C0CHAN' || i, 'channel-' || i, CASE WHEN i % 10 = 0 THEN 'needs_attention'::"ExtensionStatus" ELSE 'working'::"ExtensionStatus" END,
            CASE WHEN i % 10 = 0 THEN 'Invite the bot' END, now()
     FROM generate_series(1, ${COUNT}) AS i`,
  );
});

async function list(query: Record<string, string>) {
  const { getPrisma } = await import("@/lib/db/client");
  const { listExtensions } = await import("./list-extensions");
  return listExtensions({ prisma: getPrisma(), query: listExtensionsQuerySchema.parse(query) });
}

describe("listExtensions", () => {
  it("returns one page of the sorted list with the total", async () => {
    const page = await list({ sort: "name", direction: "desc", page: "2", pageSize: "25" });
    expect(page.total).toBe(COUNT);
    expect(page.items).toHaveLength(25);
    expect(page.items[0]!.name).toBe("ext-1475");
    expect(page.items[24]!.name).toBe("ext-1451");
  });

  it("returns the last, partial page", async () => {
    const page = await list({ sort: "name", page: "15", pageSize: "100" });
    expect(page.items.map((item) => item.name)).toEqual(Array.from({ length: 100 }, (_, index) => `ext-${String(1401 + index).padStart(4, "0")}`));
    expect((await list({ sort: "name", page: "16", pageSize: "100" })).items).toEqual([]);
  });

  it("searches names, services and channels case-insensitively", async () => {
    expect((await list({ query: "EXT-000" })).total).toBe(9);
    expect((await list({ query: "service 3" })).total).toBe(214);
    expect((await list({ query: "channel-1500" })).items.map((item) => item.name)).toEqual(["ext-1500"]);
  });

  it("sorts by status with needing attention after working", async () => {
    const working = await list({ sort: "status", direction: "asc", pageSize: "100" });
    expect(working.items.every((item) => item.status === "working")).toBe(true);
    const attention = await list({ sort: "status", direction: "desc", pageSize: "100" });
    expect(attention.items.every((item) => item.status === "needs_attention")).toBe(true);
    expect(attention.items[0]!.statusReason).toBe("Invite the bot");
  });

  it("sorts by service name, then by extension name", async () => {
    const page = await list({ sort: "service", pageSize: "3" });
    expect(page.items.map((item) => [item.service.name, item.name])).toEqual([
      ["Service 0", "ext-0007"],
      ["Service 0", "ext-0014"],
      ["Service 0", "ext-0021"],
    ]);
  });

  it("answers a page quickly at this size", async () => {
    const started = performance.now();
    await list({ query: "ext", sort: "service", direction: "desc", page: "30", pageSize: "25" });
    // A loose bound: it catches a page that takes seconds, such as one query per row, not small slowdowns.
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
