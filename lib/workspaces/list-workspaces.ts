import { MANAGED_BY_CONFIG } from "../config-file/apply";
import type { PrismaClient } from "../db/generated/client";
import { missingBotScopes } from "../slack/oauth/scopes";
import { isRemovedWorkspace } from "./workspace-state";

export type WorkspaceState = "active" | "inactive" | "removed";

/** One row of the mapping screen and of the admin APIs; it carries no token, not even encrypted. */
export interface WorkspaceSummary {
  id: string;
  name: string;
  slackTeamId: string;
  slackBotUserId: string;
  slackAppId: string | null;
  state: WorkspaceState;
  /** Reason the workspace is not active, with the fix; null while active. */
  statusReason: string | null;
  /** ISO 8601. */
  deactivatedAt: string | null;
  /** Installer: an admin's name and email, or "configuration file". */
  installedBy: string | null;
  /** ISO 8601. */
  installedAt: string;
  managedByConfig: boolean;
  scopes: string[];
  /** Scopes Switchboard requests that this installation lacks; empty when the grant is unknown. */
  missingScopes: string[];
  extensionCount: number;
}

/** Lists mapped workspaces, active ones first, each with its extension count. */
export async function listWorkspaces(prisma: PrismaClient): Promise<WorkspaceSummary[]> {
  const workspaces = await prisma.slackWorkspace.findMany({
    orderBy: [{ status: "asc" }, { name: "asc" }],
    include: {
      installedByUser: { select: { name: true, email: true } },
      _count: { select: { extensions: true } },
    },
  });
  return workspaces.map((workspace) => {
    const state: WorkspaceState = isRemovedWorkspace(workspace) ? "removed" : workspace.status;
    const installer = workspace.installedByUser;
    return {
      id: workspace.id,
      name: workspace.name,
      slackTeamId: workspace.slackTeamId,
      slackBotUserId: workspace.slackBotUserId,
      slackAppId: workspace.slackAppId,
      state,
      statusReason: state === "active" ? null : workspace.statusReason,
      deactivatedAt: workspace.deactivatedAt?.toISOString() ?? null,
      installedBy: installer ? installerLabel(installer) : workspace.installedBy,
      installedAt: workspace.installedAt.toISOString(),
      managedByConfig: workspace.managedBy === MANAGED_BY_CONFIG,
      scopes: workspace.scopes,
      // A workspace from the configuration file may list no scopes; then the grant is unknown.
      missingScopes: state === "active" && workspace.scopes.length > 0 ? missingBotScopes(workspace.scopes) : [],
      extensionCount: workspace._count.extensions,
    };
  });
}

function installerLabel(installer: { name: string; email: string }): string {
  if (!installer.name || installer.name === installer.email) return installer.email;
  return `${installer.name} (${installer.email})`;
}
