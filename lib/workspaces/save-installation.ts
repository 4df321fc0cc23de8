import { recordAudit, type AuditActor } from "../audit/record-audit";
import { MANAGED_BY_CONFIG } from "../config-file/apply";
import { encryptSecret } from "../crypto/secret-box";
import type { PrismaClient, SlackWorkspace } from "../db/generated/client";
import { AppError } from "../errors";
import type { SlackInstallation } from "../slack/oauth/exchange-code";
import { resendHeldMessages } from "./resend-held-messages";

export interface SavedInstallation {
  workspace: SlackWorkspace;
  /** True when the workspace was mapped before (reinstalled, or mapped again after removal). */
  reinstalled: boolean;
  resent: { messages: number; replies: number };
}

/**
 * Maps a workspace after a successful OAuth install, or updates its mapping on a reinstall: stores
 * the bot token encrypted, reactivates the workspace, audits the change and queues again what was
 * held while it was inactive, all in one transaction. A workspace managed by the configuration file
 * is left unchanged, because the file would overwrite the token at the next start.
 */
export async function saveWorkspaceInstallation(input: {
  prisma: PrismaClient;
  installation: SlackInstallation;
  actor: AuditActor;
  encryptionKey: Buffer;
  now?: Date;
}): Promise<SavedInstallation> {
  const { installation, actor } = input;
  const now = input.now ?? new Date();
  const fields = {
    name: installation.teamName,
    slackBotUserId: installation.botUserId,
    slackAppId: installation.appId,
    botTokenEncrypted: encryptSecret(installation.botToken, input.encryptionKey),
    scopes: installation.scopes,
    status: "active" as const,
    statusReason: null,
    deactivatedAt: null,
    installedAt: now,
    installedBy: actor.label,
    installedByUserId: actor.userId,
  };

  return input.prisma.$transaction(async (tx) => {
    const existing = await tx.slackWorkspace.findUnique({ where: { slackTeamId: installation.teamId } });
    if (existing?.managedBy === MANAGED_BY_CONFIG) {
      throw new AppError(
        "managed_by_config",
        `Workspace ${existing.name} (${existing.slackTeamId}) is managed by the configuration file, so Switchboard kept its bot token from there. To use the new installation, put the new bot token in the SWITCHBOARD_CONFIG file and restart Switchboard.`,
      );
    }

    const workspace = existing
      ? await tx.slackWorkspace.update({ where: { id: existing.id }, data: fields })
      : await tx.slackWorkspace.create({ data: { slackTeamId: installation.teamId, ...fields } });
    await recordAudit(tx, {
      actor,
      action: existing ? "workspace.reinstall" : "workspace.install",
      targetType: "workspace",
      targetId: workspace.id,
      details: { teamId: installation.teamId, name: installation.teamName, scopes: installation.scopes, appId: installation.appId },
    });
    const resent = existing ? await resendHeldMessages(tx, { workspaceId: workspace.id }) : { messages: 0, replies: 0 };
    return { workspace, reinstalled: existing !== null, resent };
  });
}
