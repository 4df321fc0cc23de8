import type { Logger } from "pino";
import type { PrismaClient } from "../db/generated/client";
import { PagerDutyApiError } from "../pagerduty/client";
import { getPagerDutyClient } from "../pagerduty/connection";
import { getPagerDutySettings } from "../settings/pagerduty-settings";
import { isPermanentSlackError, slackClientFor, slackErrorName } from "../slack/client";
import { stopMessageInChannel } from "./record-channel";
import { findChannelRule } from "./rules";
import { channelErrorFromSlack } from "./slack-errors";

export type ArchiveOutcome = "archived" | "not_due" | "gone" | "failed";

/**
 * Archives an incident's channel once its archive time has come, then writes a note about it to the
 * PagerDuty incident in the name of the user set in Settings → PagerDuty. Each step is recorded, so
 * a retried job does only what is left. Throws on failures worth retrying, which include a note that
 * cannot be written yet because that user or the API token is not set. Permanent failures are
 * recorded in the channel's lastError.
 */
export async function archiveIncidentChannel(input: { prisma: PrismaClient; incidentChannelId: string; log: Logger; now?: Date }): Promise<ArchiveOutcome> {
  const { prisma, log } = input;
  const now = input.now ?? new Date();
  const channel = await prisma.incidentChannel.findUnique({ where: { id: input.incidentChannelId }, include: { incident: true, workspace: true } });
  if (!channel) return "gone";
  const ids = { incidentChannelId: channel.id, slackChannelId: channel.slackChannelId, incidentId: channel.incident.pagerdutyIncidentId };

  if (channel.status === "active") {
    const due = channel.createdBySwitchboard && channel.archiveAt !== null && channel.archiveAt <= now && channel.incident.status === "resolved";
    if (!due) return "not_due";
    if (channel.workspace.status !== "active") {
      throw new Error(`Workspace ${channel.workspace.name} is inactive, so #${channel.slackChannelName} cannot be archived yet`);
    }

    try {
      await slackClientFor(channel.workspace).conversations.archive({ channel: channel.slackChannelId });
    } catch (error) {
      const name = slackErrorName(error);
      if (name !== "already_archived") {
        if (!isPermanentSlackError(error) && name !== "channel_not_found" && name !== "cant_archive_general") throw error;
        const reason =
          channelErrorFromSlack(error, { operation: "archive", workspaceName: channel.workspace.name, isPrivate: channel.isPrivate, channelName: channel.slackChannelName })?.message ??
          `Slack returned ${name}.`;
        log.error({ ...ids, error: name }, "Slack rejected the archive of the incident channel");
        await prisma.incidentChannel.update({ where: { id: channel.id }, data: { lastError: reason } });
        return "failed";
      }
    }
    // Slack rejects edits in an archived channel, so the message there is no longer kept in sync.
    await prisma.$transaction(async (tx) => {
      await tx.incidentChannel.update({ where: { id: channel.id }, data: { status: "archived", archivedAt: now, lastError: null } });
      await stopMessageInChannel(tx, { incidentId: channel.incidentId, slackChannelId: channel.slackChannelId });
    });
    log.info(ids, "Incident channel archived");
  }

  if (channel.archiveNoteAt) return "archived";
  return writeArchiveNote(prisma, { channel, log, now, ids });
}

async function writeArchiveNote(
  prisma: PrismaClient,
  input: {
    channel: { id: string; slackChannelName: string; workspaceId: string; extensionId: string | null; incident: { pagerdutyIncidentId: string; pagerdutyServiceId: string }; workspace: { name: string } };
    log: Logger;
    now: Date;
    ids: Record<string, string>;
  },
): Promise<ArchiveOutcome> {
  const { channel, log } = input;
  const fromEmail = (await getPagerDutySettings()).defaultFromEmail.value;
  const client = await getPagerDutyClient();
  if (!fromEmail || !client) {
    const reason = !client
      ? "The channel was archived, but the note to PagerDuty is not written yet: Switchboard has no PagerDuty API token. Switchboard tries again for several hours."
      : "The channel was archived, but the note to PagerDuty is not written yet: set the PagerDuty user Switchboard acts as in Settings → PagerDuty. Switchboard tries again for several hours.";
    // Thrown so that the job is retried with backoff: once an admin sets the missing value, the note is written.
    log.warn(input.ids, reason);
    await prisma.incidentChannel.update({ where: { id: channel.id }, data: { lastError: reason } });
    throw new Error(reason);
  }

  const found = await findChannelRule(prisma, { pagerdutyServiceId: channel.incident.pagerdutyServiceId, workspaceId: channel.workspaceId, extensionId: channel.extensionId });
  const days = found?.rule.archiveAfterDays;
  const when = days === null || days === undefined ? "after the incident was resolved" : `${days} day${days === 1 ? "" : "s"} after the incident was resolved`;
  const content = `Switchboard archived the incident's Slack channel #${channel.slackChannelName} in ${channel.workspace.name}, ${when}.`;
  try {
    await client.request("POST", `/incidents/${encodeURIComponent(channel.incident.pagerdutyIncidentId)}/notes`, { body: { note: { content } }, from: fromEmail });
  } catch (error) {
    if (!(error instanceof PagerDutyApiError) || error.retryable) throw error;
    const reason = `The channel was archived, but PagerDuty rejected the note (${error.message}${error.errors.length ? `: ${error.errors.join("; ")}` : ""}).`;
    log.error({ ...input.ids, status: error.status, code: error.code }, "PagerDuty rejected the archive note");
    await prisma.incidentChannel.update({ where: { id: channel.id }, data: { lastError: reason } });
    return "archived";
  }
  await prisma.incidentChannel.update({ where: { id: channel.id }, data: { archiveNoteAt: input.now } });
  log.info(input.ids, "Archive note written to the PagerDuty incident");
  return "archived";
}
