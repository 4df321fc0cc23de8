import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PEOPLE, SLACK_BOT } from "../../sandbox/seed";
import { inviteToChannel, INVITE_BATCH_SIZE } from "./invite";
import { listSlackChannels, searchChannels } from "./list-channels";
import { startChannelBench, type ChannelBench } from "./testing";

let bench: ChannelBench;

beforeAll(async () => {
  bench = await startChannelBench();
}, 60_000);

afterAll(async () => {
  await bench?.close();
});

async function control(path: string, body: unknown) {
  const response = await fetch(`${bench.slack.url}/_sandbox${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  expect(response.ok).toBe(true);
}

async function calls(method: string): Promise<{ args: Record<string, unknown>; response: { response_metadata?: { next_cursor?: string }; channels?: unknown[] } }[]> {
  const response = await fetch(`${bench.slack.url}/_sandbox/calls?method=${method}`);
  return ((await response.json()) as { calls: never[] }).calls;
}

describe("listSlackChannels", () => {
  it("follows cursors through short and empty pages", async () => {
    for (let index = 0; index < 5; index++) await bench.botClient.conversations.create({ name: `list-page-${index}` });
    const hidden = await bench.botClient.conversations.create({ name: "list-page-archived" });
    await bench.botClient.conversations.archive({ channel: hidden.channel!.id! });
    await fetch(`${bench.slack.url}/_sandbox/calls`, { method: "DELETE" });
    await control("/pagination", { maxPageSize: 1, emptyPages: 2 });

    const channels = await listSlackChannels(bench.botClient);
    await control("/pagination", { maxPageSize: null, emptyPages: 0 });

    const names = channels.map((channel) => channel.name);
    for (let index = 0; index < 5; index++) expect(names).toContain(`list-page-${index}`);
    expect(names).toContain("incidents");
    expect(names).not.toContain("list-page-archived");
    // The bot is not in #security-private, so Slack does not show it.
    expect(names).not.toContain("security-private");

    const pages = await calls("conversations.list");
    const emptyWithCursor = pages.filter((page) => (page.response.channels ?? []).length === 0 && page.response.response_metadata?.next_cursor);
    expect(emptyWithCursor.length).toBeGreaterThanOrEqual(2);
    expect(pages.length).toBeGreaterThan(channels.length);
    expect(pages.at(-1)?.response.response_metadata?.next_cursor ?? "").toBe("");
  });

  it("lists archived channels when asked", async () => {
    const channels = await listSlackChannels(bench.botClient, { includeArchived: true });
    expect(channels.find((channel) => channel.name === "list-page-archived")?.isArchived).toBe(true);
  });
});

describe("searchChannels", () => {
  const channel = (name: string) => ({ id: name, name, isPrivate: false, isArchived: false, isMember: true, creator: null, created: null });

  it("puts prefix matches first", () => {
    const found = searchChannels([channel("db-alerts"), channel("alerts"), channel("zeta-alerts-x"), channel("general")], "#Alerts", 10);
    expect(found.map((item) => item.name)).toEqual(["alerts", "db-alerts", "zeta-alerts-x"]);
  });

  it("limits the result", () => {
    expect(searchChannels([channel("b"), channel("a"), channel("c")], "", 2).map((item) => item.name)).toEqual(["a", "b"]);
  });
});

describe("inviteToChannel", () => {
  it("invites over 100 users in batches", async () => {
    const created = await bench.botClient.conversations.create({ name: "many-invites" });
    const channelId = created.channel!.id!;
    const seeded = PEOPLE.filter((person) => person.slackUserId).map((person) => person.slackUserId);
    // Users Slack does not know fill the list past 100; with force, Slack adds the valid ones.
    const unknown = Array.from({ length: 240 }, (_, index) => `U9UNKNOWN${String(index).padStart(3, "0")}`);
    const userIds = [...unknown.slice(0, 120), ...seeded, ...unknown.slice(120), SLACK_BOT.userId, seeded[0]!];
    await fetch(`${bench.slack.url}/_sandbox/calls`, { method: "DELETE" });

    const result = await inviteToChannel(bench.botClient, { channelId, userIds, botUserId: SLACK_BOT.userId });

    const inviteCalls = await calls("conversations.invite");
    const batches = inviteCalls.map((call) => String(call.args.users).split(","));
    const distinct = unknown.length + seeded.length;
    expect(batches).toHaveLength(Math.ceil(distinct / INVITE_BATCH_SIZE));
    for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(INVITE_BATCH_SIZE);
    expect(new Set(batches.flat()).size).toBe(distinct);
    expect(batches.flat()).not.toContain(SLACK_BOT.userId);
    expect(inviteCalls.every((call) => String(call.args.force) === "true")).toBe(true);

    const members = ((await (await fetch(`${bench.slack.url}/_sandbox/channels`)).json()) as { channels: { id: string; members: string[] }[] }).channels.find(
      (channel) => channel.id === channelId,
    )!.members;
    for (const userId of seeded) expect(members).toContain(userId);
    expect(result.invited).toEqual(expect.arrayContaining(seeded));
  });

  it("reports per-user errors without failing the rest", async () => {
    const created = await bench.botClient.conversations.create({ name: "partial-invites" });
    bench.failNext("conversations.invite", "user_not_found", { extra: { errors: [{ user: "U9GONE0001", ok: false, error: "user_not_found" }] } });

    // The app's own client goes through the bench's proxy, which returns the injected error.
    const { slackClientFor } = await import("../slack/client");
    const client = slackClientFor(bench.workspace);

    const result = await inviteToChannel(client, { channelId: created.channel!.id!, userIds: ["U0ROSA0001", "U9GONE0001"], botUserId: SLACK_BOT.userId });

    expect(result.failed).toEqual([{ userId: "U9GONE0001", error: "user_not_found" }]);
    expect(result.invited).toEqual(["U0ROSA0001"]);
  });

  it("throws an error about the channel", async () => {
    const created = await bench.botClient.conversations.create({ name: "archived-invites" });
    await bench.botClient.conversations.archive({ channel: created.channel!.id! });

    await expect(inviteToChannel(bench.botClient, { channelId: created.channel!.id!, userIds: ["U0ROSA0001"], botUserId: SLACK_BOT.userId })).rejects.toThrow(/is_archived/);
  });
});
