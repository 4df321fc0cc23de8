import type { IncidentChannelRule, Prisma, SlackExtension } from "../db/generated/client";
import { DEFAULT_NAME_TEMPLATE } from "./channel-name";

type Tx = Prisma.TransactionClient;

export type ExtensionWithRule = SlackExtension & { channelRule: IncidentChannelRule | null };

/**
 * Lists the extensions that post a service's incidents in a workspace, oldest first, with their channel
 * rules. Disabled extensions are left out: their rules no longer apply.
 */
export async function extensionsForService(tx: Tx, input: { pagerdutyServiceId: string; workspaceId?: string }): Promise<ExtensionWithRule[]> {
  return tx.slackExtension.findMany({
    where: { pagerdutyServiceId: input.pagerdutyServiceId, status: { not: "disabled" }, ...(input.workspaceId ? { workspaceId: input.workspaceId } : {}) },
    include: { channelRule: true },
    orderBy: { createdAt: "asc" },
  });
}

/**
 * Finds the rule that governs an incident's channel in a workspace: the rule of the extension that
 * created the channel when there is one, otherwise the first extension of the service in that
 * workspace that has a rule. Null when none has.
 */
export async function findChannelRule(
  tx: Tx,
  input: { pagerdutyServiceId: string; workspaceId: string; extensionId?: string | null },
): Promise<{ rule: IncidentChannelRule; extension: SlackExtension } | null> {
  if (input.extensionId) {
    const own = await tx.slackExtension.findUnique({ where: { id: input.extensionId }, include: { channelRule: true } });
    if (own?.channelRule && own.status !== "disabled") return { rule: own.channelRule, extension: own };
  }
  const extensions = await extensionsForService(tx, input);
  const withRule = extensions.find((extension) => extension.channelRule);
  return withRule?.channelRule ? { rule: withRule.channelRule, extension: withRule } : null;
}

/** Returns the channel name template for a service in a workspace, or the default when no rule sets one. */
export async function nameTemplateFor(tx: Tx, input: { pagerdutyServiceId: string; workspaceId: string }): Promise<string> {
  const found = await findChannelRule(tx, input);
  return found?.rule.nameTemplate || DEFAULT_NAME_TEMPLATE;
}

/** Returns whether a rule creates a channel for an incident of this urgency and priority. */
export function ruleCreatesChannel(rule: Pick<IncidentChannelRule, "autoCreateHighUrgency" | "autoCreatePriorities">, incident: { urgency: string; priority: string | null }): boolean {
  if (rule.autoCreateHighUrgency && incident.urgency === "high") return true;
  return incident.priority !== null && rule.autoCreatePriorities.includes(incident.priority);
}
