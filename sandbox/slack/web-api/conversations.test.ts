import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BOT_TOKEN, silentSlackLogger, startTestFake, type TestFake } from "../test-support";

let sandbox: TestFake;
let slack: WebClient;

const INCIDENTS = "C0INCIDENT";
const GENERAL = "C0GENERAL1";
const SECURITY = "C0SECURITY";
const ROSA = "U0ROSA0001";
const SAM = "U0SAM00001";

async function slackError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const data = (error as { data?: { error?: string } }).data;
    if (data?.error) return data.error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  sandbox = await startTestFake();
  slack = new WebClient(BOT_TOKEN, { slackApiUrl: sandbox.fake.apiUrl, retryConfig: { retries: 0 }, logger: silentSlackLogger });
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(async () => {
  await sandbox.control("/reset", {});
});

describe("conversations.list", () => {
  it("lists public channels by default", async () => {
    const result = await slack.conversations.list();
    expect(result.channels?.map((channel) => channel.id)).toEqual(["C0INCIDENT", "C0PLATFORM", "C0GENERAL1", "C0SUPPORT1", "C0WARROOM1", "C0RANDOM01"]);
    expect(result.response_metadata?.next_cursor).toBe("");
  });

  it("adds private channels the bot is in", async () => {
    const created = await slack.conversations.create({ name: "war-room-42", is_private: true });
    const result = await slack.conversations.list({ types: "public_channel,private_channel" });
    const ids = result.channels?.map((channel) => channel.id) ?? [];
    expect(ids).toContain(created.channel?.id);
    expect(ids).not.toContain(SECURITY);
  });

  it("pages with cursors", async () => {
    const first = await slack.conversations.list({ limit: 2 });
    expect(first.channels).toHaveLength(2);
    const cursor = first.response_metadata?.next_cursor;
    expect(cursor).toBeTruthy();
    const second = await slack.conversations.list({ limit: 2, cursor: String(cursor) });
    expect(second.channels?.map((channel) => channel.id)).toEqual([GENERAL, "C0SUPPORT1"]);
    expect(second.response_metadata?.next_cursor).toBeTruthy();
    const third = await slack.conversations.list({ limit: 2, cursor: String(second.response_metadata?.next_cursor) });
    expect(third.channels?.map((channel) => channel.id)).toEqual(["C0WARROOM1", "C0RANDOM01"]);
    expect(third.response_metadata?.next_cursor).toBe("");
  });

  it("can return short and empty pages that still carry a cursor", async () => {
    await sandbox.control("/pagination", { maxPageSize: 1, emptyPages: 2 });
    const pages: number[] = [];
    const ids: string[] = [];
    for await (const page of slack.paginate("conversations.list", { limit: 100 })) {
      const channels = ((page as { channels?: Array<{ id: string }> }).channels ?? []);
      pages.push(channels.length);
      ids.push(...channels.map((channel) => channel.id));
    }
    expect(pages).toEqual([0, 0, 1, 1, 1, 1, 1, 1]);
    expect(ids).toEqual(["C0INCIDENT", "C0PLATFORM", "C0GENERAL1", "C0SUPPORT1", "C0WARROOM1", "C0RANDOM01"]);
  });

  it("excludes archived channels on request", async () => {
    const created = await slack.conversations.create({ name: "archive-me" });
    await slack.conversations.archive({ channel: String(created.channel?.id) });
    const all = await slack.conversations.list();
    const active = await slack.conversations.list({ exclude_archived: true });
    expect(all.channels?.map((channel) => channel.id)).toContain(created.channel?.id);
    expect(active.channels?.map((channel) => channel.id)).not.toContain(created.channel?.id);
  });

  it.each([
    [{ cursor: "bm9wZQ==" }, "invalid_cursor"],
    [{ limit: 1000 }, "invalid_limit"],
    [{ types: "public_channel,secret" }, "invalid_types"],
  ])("rejects %o", async (args, expected) => {
    expect(await slackError(slack.conversations.list(args as never))).toBe(expected);
  });
});

