import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../tests/support/database";
import { verifyPassword } from "../auth/password";
import { PrismaClient } from "../db/generated/client";
import { AppError } from "../errors";
import { createOwnerAccount } from "./create-owner";
import { acceptInvitation, createInvitation, findInvitationByToken, hashInvitationToken, INVITATION_TTL_MS, revokeInvitation } from "./invitations";
import { listAuditEntries } from "./list-audit-entries";
import { listUsers } from "./list-users";
import { setUserDisabled } from "./set-user-disabled";

const PASSWORD = "correct horse battery staple";
const APP_URL = "http://127.0.0.1:3999";
let database: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url }) });
}, 60_000);

afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

beforeEach(async () => {
  await prisma.apiKey.deleteMany();
  await prisma.auditLogEntry.deleteMany();
  await prisma.invitation.deleteMany();
  await prisma.user.deleteMany();
});

/** Runs a promise that should fail with an AppError and returns that error. */
async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error(`Expected an AppError, got ${String(error)}`);
  return error;
}

function ownerValues(email = "owner@example.com") {
  return { name: "Olivia Owner", email, password: PASSWORD, confirmPassword: PASSWORD };
}

async function createAdmin() {
  const owner = await createOwnerAccount({ prisma, values: ownerValues() });
  return { userId: owner.id, label: owner.email };
}

function tokenOf(inviteUrl: string): string {
  return inviteUrl.slice(inviteUrl.lastIndexOf("/") + 1);
}

describe("createOwnerAccount", () => {
  it("creates the owner with a hashed password and an audit entry", async () => {
    const owner = await createOwnerAccount({ prisma, values: { ...ownerValues(), email: "  Owner@Example.com " } });
    const stored = await prisma.user.findUniqueOrThrow({ where: { id: owner.id } });
    expect(stored.email).toBe("owner@example.com");
    expect(stored.isOwner).toBe(true);
    expect(await verifyPassword(PASSWORD, stored.passwordHash!)).toBe(true);
    const audit = await prisma.auditLogEntry.findMany();
    expect(audit.map((entry) => entry.action)).toEqual(["user.create_owner"]);
  });

  it("rejects a second owner with conflict", async () => {
    await createOwnerAccount({ prisma, values: ownerValues() });
    const error = await appError(createOwnerAccount({ prisma, values: ownerValues("second@example.com") }));
    expect(error.code).toBe("conflict");
    expect(await prisma.user.count()).toBe(1);
  });

  it("creates exactly one owner when setups race", async () => {
    const attempts = await Promise.allSettled(
      ["a@example.com", "b@example.com", "c@example.com", "d@example.com"].map((email) => createOwnerAccount({ prisma, values: ownerValues(email) })),
    );
    expect(attempts.filter((attempt) => attempt.status === "fulfilled")).toHaveLength(1);
    for (const attempt of attempts.filter((item) => item.status === "rejected")) {
      expect((attempt as PromiseRejectedResult).reason).toBeInstanceOf(AppError);
      expect(((attempt as PromiseRejectedResult).reason as AppError).code).toBe("conflict");
    }
    expect(await prisma.user.count({ where: { isOwner: true } })).toBe(1);
  });

  it("reports each invalid field", async () => {
    const error = await appError(createOwnerAccount({ prisma, values: { name: " ", email: "not-an-email", password: "short", confirmPassword: "other" } }));
    expect(error.code).toBe("invalid_input");
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(["confirmPassword", "email", "name", "password"]);
    expect(error.fields?.password).toMatch(/at least 12 characters/);
    expect(await prisma.user.count()).toBe(0);
  });

  it("reports passwords that differ", async () => {
    const error = await appError(createOwnerAccount({ prisma, values: { ...ownerValues(), confirmPassword: `${PASSWORD}!` } }));
    expect(error.fields).toEqual({ confirmPassword: "The two passwords are not the same." });
  });
});

