import type { Logger } from "pino";
import { decryptSecret, encryptSecret } from "../crypto/secret-box";
import type { PrismaClient } from "../db/generated/client";
import { ConfigFileError } from "./load";
import { UPDATE_KINDS, type ConfigFile } from "./schema";

export const MANAGED_BY_CONFIG = "config";

export interface ApplySummary {
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * Applies a configuration file to the database idempotently: records it lists are created or
 * brought in line and marked as managed by the file; records it no longer lists are left alone.
 * Applying the same file twice changes nothing.
 */
export async function applyConfigFile(input: { prisma: PrismaClient; config: ConfigFile; encryptionKey: Buffer; file: string; log: Logger }): Promise<ApplySummary> {
  const { prisma, config, encryptionKey, log } = input;
  const summary: ApplySummary = { created: 0, updated: 0, unchanged: 0 };
  const count = (outcome: keyof ApplySummary) => summary[outcome]++;

  await prisma.$transaction(async (tx) => {
    for (const workspace of config.workspaces) {
      const existing = await tx.slackWorkspace.findUnique({ where: { slackTeamId: workspace.teamId } });
      const scopes = workspace.scopes ?? existing?.scopes ?? [];
      if (!existing) {
        await tx.slackWorkspace.create({
          data: {
            slackTeamId: workspace.teamId,
            name: workspace.name,
            slackBotUserId: workspace.botUserId,
            botTokenEncrypted: encryptSecret(workspace.botToken, encryptionKey),
            scopes,
            installedBy: "configuration file",
            managedBy: MANAGED_BY_CONFIG,
          },
        });
        count("created");
        continue;
      }
      const sameToken = safeDecrypt(existing.botTokenEncrypted, encryptionKey) === workspace.botToken;
      const same =
        sameToken &&
        existing.name === workspace.name &&
        existing.slackBotUserId === workspace.botUserId &&
        existing.managedBy === MANAGED_BY_CONFIG &&
        existing.scopes.join(",") === scopes.join(",");
      if (same) {
        count("unchanged");
        continue;
      }
      await tx.slackWorkspace.update({
        where: { id: existing.id },
        data: {
          name: workspace.name,
          slackBotUserId: workspace.botUserId,
          botTokenEncrypted: sameToken ? existing.botTokenEncrypted : encryptSecret(workspace.botToken, encryptionKey),
          scopes,
          managedBy: MANAGED_BY_CONFIG,
        },
      });
      count("updated");
    }

    for (const [index, extension] of config.extensions.entries()) {
      const workspace = await tx.slackWorkspace.findUnique({ where: { slackTeamId: extension.teamId } });
      if (!workspace) {
        throw new ConfigFileError(input.file, [
          `extensions[${index}] (name "${extension.name}").teamId: no workspace ${extension.teamId} is mapped or listed under workspaces`,
        ]);
      }
      const toggles = {
        notifyEscalate: extension.updates.includes("escalate"),
        notifyResolve: extension.updates.includes("resolve"),
        notifyAcknowledge: extension.updates.includes("acknowledge"),
        notifyReassign: extension.updates.includes("reassign"),
        notifyNotes: extension.updates.includes("notes"),
      };
      const fields = { pagerdutyServiceId: extension.serviceId, slackChannelId: extension.channelId, slackChannelName: extension.channelName, ...toggles };
      const existing = await tx.slackExtension.findUnique({ where: { workspaceId_name: { workspaceId: workspace.id, name: extension.name } } });
      if (!existing) {
        await tx.slackExtension.create({ data: { name: extension.name, workspaceId: workspace.id, managedBy: MANAGED_BY_CONFIG, ...fields } });
        count("created");
        continue;
      }
      const same = existing.managedBy === MANAGED_BY_CONFIG && Object.entries(fields).every(([key, value]) => existing[key as keyof typeof fields] === value);
      if (same) {
        count("unchanged");
        continue;
      }
      await tx.slackExtension.update({ where: { id: existing.id }, data: { ...fields, managedBy: MANAGED_BY_CONFIG } });
      count("updated");
    }

    for (const link of config.userLinks) {
      const existing = await tx.linkedUser.findUnique({ where: { slackTeamId_slackUserId: { slackTeamId: link.teamId, slackUserId: link.slackUserId } } });
      const fields = { pagerdutyUserId: link.pagerdutyUserId, pagerdutyEmail: link.email, managedBy: MANAGED_BY_CONFIG };
      if (!existing) {
        await tx.linkedUser.create({ data: { slackTeamId: link.teamId, slackUserId: link.slackUserId, ...fields } });
        count("created");
      } else if (existing.pagerdutyUserId === fields.pagerdutyUserId && existing.pagerdutyEmail === fields.pagerdutyEmail && existing.managedBy === MANAGED_BY_CONFIG) {
        count("unchanged");
      } else {
        await tx.linkedUser.update({ where: { id: existing.id }, data: fields });
        count("updated");
      }
    }
  });

  log.info({ file: input.file, ...summary }, "Configuration file applied");
  return summary;
}

function safeDecrypt(stored: string, key: Buffer): string | null {
  try {
    return decryptSecret(stored, key);
  } catch {
    return null;
  }
}

export { UPDATE_KINDS };
