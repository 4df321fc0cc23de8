import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakePagerDuty, type FakePagerDuty } from "../../sandbox/pagerduty/server";
import { createTestDatabase, type TestDatabase } from "../../tests/support/database";
import { closeDatabaseClients, getPrisma } from "../db/client";
import type { PrismaClient } from "../db/generated/client";
import { hashPassword } from "./password";
import { signInWithPassword } from "./password-sign-in";
import { signInWithSlack } from "./slack-sign-in";

// Both sign-in paths against a real database and the fake PagerDuty, which has a user for each
// PagerDuty role (sandbox/seed.ts). The app modules read DATABASE_URL and PAGERDUTY_* at first use.

const PASSWORD = "correct horse battery staple";
const MAPPED_TEAM = "T0MAPPED01";
const savedEnv = { ...process.env };
let database: TestDatabase;
let pagerduty: FakePagerDuty;
let prisma: PrismaClient;

beforeAll(async () => {
  database = await createTestDatabase();
  pagerduty = await startFakePagerDuty({ port: 0, apiToken: "pd-unit-token", logger: pino({ level: "silent" }) });
  process.env.DATABASE_URL = database.url;
  process.env.PAGERDUTY_API_URL = pagerduty.url;
  process.env.PAGERDUTY_API_TOKEN = "pd-unit-token";
  prisma = getPrisma();
  await prisma.slackWorkspace.create({
    data: { slackTeamId: MAPPED_TEAM, name: "Mapped", slackBotUserId: "U0BOT", botTokenEncrypted: "not-used-here" },
  });
}, 60_000);

afterAll(async () => {
  await closeDatabaseClients();
  await pagerduty.close();
  await database.drop();
  process.env = savedEnv;
});

function claims(overrides: Record<string, unknown> = {}) {
  return {
    sub: "U0ROSA0001",
    email: "rosa.responder@example.com",
    email_verified: true,
    name: "Rosa Responder",
    "https://slack.com/team_id": MAPPED_TEAM,
    "https://slack.com/user_id": "U0ROSA0001",
    ...overrides,
  };
}

describe("signInWithPassword", () => {
  beforeEach(async () => {
    await prisma.user.deleteMany({ where: { email: { in: ["oscar.observer@example.com", "nobody-pd@example.com"] } } });
  });

  it("signs in and reads the PagerDuty role by email", async () => {
    await prisma.user.create({ data: { email: "oscar.observer@example.com", name: "Oscar", passwordHash: await hashPassword(PASSWORD) } });
    const result = await signInWithPassword({ prisma, email: "oscar.observer@example.com", password: PASSWORD });
    expect(result.ok).toBe(true);
    const stored = await prisma.user.findUniqueOrThrow({ where: { email: "oscar.observer@example.com" } });
    expect(stored.pagerdutyRole).toBe("observer");
    expect(stored.pagerdutyUserId).toBe("P0OSCAR");
    expect(stored.roleCheckedAt).not.toBeNull();
    expect(stored.lastSignInAt).not.toBeNull();
  });

  it("rejects a wrong password and an unknown email alike", async () => {
    await prisma.user.create({ data: { email: "oscar.observer@example.com", name: "Oscar", passwordHash: await hashPassword(PASSWORD) } });
    expect(await signInWithPassword({ prisma, email: "oscar.observer@example.com", password: "wrong password!" })).toEqual({ ok: false, reason: "CredentialsSignin" });
    expect(await signInWithPassword({ prisma, email: "nobody-pd@example.com", password: PASSWORD })).toEqual({ ok: false, reason: "CredentialsSignin" });
    const stored = await prisma.user.findUniqueOrThrow({ where: { email: "oscar.observer@example.com" } });
    expect(stored.lastSignInAt).toBeNull();
  });

  it("reports a disabled account only after the password matched", async () => {
    await prisma.user.create({ data: { email: "oscar.observer@example.com", name: "Oscar", passwordHash: await hashPassword(PASSWORD), disabledAt: new Date() } });
    expect(await signInWithPassword({ prisma, email: "oscar.observer@example.com", password: "wrong password!" })).toEqual({ ok: false, reason: "CredentialsSignin" });
    expect(await signInWithPassword({ prisma, email: "oscar.observer@example.com", password: PASSWORD })).toEqual({ ok: false, reason: "AccountDisabled" });
  });
});

