import type { Logger } from "pino";
import type { PrismaClient } from "../db/generated/client";
import { toSnapshotFromModel } from "../incidents/snapshot";
import { renderIncidentMessage } from "./incident-message";
import { deliveryClientFor, describeSlackError, isPermanentSlackError, slackErrorName, waitOutRateLimits } from "./client";

export type DeliveryOutcome = "sent" | "held" | "failed" | "gone";

/** Errors that mean the bot cannot post in the channel until someone fixes the channel. */
const CHANNEL_ERRORS = new Set(["not_in_channel", "channel_not_found", "is_archived"]);

/**
 * Posts an incident's message in its channel, or edits it in place once posted, from the current
 * state of the incident: each run shows the newest state, so coalesced or repeated runs are safe.
 * A held message (workspace inactive, extension needing attention) is left pending and sent when
 * the cause is fixed. Throws on failures worth retrying; records permanent ones.
 */
export async function syncIncidentMessage(input: { prisma: PrismaClient; incidentMessageId: string; log: Logger }): Promise<DeliveryOutcome> {
  const { prisma, log } = input;
  const message = await prisma.incidentMessage.findUnique({
    where: { id: input.incidentMessageId },
    include: { incident: true, workspace: true, extension: true },
  });
  if (!message) return "gone";
  if (message.workspace.status !== "active" || (message.extension && message.extension.status !== "working")) {
    log.info({ incidentMessageId: message.id, channel: message.slackChannelId }, "Message held until the workspace or extension works again");
    return "held";
  }

  const links = await prisma.linkedUser.findMany({
    where: { slackTeamId: message.workspace.slackTeamId, pagerdutyUserId: { in: assigneeIds(message.incident.assignees) } },
  });
  const rendered = renderIncidentMessage(toSnapshotFromModel(message.incident), {
    slackUserIdsByPagerdutyUserId: new Map(links.map((link) => [link.pagerdutyUserId, link.slackUserId])),
  });
  const client = deliveryClientFor(message.workspace);
  const channelId = message.slackChannelId;

  try {
    if (message.slackMessageTs) {
      const ts = message.slackMessageTs;
      await waitOutRateLimits(() => client.chat.update({ channel: channelId, ts, text: rendered.text, blocks: rendered.blocks as never }), {
        log,
        method: "chat.update",
        channelId,
      });
      await prisma.incidentMessage.update({
        where: { id: message.id },
        data: { status: "sent", attempts: { increment: 1 }, lastError: null, renderedAt: message.incident.updatedAt },
      });
    } else {
      // NOTE: a process killed after Slack accepted this post but before the ts below is stored posts
      // the message a second time when the job is retried; Slack's chat.postMessage has no idempotency key.
      const result = await waitOutRateLimits(
        () => client.chat.postMessage({ channel: channelId, text: rendered.text, blocks: rendered.blocks as never, unfurl_links: false, unfurl_media: false }),
        { log, method: "chat.postMessage", channelId },
      );
      await prisma.incidentMessage.update({
        where: { id: message.id },
        data: { slackMessageTs: result.ts, status: "sent", attempts: { increment: 1 }, lastError: null, renderedAt: message.incident.updatedAt },
      });
    }
    return "sent";
  } catch (error) {
    const reason = describeSlackError(error);
    if (!isPermanentSlackError(error)) {
      await prisma.incidentMessage.update({ where: { id: message.id }, data: { attempts: { increment: 1 }, lastError: reason } });
      throw error;
    }
    log.error({ incidentMessageId: message.id, channel: message.slackChannelId, reason }, "Slack rejected the incident message");
    await prisma.incidentMessage.update({ where: { id: message.id }, data: { status: "failed", attempts: { increment: 1 }, lastError: reason } });
    const name = slackErrorName(error);
    if (name && CHANNEL_ERRORS.has(name) && message.extension) {
      await prisma.slackExtension.update({
        where: { id: message.extension.id },
        data: { status: "needs_attention", statusReason: channelProblem(name, message.extension.slackChannelName) },
      });
    }
    return "failed";
  }
}

/** Posts a pending thread reply under its incident message. */
export async function postThreadReply(input: { prisma: PrismaClient; threadReplyId: string; log: Logger }): Promise<DeliveryOutcome> {
  const { prisma, log } = input;
  const reply = await prisma.threadReply.findUnique({
    where: { id: input.threadReplyId },
    include: { incidentMessage: { include: { workspace: true, extension: true } } },
  });
  if (!reply) return "gone";
  if (reply.status === "sent") return "sent";
  const parent = reply.incidentMessage;
  if (parent.status === "failed") {
    await prisma.threadReply.update({ where: { id: reply.id }, data: { status: "failed", lastError: `The incident message was not posted: ${parent.lastError ?? "unknown reason"}` } });
    return "failed";
  }
  if (!parent.slackMessageTs) {
    // The parent is still pending (held or being retried); the queue tries this reply again later.
    throw new Error(`Incident message ${parent.id} is not posted yet, so its thread reply waits`);
  }
  if (parent.workspace.status !== "active") return "held";

  try {
    const client = deliveryClientFor(parent.workspace);
    const threadTs = parent.slackMessageTs;
    const result = await waitOutRateLimits(
      () => client.chat.postMessage({ channel: parent.slackChannelId, thread_ts: threadTs, text: reply.text, unfurl_links: false, unfurl_media: false }),
      { log, method: "chat.postMessage", channelId: parent.slackChannelId },
    );
    await prisma.threadReply.update({
      where: { id: reply.id },
      data: { status: "sent", slackMessageTs: result.ts, attempts: { increment: 1 }, lastError: null },
    });
    return "sent";
  } catch (error) {
    const reason = describeSlackError(error);
    if (!isPermanentSlackError(error)) {
      await prisma.threadReply.update({ where: { id: reply.id }, data: { attempts: { increment: 1 }, lastError: reason } });
      throw error;
    }
    log.error({ threadReplyId: reply.id, channel: parent.slackChannelId, reason }, "Slack rejected a thread reply");
    await prisma.threadReply.update({ where: { id: reply.id }, data: { status: "failed", attempts: { increment: 1 }, lastError: reason } });
    return "failed";
  }
}

function assigneeIds(assignees: unknown): string[] {
  if (!Array.isArray(assignees)) return [];
  return assignees.map((assignee) => (assignee as { id?: unknown }).id).filter((id): id is string => typeof id === "string");
}

function channelProblem(error: string, channelName: string): string {
  switch (error) {
    case "not_in_channel":
      return `The bot is not a member of #${channelName}: invite it with /invite @switchboard`;
    case "is_archived":
      return `#${channelName} is archived: choose another channel or unarchive it`;
    default:
      return `Slack cannot find #${channelName}: it may have been deleted, or it is private and the bot is not in it`;
  }
}
