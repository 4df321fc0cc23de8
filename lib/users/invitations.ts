import { createHash, randomBytes } from "node:crypto";
import { recordAudit, type AuditActor } from "../audit/record-audit";
import { hashPassword } from "../auth/password";
import type { Invitation, PrismaClient } from "../db/generated/client";
import { AppError } from "../errors";
import { scopedLogger } from "../log";
import { z } from "zod";
import { emailSchema, invitedAccountSchema, parseInput } from "./input";

const log = scopedLogger("users");

/** An invitation link works for this long after it was created. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const invitationInputSchema = z.object({ email: emailSchema });

export type InvitationState = "pending" | "expired" | "accepted" | "revoked";

/** SHA-256 of an invitation token, in hex: the only form of the token that is stored. */
export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function invitationState(invitation: Pick<Invitation, "acceptedAt" | "revokedAt" | "expiresAt">, now = new Date()): InvitationState {
  if (invitation.acceptedAt) return "accepted";
  if (invitation.revokedAt) return "revoked";
  if (invitation.expiresAt.getTime() <= now.getTime()) return "expired";
  return "pending";
}

export interface CreatedInvitation {
  id: string;
  email: string;
  expiresAt: string;
  /** The link to pass on to the invitee. It is shown once: only the token's hash is stored. */
  inviteUrl: string;
  /** How many earlier pending invitations for the same email this one replaced. */
  replaced: number;
}

/**
 * Invites a person by email: creates an invitation whose link (appUrl/invite/<token>) lets them set
 * a name and password. Earlier pending invitations for the same email are revoked. Throws
 * "invalid_input" for a bad email and "conflict" when the email already has an account.
 */
export async function createInvitation(input: {
  prisma: PrismaClient;
  actor: AuditActor & { userId: string };
  values: unknown;
  appUrl: string;
  now?: Date;
}): Promise<CreatedInvitation> {
  const { email } = parseInput(invitationInputSchema, input.values);
  const now = input.now ?? new Date();
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);

  const result = await input.prisma.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email }, select: { disabledAt: true } });
    if (existing) {
      const message = existing.disabledAt
        ? `${email} already has a Switchboard account, which is disabled. Enable it in the list below instead of inviting again.`
        : `${email} already has a Switchboard account: they can sign in now.`;
      throw new AppError("conflict", message, { email: message });
    }
    const replaced = await tx.invitation.updateMany({
      where: { email, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { revokedAt: now },
    });
    const invitation = await tx.invitation.create({
      data: { email, tokenHash: hashInvitationToken(token), invitedById: input.actor.userId, expiresAt, createdAt: now },
    });
    await recordAudit(tx, {
      actor: input.actor,
      action: "invitation.create",
      targetType: "invitation",
      targetId: invitation.id,
      details: { email, expiresAt: expiresAt.toISOString(), replacedPendingInvitations: replaced.count },
    });
    return { invitation, replaced: replaced.count };
  });

  log.info({ invitationId: result.invitation.id, invitedBy: input.actor.userId }, "Created an invitation");
  return {
    id: result.invitation.id,
    email,
    expiresAt: expiresAt.toISOString(),
    inviteUrl: `${input.appUrl.replace(/\/+$/, "")}/invite/${token}`,
    replaced: result.replaced,
  };
}

/**
 * Revokes a pending invitation so its link stops working. Throws "not_found" for an unknown id and
 * "conflict" for an invitation that was already accepted or revoked.
 */
