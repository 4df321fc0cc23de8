import type { Prisma, PrismaClient } from "../db/generated/client";

export const AUDIT_PAGE_SIZE = 25;

/** One audit log entry as the Audit log page shows it. */
export interface AuditEntryView {
  /** The entry's bigint id, as a string. */
  id: string;
  createdAt: string;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Prisma.JsonValue;
}

export interface AuditLogPage {
  entries: AuditEntryView[];
  /** 1-based page number. */
  page: number;
  pageSize: number;
  /** Entries that match the filters, on all pages. */
  total: number;
  /** Every action name in the log, for the filter's choices. */
  actions: string[];
}

/**
 * Lists audit log entries newest first, one page at a time. `action` matches exactly; `actor`
 * matches part of the actor label (an email, "API key …" or "configuration file"), ignoring case.
 */
export async function listAuditEntries(input: { prisma: PrismaClient; action?: string; actor?: string; page?: number; pageSize?: number }): Promise<AuditLogPage> {
  const { prisma } = input;
  const pageSize = input.pageSize ?? AUDIT_PAGE_SIZE;
  const page = Math.max(1, input.page ?? 1);
  const where: Prisma.AuditLogEntryWhereInput = {
    ...(input.action ? { action: input.action } : {}),
    ...(input.actor ? { actorLabel: { contains: input.actor, mode: "insensitive" } } : {}),
  };
  const [rows, total, actions] = await Promise.all([
    prisma.auditLogEntry.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (page - 1) * pageSize, take: pageSize }),
    prisma.auditLogEntry.count({ where }),
    prisma.auditLogEntry.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } }),
  ]);
  return {
    entries: rows.map((row) => ({
      id: row.id.toString(),
      createdAt: row.createdAt.toISOString(),
      actorLabel: row.actorLabel,
      action: row.action,
      targetType: row.targetType,
      targetId: row.targetId,
      details: row.details,
    })),
    page,
    pageSize,
    total,
    actions: actions.map((row) => row.action),
  };
}
