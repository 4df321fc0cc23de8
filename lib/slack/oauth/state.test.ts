import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/support/database";
import { PrismaClient } from "../../db/generated/client";
import { consumeOAuthState, createOAuthState, hashOAuthState, OAUTH_STATE_TTL_MS, SLACK_INSTALL_PURPOSE } from "./state";

let database: TestDatabase;
let prisma: PrismaClient;
let admin: string;
let otherAdmin: string;
const start = new Date("2026-12-01T10:00:00.000Z");

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url }) });
  admin = (await prisma.user.create({ data: { email: "admin@example.com", name: "Admin" } })).id;
  otherAdmin = (await prisma.user.create({ data: { email: "other@example.com", name: "Other" } })).id;
});

afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

function newState() {
  return createOAuthState({ prisma, userId: admin, purpose: SLACK_INSTALL_PURPOSE, returnTo: "/workspaces", now: start });
}

function consume(state: string | null, options: { userId?: string; now?: Date; purpose?: string } = {}) {
  return consumeOAuthState({ prisma, state, userId: options.userId ?? admin, purpose: options.purpose ?? SLACK_INSTALL_PURPOSE, now: options.now ?? start });
}

describe("OAuth state", () => {
  it("stores only the hash, bound to the user, for ten minutes", async () => {
    const { state, expiresAt } = await newState();
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await prisma.oAuthState.findUnique({ where: { stateHash: state } })).toBeNull();
    const row = await prisma.oAuthState.findUniqueOrThrow({ where: { stateHash: hashOAuthState(state) } });
    expect(row.userId).toBe(admin);
    expect(row.expiresAt.getTime() - start.getTime()).toBe(OAUTH_STATE_TTL_MS);
    expect(expiresAt).toEqual(row.expiresAt);
  });

  it("is accepted once for the same user", async () => {
    const { state } = await newState();
    expect(await consume(state)).toEqual({ ok: true, returnTo: "/workspaces" });
    expect(await consume(state)).toEqual({ ok: false, problem: "state_used" });
  });

  it("is rejected for another user and then used up", async () => {
    const { state } = await newState();
    expect(await consume(state, { userId: otherAdmin })).toEqual({ ok: false, problem: "state_other_user" });
    expect(await consume(state)).toEqual({ ok: false, problem: "state_used" });
  });

  it("expires after ten minutes", async () => {
    const { state } = await newState();
    expect(await consume(state, { now: new Date(start.getTime() + OAUTH_STATE_TTL_MS) })).toEqual({ ok: false, problem: "state_expired" });
  });

  it("is accepted just before it expires", async () => {
    const { state } = await newState();
    expect((await consume(state, { now: new Date(start.getTime() + OAUTH_STATE_TTL_MS - 1) })).ok).toBe(true);
  });

  it.each([
    ["missing", null, "state_missing"],
    ["empty", "", "state_missing"],
    ["unknown", "made-up-state", "state_unknown"],
  ] as const)("rejects a %s state", async (_case, state, problem) => {
    expect(await consume(state)).toEqual({ ok: false, problem });
  });

  it("rejects a state made for another purpose", async () => {
    const { state } = await newState();
    expect(await consume(state, { purpose: "something_else" })).toEqual({ ok: false, problem: "state_unknown" });
  });

  it("lets one of two racing callbacks win", async () => {
    const { state } = await newState();
    const results = await Promise.all([consume(state), consume(state), consume(state)]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
  });
});
