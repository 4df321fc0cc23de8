import type { PrismaClient, WorkspaceStatus } from "../db/generated/client";
import { MANAGED_BY_CONFIG } from "../config-file/apply";

/** A mapped Slack workspace as the extension pages and the JSON API show it (never its token). */
export interface WorkspaceView {
  id: string;
  teamId: string;
  name: string;
  status: WorkspaceStatus;
  statusReason: string | null;
  installedBy: string | null;
  installedAt: string;
  managedByConfig: boolean;
  extensionCount: number;
}

/** Lists every mapped workspace by name, optionally only the active ones that new extensions may use. */
export async function listWorkspaces(input: { prisma: PrismaClient; activeOnly?: boolean }): Promise<WorkspaceView[]> {
  const rows = await input.prisma.slackWorkspace.findMany({
    where: input.activeOnly ? { status: "active" } : {},
    orderBy: [{ name: "asc" }, { id: "asc" }],
    include: { _count: { select: { extensions: true } } },
  });
  return rows.map((row) => ({
    id: row.id,
    teamId: row.slackTeamId,
    name: row.name,
    status: row.status,
    statusReason: row.statusReason,
    installedBy: row.installedBy,
    installedAt: row.installedAt.toISOString(),
    managedByConfig: row.managedBy === MANAGED_BY_CONFIG,
    extensionCount: row._count.extensions,
  }));
}
