import type { Logger } from "pino";
import { recordAudit } from "../audit/record-audit";
import type { PrismaClient } from "../db/generated/client";
import { AppError } from "../errors";
import { buildChannelName } from "./channel-name";
import { ChannelAttemptInProgressError, createIncidentChannel } from "./create-channel";
import { ruleCreatesChannel } from "./rules";

export type AutoCreateOutcome = "created" | "skipped" | "failed";

/**
 * Creates an incident's channel under an extension's rule, unless the incident already has one,
 * was resolved meanwhile, or no longer matches the rule. A Slack refusal is written to the audit
 * log, where admins see why no channel appeared; failures worth retrying are thrown.
 */
export async function createChannelByRule(input: { prisma: PrismaClient; incidentId: string; extensionId: string; log: Logger }): Promise<AutoCreateOutcome> {
  const { prisma, log } = input;
  const [incident, extension] = await Promise.all([
    prisma.incident.findUnique({ where: { id: input.incidentId }, include: { channel: true } }),
    prisma.slackExtension.findUnique({ where: { id: input.extensionId }, include: { channelRule: true } }),
  ]);
  if (!incident || !extension?.channelRule || extension.status === "disabled") return "skipped";
  if (incident.channel || incident.status === "resolved" || !ruleCreatesChannel(extension.channelRule, incident)) return "skipped";

  const actor = { userId: null, label: `Extension ${extension.name}`, slackUserId: null };
  const name = buildChannelName(extension.channelRule.nameTemplate, { number: incident.number, title: incident.title, serviceName: incident.serviceName, createdAt: incident.createdAt });
  try {
    await createIncidentChannel({
      prisma,
      incidentId: incident.id,
      workspaceId: extension.workspaceId,
      name,
      isPrivate: extension.channelRule.autoCreatePrivate,
      actor,
      extensionId: extension.id,
      log,
    });
    return "created";
  } catch (error) {
    // Another creation is running for the incident: a later retry finds its channel and skips.
    if (!(error instanceof AppError) || error instanceof ChannelAttemptInProgressError) throw error;
    log.warn({ incidentId: incident.pagerdutyIncidentId, extensionId: extension.id, code: error.code }, "The extension's rule could not create the incident channel");
    await prisma.$transaction((tx) =>
      recordAudit(tx, {
        actor: { userId: null, label: actor.label },
        action: "incident_channel.auto_create_failed",
        targetType: "incident",
        targetId: incident.pagerdutyIncidentId,
        details: { extensionId: extension.id, reason: error.message },
      }),
    );
    return "failed";
  }
}
