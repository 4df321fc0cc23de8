import type { PrismaClient } from "../db/generated/client";
import { recordAudit } from "../audit/record-audit";
import { AppError } from "../errors";
import type { ChannelActor } from "./record-channel";
import { stopMessageInChannel } from "./record-channel";

/**
 * Ends the association of an incident and its channel. The channel and the message in it stay in
 * Slack as they are; Switchboard stops editing that message and never archives the channel.
 */
export async function removeIncidentChannel(input: { prisma: PrismaClient; incidentId: string; actor: ChannelActor }): Promise<void> {
  await input.prisma.$transaction(async (tx) => {
    const channel = await tx.incidentChannel.findUnique({ where: { incidentId: input.incidentId }, include: { incident: true } });
    if (!channel) throw new AppError("not_found", "This incident has no channel to remove. Reload the page to see its current state.");

    await stopMessageInChannel(tx, { incidentId: input.incidentId, slackChannelId: channel.slackChannelId });
    await tx.incidentChannel.delete({ where: { id: channel.id } });
    await tx.incidentChannelAttempt.deleteMany({ where: { incidentId: input.incidentId } });
    await recordAudit(tx, {
      actor: { userId: input.actor.userId, label: input.actor.label },
      action: "incident_channel.remove",
      targetType: "incident",
      targetId: channel.incident.pagerdutyIncidentId,
      details: { slackChannelId: channel.slackChannelId, slackChannelName: channel.slackChannelName },
    });
  });
}