export async function revokeInvitation(input: { prisma: PrismaClient; actor: AuditActor; invitationId: string; now?: Date }): Promise<void> {
  const now = input.now ?? new Date();
  await input.prisma.$transaction(async (tx) => {
    const invitation = await tx.invitation.findUnique({ where: { id: input.invitationId } });
    if (!invitation) throw new AppError("not_found", "No invitation has this id. Reload the page to see the current invitations.");
    if (invitation.acceptedAt) throw new AppError("conflict", `The invitation for ${invitation.email} was already accepted: disable the user instead.`);
    if (invitation.revokedAt) throw new AppError("conflict", `The invitation for ${invitation.email} was already revoked.`);
    await tx.invitation.update({ where: { id: invitation.id }, data: { revokedAt: now } });
    await recordAudit(tx, {
      actor: input.actor,
      action: "invitation.revoke",
      targetType: "invitation",
      targetId: invitation.id,
      details: { email: invitation.email, wasExpired: invitationState(invitation, now) === "expired" },
    });
  });
  log.info({ invitationId: input.invitationId }, "Revoked an invitation");
}

export interface InvitationLookup {
  state: InvitationState | "unknown";
  /** The invited email; null for an unknown token. */
  email: string | null;
  expiresAt: string | null;
}

/** Looks up an invitation by the token from its link, for the invitation page. */
export async function findInvitationByToken(input: { prisma: PrismaClient; token: string; now?: Date }): Promise<InvitationLookup> {
  const invitation = await input.prisma.invitation.findUnique({ where: { tokenHash: hashInvitationToken(input.token) } });
  if (!invitation) return { state: "unknown", email: null, expiresAt: null };
  return { state: invitationState(invitation, input.now), email: invitation.email, expiresAt: invitation.expiresAt.toISOString() };
}

/** Why an invitation link cannot be used, in words for the invitee. */
export function invitationProblem(state: Exclude<InvitationState, "pending"> | "unknown"): string {
  switch (state) {
    case "accepted":
      return "This invitation was already used to create an account. Sign in with that account's email address and password.";
    case "revoked":
      return "This invitation was revoked by a Switchboard admin. Ask them for a new invitation if you still need access.";
    case "expired":
      return "This invitation has expired: links work for 7 days. Ask a Switchboard admin for a new one.";
    case "unknown":
      return "This invitation link is not valid. Check that you copied the whole link, or ask a Switchboard admin for a new one.";
  }
}

/**
 * Accepts an invitation: creates the invited user with the given name and password and marks the
 * invitation accepted, both or neither. Throws "not_found" for an unknown token, "conflict" for a
 * used, revoked or expired invitation or an email that already has an account, and "invalid_input"
 * for a bad name or password.
 */
export async function acceptInvitation(input: { prisma: PrismaClient; token: string; values: unknown; now?: Date }): Promise<{ id: string; email: string; name: string }> {
  const values = parseInput(invitedAccountSchema, input.values);
  const now = input.now ?? new Date();
  const tokenHash = hashInvitationToken(input.token);
  const passwordHash = await hashPassword(values.password);

  const user = await input.prisma.$transaction(async (tx) => {
    const invitation = await tx.invitation.findUnique({ where: { tokenHash } });
    if (!invitation) throw new AppError("not_found", invitationProblem("unknown"));
    const state = invitationState(invitation, now);
    if (state !== "pending") throw new AppError("conflict", invitationProblem(state));
    // The conditional update makes a second acceptance of the same link, running at the same time, fail.
    const claimed = await tx.invitation.updateMany({ where: { id: invitation.id, acceptedAt: null, revokedAt: null }, data: { acceptedAt: now } });
    if (claimed.count !== 1) throw new AppError("conflict", invitationProblem("accepted"));
    if (await tx.user.findUnique({ where: { email: invitation.email }, select: { id: true } })) {
      throw new AppError("conflict", `${invitation.email} already has a Switchboard account. Sign in with it instead.`);
    }
    const created = await tx.user.create({ data: { email: invitation.email, name: values.name, passwordHash, createdAt: now } });
    await recordAudit(tx, {
      actor: { userId: created.id, label: created.email },
      action: "invitation.accept",
      targetType: "user",
      targetId: created.id,
      details: { invitationId: invitation.id, invitedById: invitation.invitedById },
    });
    return created;
  });
  log.info({ userId: user.id }, "Created a user from an invitation");
  return { id: user.id, email: user.email, name: user.name };
}