describe("signInWithSlack", () => {
  beforeEach(async () => {
    await prisma.auditLogEntry.deleteMany();
    await prisma.user.deleteMany({ where: { email: { in: ["rosa.responder@example.com", "adam.admin@example.com", "stranger@example.com"] } } });
  });

  it("creates a member of a mapped workspace with their PagerDuty role", async () => {
    const result = await signInWithSlack({ prisma, claims: claims() });
    if (!result.ok) throw new Error(`Slack sign-in was rejected: ${result.reason}`);
    expect(result.created).toBe(true);
    const stored = await prisma.user.findUniqueOrThrow({ where: { email: "rosa.responder@example.com" } });
    expect(stored.slackTeamId).toBe(MAPPED_TEAM);
    expect(stored.slackUserId).toBe("U0ROSA0001");
    expect(stored.passwordHash).toBeNull();
    expect(stored.pagerdutyRole).toBe("user");
    expect(stored.pagerdutyUserId).toBe("P0ROSA1");
    const audit = await prisma.auditLogEntry.findMany({ where: { targetId: stored.id } });
    expect(audit.map((entry) => entry.action)).toEqual(["user.create"]);
  });

  it("creates a PagerDuty user from an unmapped workspace", async () => {
    const result = await signInWithSlack({ prisma, claims: claims({ email: "Adam.Admin@example.com", "https://slack.com/team_id": "T0ELSEWHERE", "https://slack.com/user_id": "U0ADAM0001" }) });
    expect(result.ok).toBe(true);
    const stored = await prisma.user.findUniqueOrThrow({ where: { email: "adam.admin@example.com" } });
    expect(stored.pagerdutyRole).toBe("admin");
    expect(stored.slackTeamId).toBe("T0ELSEWHERE");
  });

  it("rejects a stranger from an unmapped workspace", async () => {
    const result = await signInWithSlack({ prisma, claims: claims({ email: "stranger@example.com", "https://slack.com/team_id": "T0ELSEWHERE" }) });
    expect(result).toEqual({ ok: false, reason: "SlackNotAllowed" });
    expect(await prisma.user.count({ where: { email: "stranger@example.com" } })).toBe(0);
  });

  it("rejects an email Slack has not verified", async () => {
    expect(await signInWithSlack({ prisma, claims: claims({ email_verified: false }) })).toEqual({ ok: false, reason: "SlackEmailUnverified" });
    expect(await signInWithSlack({ prisma, claims: claims({ email_verified: undefined }) })).toEqual({ ok: false, reason: "SlackEmailUnverified" });
    expect(await prisma.user.count({ where: { email: "rosa.responder@example.com" } })).toBe(0);
  });

  it("rejects claims without an email", async () => {
    const { email: _email, ...withoutEmail } = claims();
    expect(await signInWithSlack({ prisma, claims: withoutEmail })).toEqual({ ok: false, reason: "SlackProfileIncomplete" });
  });

  it("finds an existing user by email and records the Slack ids", async () => {
    const existing = await prisma.user.create({ data: { email: "rosa.responder@example.com", name: "Rosa", passwordHash: await hashPassword(PASSWORD) } });
    const result = await signInWithSlack({ prisma, claims: claims({ email: "ROSA.responder@example.com" }) });
    if (!result.ok) throw new Error(`Slack sign-in was rejected: ${result.reason}`);
    expect(result.user.id).toBe(existing.id);
    expect(result.created).toBe(false);
    const stored = await prisma.user.findUniqueOrThrow({ where: { id: existing.id } });
    expect(stored.slackUserId).toBe("U0ROSA0001");
    expect(stored.passwordHash).toBe(existing.passwordHash);
    expect(stored.pagerdutyRole).toBe("user");
    expect(stored.lastSignInAt).not.toBeNull();
  });

  it("rejects a disabled user", async () => {
    await prisma.user.create({ data: { email: "rosa.responder@example.com", name: "Rosa", disabledAt: new Date() } });
    expect(await signInWithSlack({ prisma, claims: claims() })).toEqual({ ok: false, reason: "AccountDisabled" });
    const stored = await prisma.user.findUniqueOrThrow({ where: { email: "rosa.responder@example.com" } });
    expect(stored.slackUserId).toBeNull();
  });

  it("creates one user when the same person signs in twice at once", async () => {
    const results = await Promise.all([signInWithSlack({ prisma, claims: claims() }), signInWithSlack({ prisma, claims: claims() })]);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(await prisma.user.count({ where: { email: "rosa.responder@example.com" } })).toBe(1);
  });
});
