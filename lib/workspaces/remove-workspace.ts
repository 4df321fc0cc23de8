import { recordAudit, type AuditActor } from "../audit/record-audit";
import { MANAGED_BY_CONFIG } from "../config-file/apply";
import type { PrismaClient } from "../db/generated/client";
import { AppError } from "../errors";
import { extensionDisabledReason, isRemovedWorkspace, removedReason, REMOVED_WORKSPACE_TOKEN } from "./workspace-state";

export interface RemovedWorkspace {
  id: string;
  name: string;
  /** Extensions that were disabled; they are kept, with the reason. */
  disabledExtensions: number;
  /** True when the row was deleted because nothing referred to it any more. */
  deleted: boolean;
}

/**
 * Removes a workspace mapping. Its extensions are disabled with the reason, not deleted, and the
 * bot token is erased. The row itself is kept (inactive, without a token) while extensions or
 * incident messages refer to it, and deleted otherwise. The app stays installed in Slack.
 */
export async function removeWorkspace(input: { prisma: PrismaClient; workspaceId: string; actor: AuditActor; now?: Date }): Promise<RemovedWorkspace> {
  const now = input.now ?? new Date();
  return input.prisma.$transaction(async (tx) => {
    // Lock the row so a concurrent install or removal of the same workspace waits for this one.
    const locked = await tx.$queryRawUnsafe<{ id: string }[]>(`SELECT id::text AS id FROM slack_workspace WHERE id = $1::uuid FOR UPDATE`, input.workspaceId);
    const workspace = locked.length > 0 ? await tx.slackWorkspace.findUnique({ where: { id: input.workspaceId } }) : null;
    if (!workspace || isRemovedWorkspace(workspace)) {
      throw new AppError("not_found", `No mapped workspace has the id ${input.workspaceId}. It may have been removed already: reload the page.`);
    }
    if (workspace.managedBy === MANAGED_BY_CONFIG) {
      throw new AppError(
        "managed_by_config",
        `Workspace ${workspace.name} is managed by the configuration file. Remove it from the SWITCHBOARD_CONFIG file and restart Switchboard instead.`,
      );
    }

    const disabled = await tx.slackExtension.updateMany({
      where: { workspaceId: workspace.id },
      data: { status: "disabled", statusReason: extensionDisabledReason(workspace.name) },
    });
    const messages = await tx.incidentMessage.count({ where: { workspaceId: workspace.id } });
    const deleted = disabled.count === 0 && messages === 0;
    if (deleted) {
      await tx.slackWorkspace.delete({ where: { id: workspace.id } });
    } else {
      await tx.slackWorkspace.update({
        where: { id: workspace.id },
        data: {
          botTokenEncrypted: REMOVED_WORKSPACE_TOKEN,
          status: "inactive",
          statusReason: removedReason({ by: input.actor.label, at: now }),
          deactivatedAt: now,
        },
      });
    }
    await recordAudit(tx, {
      actor: input.actor,
      action: "workspace.remove",
      targetType: "workspace",
      targetId: workspace.id,
      details: { teamId: workspace.slackTeamId, name: workspace.name, disabledExtensions: disabled.count, deleted },
    });
    return { id: workspace.id, name: workspace.name, disabledExtensions: disabled.count, deleted };
  });
}