describe("invitations", () => {
  it("stores only the token's hash and accepts the link once", async () => {
    const actor = await createAdmin();
    const invitation = await createInvitation({ prisma, actor, values: { email: "New.Person@example.com" }, appUrl: APP_URL });
    expect(invitation.email).toBe("new.person@example.com");
    expect(invitation.inviteUrl.startsWith(`${APP_URL}/invite/`)).toBe(true);
    const token = tokenOf(invitation.inviteUrl);
    expect(token.length).toBeGreaterThanOrEqual(43);

    const stored = await prisma.invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(stored.tokenHash).toBe(hashInvitationToken(token));
    expect(stored.tokenHash).not.toContain(token);
    expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBe(INVITATION_TTL_MS);
    expect(await findInvitationByToken({ prisma, token })).toMatchObject({ state: "pending", email: "new.person@example.com" });

    const user = await acceptInvitation({ prisma, token, values: { name: "New Person", password: PASSWORD, confirmPassword: PASSWORD } });
    const created = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(created.email).toBe("new.person@example.com");
    expect(created.isOwner).toBe(false);
    expect(await verifyPassword(PASSWORD, created.passwordHash!)).toBe(true);
    expect(await findInvitationByToken({ prisma, token })).toMatchObject({ state: "accepted" });

    const again = await appError(acceptInvitation({ prisma, token, values: { name: "Someone", password: PASSWORD, confirmPassword: PASSWORD } }));
    expect(again.code).toBe("conflict");
    expect(again.message).toMatch(/already used/);
    const actions = (await prisma.auditLogEntry.findMany({ orderBy: { id: "asc" } })).map((entry) => entry.action);
    expect(actions).toEqual(["user.create_owner", "invitation.create", "invitation.accept"]);
  });

  it("rejects an expired link and creates no user", async () => {
    const actor = await createAdmin();
    const created = new Date(Date.now() - INVITATION_TTL_MS - 1000);
    const invitation = await createInvitation({ prisma, actor, values: { email: "late@example.com" }, appUrl: APP_URL, now: created });
    const token = tokenOf(invitation.inviteUrl);
    expect(await findInvitationByToken({ prisma, token })).toMatchObject({ state: "expired" });
    const error = await appError(acceptInvitation({ prisma, token, values: { name: "Late", password: PASSWORD, confirmPassword: PASSWORD } }));
    expect(error.code).toBe("conflict");
    expect(error.message).toMatch(/expired/);
    expect(await prisma.user.count({ where: { email: "late@example.com" } })).toBe(0);
  });

  it("rejects a revoked link", async () => {
    const actor = await createAdmin();
    const invitation = await createInvitation({ prisma, actor, values: { email: "revoked@example.com" }, appUrl: APP_URL });
    await revokeInvitation({ prisma, actor, invitationId: invitation.id });
    const error = await appError(acceptInvitation({ prisma, token: tokenOf(invitation.inviteUrl), values: { name: "R", password: PASSWORD, confirmPassword: PASSWORD } }));
    expect(error.message).toMatch(/revoked/);
    expect((await appError(revokeInvitation({ prisma, actor, invitationId: invitation.id }))).code).toBe("conflict");
  });

  it("rejects an unknown token with not_found", async () => {
    expect(await findInvitationByToken({ prisma, token: "no-such-token" })).toEqual({ state: "unknown", email: null, expiresAt: null });
    const error = await appError(acceptInvitation({ prisma, token: "no-such-token", values: { name: "X", password: PASSWORD, confirmPassword: PASSWORD } }));
    expect(error.code).toBe("not_found");
  });

  it("replaces a pending invitation for the same email", async () => {
    const actor = await createAdmin();
    const first = await createInvitation({ prisma, actor, values: { email: "twice@example.com" }, appUrl: APP_URL });
    const second = await createInvitation({ prisma, actor, values: { email: "twice@example.com" }, appUrl: APP_URL });
    expect(second.replaced).toBe(1);
    expect(await findInvitationByToken({ prisma, token: tokenOf(first.inviteUrl) })).toMatchObject({ state: "revoked" });
    expect(await findInvitationByToken({ prisma, token: tokenOf(second.inviteUrl) })).toMatchObject({ state: "pending" });
  });

  it("rejects inviting an email that has an account", async () => {
    const actor = await createAdmin();
    const error = await appError(createInvitation({ prisma, actor, values: { email: "owner@example.com" }, appUrl: APP_URL }));
    expect(error.code).toBe("conflict");
    expect(error.fields?.email).toMatch(/already has a Switchboard account/);
    expect(await prisma.invitation.count()).toBe(0);
  });

  it("lists open invitations with their state", async () => {
    const actor = await createAdmin();
    await createInvitation({ prisma, actor, values: { email: "open@example.com" }, appUrl: APP_URL });
    await createInvitation({ prisma, actor, values: { email: "old@example.com" }, appUrl: APP_URL, now: new Date(Date.now() - INVITATION_TTL_MS * 2) });
    const { invitations } = await listUsers({ prisma });
    expect(invitations.map((invitation) => [invitation.email, invitation.state, invitation.invitedBy])).toEqual([
      ["open@example.com", "pending", "owner@example.com"],
      ["old@example.com", "expired", "owner@example.com"],
    ]);
  });
});

