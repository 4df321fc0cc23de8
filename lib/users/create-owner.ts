import { recordAudit } from "../audit/record-audit";
import { hashPassword } from "../auth/password";
import type { PrismaClient } from "../db/generated/client";
import { AppError } from "../errors";
import { scopedLogger } from "../log";
import { ownerAccountSchema, parseInput } from "./input";

const log = scopedLogger("users");

/**
 * Key of the PostgreSQL advisory lock that serialises owner creation, so two setups submitted at
 * once create one owner: the second waits, then finds the first one's owner.
 */
const OWNER_SETUP_LOCK = 0x5b_0a_2d_01;

/**
 * Creates the owner account of this Switchboard: the first user, admin whether or not PagerDuty is
 * connected. Throws AppError "conflict" once an owner exists, and "invalid_input" with field
 * problems for a bad name, email or password.
 */
export async function createOwnerAccount(input: { prisma: PrismaClient; values: unknown; now?: Date }): Promise<{ id: string; email: string; name: string }> {
  const values = parseInput(ownerAccountSchema, input.values);
  const passwordHash = await hashPassword(values.password);
  const now = input.now ?? new Date();

  const owner = await input.prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${OWNER_SETUP_LOCK}::bigint)`;
    if ((await tx.user.count({ where: { isOwner: true } })) > 0) {
      throw new AppError("conflict", "Switchboard already has an owner account. Sign in instead; an admin can invite more people.");
    }
    const taken = await tx.user.findUnique({ where: { email: values.email }, select: { id: true } });
    if (taken) {
      const message = `A user with the email ${values.email} already exists. Use another address for the owner account.`;
      throw new AppError("conflict", message, { email: message });
    }
    const user = await tx.user.create({
      data: { email: values.email, name: values.name, passwordHash, isOwner: true, createdAt: now },
    });
    await recordAudit(tx, {
      actor: { userId: user.id, label: user.email },
      action: "user.create_owner",
      targetType: "user",
      targetId: user.id,
      details: { method: "password" },
    });
    return user;
  });
  log.info({ userId: owner.id }, "Created the owner account");
  return { id: owner.id, email: owner.email, name: owner.name };
}
