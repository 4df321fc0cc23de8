import type { Prisma } from "../db/generated/client";

export interface AuditActor {
  userId: string | null;
  /** As shown in the audit log: an email, "API key <name>", or "configuration file". */
  label: string;
}

/** Writes one audit log entry; call it inside the transaction of the change it records. */
export async function recordAudit(
  tx: Prisma.TransactionClient,
  input: { actor: AuditActor; action: string; targetType: string; targetId?: string | null; details?: Prisma.InputJsonValue },
): Promise<void> {
  await tx.auditLogEntry.create({
    data: {
      actorUserId: input.actor.userId,
      actorLabel: input.actor.label,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId ?? null,
      details: input.details ?? {},
    },
  });
}