describe("setUserDisabled", () => {
  async function createMember(email: string) {
    return prisma.user.create({ data: { email, name: email, pagerdutyRole: "admin" } });
  }

  it("disables a user, revokes their API keys, and enables them again", async () => {
    const actor = await createAdmin();
    const member = await createMember("member@example.com");
    await prisma.apiKey.create({ data: { name: "ci", prefix: "sbk_abc", keyHash: "hash-1", createdById: member.id } });

    const disabled = await setUserDisabled({ prisma, actor, userId: member.id, disabled: true });
    expect(disabled.disabledAt).not.toBeNull();
    expect(disabled.revokedApiKeys).toBe(1);
    const key = await prisma.apiKey.findFirstOrThrow({ where: { createdById: member.id } });
    expect(key.revokedAt).not.toBeNull();
    expect(key.revokedReason).toMatch(/disabled member@example.com/);

    const enabled = await setUserDisabled({ prisma, actor, userId: member.id, disabled: false });
    expect(enabled.disabledAt).toBeNull();
    expect((await prisma.apiKey.findFirstOrThrow({ where: { createdById: member.id } })).revokedAt).not.toBeNull();
    const actions = (await prisma.auditLogEntry.findMany({ where: { targetId: member.id }, orderBy: { id: "asc" } })).map((entry) => entry.action);
    expect(actions).toEqual(["user.disable", "user.enable"]);
  });

  it("rejects to change the owner or the acting admin", async () => {
    const actor = await createAdmin();
    const other = await createMember("other-admin@example.com");
    expect((await appError(setUserDisabled({ prisma, actor: { userId: other.id, label: other.email }, userId: actor.userId, disabled: true }))).message).toMatch(/owner account/);
    expect((await appError(setUserDisabled({ prisma, actor: { userId: other.id, label: other.email }, userId: other.id, disabled: true }))).message).toMatch(/your own account/);
    expect(await prisma.user.count({ where: { disabledAt: { not: null } } })).toBe(0);
  });

  it("rejects an unknown user and a no-op change", async () => {
    const actor = await createAdmin();
    const member = await createMember("member@example.com");
    expect((await appError(setUserDisabled({ prisma, actor, userId: "00000000-0000-4000-8000-000000000000", disabled: true }))).code).toBe("not_found");
    expect((await appError(setUserDisabled({ prisma, actor, userId: member.id, disabled: false }))).code).toBe("conflict");
  });
});

describe("listUsers", () => {
  it("lists the owner first, with roles and sign-in methods", async () => {
    await createAdmin();
    await prisma.user.create({ data: { email: "aaron@example.com", name: "Aaron", slackTeamId: "T1", slackUserId: "U1", pagerdutyRole: "observer", pagerdutyUserId: "P1" } });
    await prisma.pagerdutyUserCache.create({ data: { pagerdutyUserId: "P1", name: "Aaron PD", email: "aaron@example.com", role: "observer", teamIds: [], fetchedAt: new Date() } });
    const { users } = await listUsers({ prisma });
    expect(users.map((user) => user.email)).toEqual(["owner@example.com", "aaron@example.com"]);
    expect(users[0]).toMatchObject({ isOwner: true, isAdmin: true, signInMethods: ["password"], roleLabel: "No PagerDuty user" });
    expect(users[1]).toMatchObject({ isOwner: false, isAdmin: false, signInMethods: ["slack"], roleLabel: "Observer", pagerdutyUserName: "Aaron PD" });
  });
});

describe("listAuditEntries", () => {
  it("pages newest first and filters by action and actor", async () => {
    const base = Date.now();
    await prisma.auditLogEntry.createMany({
      data: Array.from({ length: 30 }, (_, index) => ({
        actorLabel: index % 2 === 0 ? "alice@example.com" : "API key deploy-bot",
        action: index % 3 === 0 ? "extension.create" : "extension.update",
        targetType: "extension",
        targetId: `ext-${index}`,
        createdAt: new Date(base + index * 1000),
      })),
    });
    const first = await listAuditEntries({ prisma, pageSize: 10 });
    expect(first.total).toBe(30);
    expect(first.entries.map((entry) => entry.targetId).slice(0, 3)).toEqual(["ext-29", "ext-28", "ext-27"]);
    expect(first.actions).toEqual(["extension.create", "extension.update"]);

    const third = await listAuditEntries({ prisma, pageSize: 10, page: 3 });
    expect(third.entries.at(-1)?.targetId).toBe("ext-0");

    const created = await listAuditEntries({ prisma, action: "extension.create" });
    expect(created.total).toBe(10);
    const byActor = await listAuditEntries({ prisma, actor: "ALICE" });
    expect(byActor.total).toBe(15);
    expect(byActor.entries.every((entry) => entry.actorLabel === "alice@example.com")).toBe(true);
    const both = await listAuditEntries({ prisma, actor: "deploy", action: "extension.create" });
    expect(both.total).toBe(5);
  });
});