describe("conversations.create", () => {
  it("creates a channel with the bot as member", async () => {
    const result = await slack.conversations.create({ name: "inc-2024-checkout" });
    expect(result.channel?.id).toMatch(/^C[A-Z0-9]{8,}$/);
    expect(result.channel?.name).toBe("inc-2024-checkout");
    expect(result.channel?.is_member).toBe(true);
    expect(result.channel?.is_private).toBe(false);
  });

  it.each([
    ["", "invalid_name_required"],
    ["a".repeat(81), "invalid_name_maxlength"],
    ["Upper-Case", "invalid_name_specials"],
    ["has space", "invalid_name_specials"],
    ["---", "invalid_name_punctuation"],
    ["incidents", "name_taken"],
  ])("rejects the name %j with %s", async (name, expected) => {
    expect(await slackError(slack.conversations.create({ name }))).toBe(expected);
  });

  it("accepts an 80-character name", async () => {
    expect((await slack.conversations.create({ name: "a".repeat(80) })).ok).toBe(true);
  });

  it("keeps an archived channel's name taken", async () => {
    const created = await slack.conversations.create({ name: "reused-name" });
    await slack.conversations.archive({ channel: String(created.channel?.id) });
    expect(await slackError(slack.conversations.create({ name: "reused-name" }))).toBe("name_taken");
  });
});

describe("conversations.invite, join, archive, members", () => {
  it("invites people to a channel", async () => {
    const created = await slack.conversations.create({ name: "inc-invite" });
    const channel = String(created.channel?.id);
    await slack.conversations.invite({ channel, users: `${ROSA},${SAM}` });
    const members = await slack.conversations.members({ channel });
    expect(members.members?.sort()).toEqual([SAM, ROSA, "U0SWITCHBD"].sort());
  });

  it.each([
    [`${ROSA}`, "already_in_channel"],
    ["U0SWITCHBD", "cant_invite_self"],
    ["U0NOBODY00", "user_not_found"],
  ])("rejects inviting %s with %s", async (users, expected) => {
    expect(await slackError(slack.conversations.invite({ channel: INCIDENTS, users }))).toBe(expected);
  });

  it("rejects more than 100 users", async () => {
    const users = Array.from({ length: 101 }, (_, index) => `U${String(index).padStart(9, "0")}`).join(",");
    expect(await slackError(slack.conversations.invite({ channel: INCIDENTS, users }))).toBe("too_many_users");
  });

  it("rejects inviting to a channel the bot is not in", async () => {
    expect(await slackError(slack.conversations.invite({ channel: GENERAL, users: ROSA }))).toBe("not_in_channel");
  });

  it("joins a public channel once", async () => {
    const joined = await slack.conversations.join({ channel: GENERAL });
    expect(joined.channel?.is_member).toBe(true);
    const again = await slack.conversations.join({ channel: GENERAL });
    expect(again.warning).toBe("already_in_channel");
  });

  it("cannot join a private channel", async () => {
    expect(await slackError(slack.conversations.join({ channel: SECURITY }))).toBe("channel_not_found");
  });

  it("archives a channel once and never #general", async () => {
    const created = await slack.conversations.create({ name: "inc-archive" });
    const channel = String(created.channel?.id);
    expect((await slack.conversations.archive({ channel })).ok).toBe(true);
    expect(await slackError(slack.conversations.archive({ channel }))).toBe("already_archived");
    await slack.conversations.join({ channel: GENERAL });
    expect(await slackError(slack.conversations.archive({ channel: GENERAL }))).toBe("cant_archive_general");
  });

  it("pages conversations.members", async () => {
    const first = await slack.conversations.members({ channel: INCIDENTS, limit: 4 });
    expect(first.members).toHaveLength(4);
    const all: string[] = [];
    for await (const page of slack.paginate("conversations.members", { channel: INCIDENTS, limit: 4 })) all.push(...((page as { members?: string[] }).members ?? []));
    expect(all).toHaveLength(10);
    expect(new Set(all).size).toBe(10);
  });
});

describe("team.info", () => {
  it("describes the workspace", async () => {
    const result = await slack.team.info();
    expect(result.team).toMatchObject({ id: "T0SANDBOX1", name: "Sandbox Workspace", domain: "sandbox" });
  });

  it("rejects another team with team_not_found", async () => {
    expect(await slackError(slack.team.info({ team: "T0OTHER000" }))).toBe("team_not_found");
  });
});
