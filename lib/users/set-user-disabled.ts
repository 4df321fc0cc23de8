import { recordAudit, type AuditActor } from "../audit/record-audit";
import type { PrismaClient } from "../db/generated/client";
import { AppError } from "../errors";
import { scopedLogger } from "../log";

const log = scopedLogger("users");

/**
 * Disables or enables a web user. A disabled user is signed out at their next request and cannot
 * sign in; disabling also revokes the API keys they created, which stay revoked after an enable.
 * The owner account and the acting admin's own account cannot be changed. Throws "not_found",
 * "forbidden" (owner or self) and "conflict" (already in that state).
 */
export async function setUserDisabled(input: {
  prisma: PrismaClient;
  actor: AuditActor & { userId: string };
  userId: string;
  disabled: boolean;
  now?: Date;
}): Promise<{ id: string; disabledAt: string | null; revokedApiKeys: number }> {
  const now = input.now ?? new Date();
  const result = await input.prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId } });
    if (!user) throw new AppError("not_found", "No user has this id. Reload the page to see the current users.");
    if (user.isOwner) throw new AppError("forbidden", "The owner account cannot be disabled or enabled.");
    if (user.id === input.actor.userId) throw new AppError("forbidden", "You cannot disable or enable your own account. Ask another admin.");
    if (Boolean(user.disabledAt) === input.disabled) {
      throw new AppError("conflict", `${user.email} is already ${input.disabled ? "disabled" : "enabled"}.`);
    }

    const updated = await tx.user.update({ where: { id: user.id }, data: { disabledAt: input.disabled ? now : null } });
    const revoked = input.disabled
      ? await tx.apiKey.updateMany({
          where: { createdById: user.id, revokedAt: null },
          data: { revokedAt: now, revokedReason: `Revoked because ${input.actor.label} disabled ${user.email}.` },
        })
      : { count: 0 };
    await recordAudit(tx, {
      actor: input.actor,
      action: input.disabled ? "user.disable" : "user.enable",
      targetType: "user",
      targetId: user.id,
      details: { email: user.email, ...(input.disabled ? { revokedApiKeys: revoked.count } : {}) },
    });
    return { id: updated.id, disabledAt: updated.disabledAt?.toISOString() ?? null, revokedApiKeys: revoked.count };
  });
  log.info({ userId: input.userId, disabled: input.disabled, by: input.actor.userId }, input.disabled ? "Disabled a user" : "Enabled a user");
  return result;
}
