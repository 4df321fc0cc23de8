import type { Logger } from "pino";
import type { PrismaClient } from "../db/generated/client";
import { AppError } from "../errors";
import { slackClientFor } from "../slack/client";
import { ChannelAttemptInProgressError, type SetChannelResult } from "./create-channel";
import { loadIncidentAndWorkspace } from "./load";
import { recordIncidentChannel, type ChannelActor } from "./record-channel";
import { channelErrorFromSlack } from "./slack-errors";

const CHANNEL_ID = /^[CG][A-Z0-9]{2,30}$/;

/**
 * Makes an existing Slack channel the incident's channel, replacing any earlier one, and queues the
 * incident message for it. The bot joins a public channel it is not in. A private channel must
 * already have the bot, because Slack shows private channels only to their members.
 */
export async function associateIncidentChannel(input: {
  prisma: PrismaClient;
  incidentId: string;
  workspaceId: string;
  slackChannelId: string;
  actor: ChannelActor;
  log: Logger;
}): Promise<SetChannelResult> {
  const { prisma, log } = input;
  if (!CHANNEL_ID.test(input.slackChannelId)) {
    throw new AppError("invalid_input", `"${input.slackChannelId}" is not a Slack channel ID. Choose a channel from the list.`, { slackChannelId: "Choose a channel from the list." });
  }
  const { incident, workspace } = await loadIncidentAndWorkspace(prisma, input);

  const attempt = await prisma.incidentChannelAttempt.findUnique({ where: { incidentId: incident.id } });
  if (attempt && attempt.lockedUntil > new Date()) throw new ChannelAttemptInProgressError();

  const client = slackClientFor(workspace);
  const refusal = (error: unknown, operation: "read" | "join", channelName?: string) =>
    channelErrorFromSlack(error, { operation, workspaceName: workspace.name, channelName: channelName ?? input.slackChannelId }) ?? error;

  let info;
  try {
    info = (await client.conversations.info({ channel: input.slackChannelId })).channel;
  } catch (error) {
    throw refusal(error, "read");
  }
  if (!info?.id || !info.name) throw new AppError("upstream_failed", "Slack returned the channel without an ID or name. Try again.");
  if (info.is_archived) throw new AppError("conflict", `#${info.name} is archived. Unarchive it in Slack or choose another channel.`, { slackChannelId: "This channel is archived." });

  if (!info.is_member) {
    try {
      await client.conversations.join({ channel: info.id });
    } catch (error) {
      throw refusal(error, "join", info.name);
    }
  }

  const channel = await prisma.$transaction((tx) =>
    recordIncidentChannel(tx, {
      incidentId: incident.id,
      pagerdutyIncidentId: incident.pagerdutyIncidentId,
      workspaceId: workspace.id,
      slackChannelId: info.id!,
      slackChannelName: info.name!,
      isPrivate: Boolean(info.is_private),
      createdBySwitchboard: false,
      extensionId: null,
      actor: input.actor,
    }),
  );
  log.info({ incidentId: incident.pagerdutyIncidentId, slackChannelId: channel.slackChannelId }, "Existing channel associated with the incident");
  return { channel, invited: [], warnings: [], recovered: false };
}
