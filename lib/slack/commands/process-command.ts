import type { Logger } from "pino";
import type { PrismaClient } from "../../db/generated/client";
import { unlinkSlackUser } from "../../linking/manage-links";
import { replyToUser, type SlackUserContext } from "../actions/context";
import { replyEphemeral } from "../actions/reply";
import { channelService, openTriggerModal, triggerNotMappedText } from "../actions/trigger";
import { answerOncall } from "./oncall";
import { parseSlashCommand, splitSubcommand } from "./payload";

export type CommandOutcome = "processed" | "ignored" | "already_done" | "failed";

/**
 * Carries out a stored slash command after it was acknowledged: `/pd trigger`, `oncall` and
 * `unlink`. Replies go through the command's response_url first, which works in DMs and in private
 * channels the bot is not in. The inbox row is claimed first, so a second run does nothing.
 */
export async function processSlackCommand(input: { prisma: PrismaClient; inboundEventId: string; log: Logger; lastAttempt: boolean }): Promise<CommandOutcome> {
  const { prisma, log } = input;
  const claimed = await prisma.$queryRawUnsafe<{ raw_body: string }[]>(
    `UPDATE inbound_event SET attempts = attempts + 1 WHERE id = $1::bigint AND status = 'pending' RETURNING raw_body`,
    input.inboundEventId,
  );
  const row = claimed[0];
  if (!row) return "already_done";
  const finish = async (status: "processed" | "ignored" | "failed", error: string | null) => {
    await prisma.$executeRawUnsafe(
      `UPDATE inbound_event SET status = $2::"InboundStatus", processed_at = now(), last_error = $3 WHERE id = $1::bigint`,
      input.inboundEventId,
      status,
      error,
    );
    return status;
  };

  const command = parseSlashCommand(new URLSearchParams(row.raw_body));
  if (!command) return finish("ignored", "Stored command lacks required fields");
  const commandLog = log.child({ slackUserId: command.user_id, teamId: command.team_id, command: command.command });

  const workspace = await prisma.slackWorkspace.findUnique({ where: { slackTeamId: command.team_id } });
  if (!workspace) {
    commandLog.warn("Slash command from a workspace that is not mapped");
    await replyEphemeral(
      { workspace: null, slackUserId: command.user_id, responseUrl: command.response_url, preferResponseUrl: true },
      { text: "This Slack workspace is not connected to Switchboard yet. A Switchboard admin can connect it under Slack Workspace Mapping." },
      commandLog,
    );
    return finish("ignored", `Workspace ${command.team_id} is not mapped`);
  }

  const context: SlackUserContext = {
    prisma,
    workspace,
    slackUserId: command.user_id,
    channelId: command.channel_id,
    responseUrl: command.response_url,
    triggerId: command.trigger_id,
    preferResponseUrl: true,
    log: commandLog,
  };
  const { name, argument } = splitSubcommand(command.text);
  try {
    switch (name) {
      case "trigger":
        await triggerCommand(context, command.channel_name);
        break;
      case "oncall":
        await answerOncall(context, { argument, channelName: command.channel_name });
        break;
      case "unlink":
        await unlinkCommand(context);
        break;
      default:
        return finish("ignored", null);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!input.lastAttempt) {
      await prisma.$executeRawUnsafe(`UPDATE inbound_event SET last_error = $2 WHERE id = $1::bigint`, input.inboundEventId, message);
      // The row stays pending, so the retried job claims it again.
      throw error;
    }
    commandLog.error({ err: error }, "Slash command failed on its last attempt");
    await replyToUser(context, "Switchboard could not finish this command. Try again in a minute; the server log has the details.").catch(() => undefined);
    return finish("failed", message);
  }
  return finish("processed", null);
}

/** `/pd trigger`: the modal, after the channel check that PagerDuty also makes. */
async function triggerCommand(context: SlackUserContext, channelName: string | undefined): Promise<void> {
  const service = await channelService(context, channelName);
  if (service.kind === "not_mapped") {
    await replyToUser(context, triggerNotMappedText());
    return;
  }
  await openTriggerModal(context, { defaultServiceId: service.kind === "mapped" ? service.serviceId : null });
}

/** `/pd unlink`: removes the Slack user's own link. */
async function unlinkCommand(context: SlackUserContext): Promise<void> {
  const outcome = await unlinkSlackUser({ prisma: context.prisma, slackTeamId: context.workspace.slackTeamId, slackUserId: context.slackUserId });
  switch (outcome.status) {
    case "removed":
      context.log.info("Slack user removed their link with /pd unlink");
      await replyToUser(context, `Your Slack account is no longer linked to the PagerDuty user ${outcome.pagerdutyEmail}. The next incident action you take asks you to connect again.`);
      return;
    case "not_linked":
      await replyToUser(context, "Your Slack account is not linked to a PagerDuty user, so there was nothing to unlink.");
      return;
    case "managed_by_config":
      await replyToUser(context, "Your link is set in Switchboard's configuration file, so it can't be removed from Slack. Ask a Switchboard admin to remove it there.");
      return;
  }
}
