import type { Prisma } from "../db/generated/client";
import { channelQueue, enqueueJob, TASKS } from "../queue/jobs";

type Tx = Prisma.TransactionClient;

export type HeldScope = { workspaceId: string } | { extensionIds: string[] };

/**
 * Queues again what a hold kept from Slack, in the transaction of the change that ends the hold.
 * That is incident messages never posted (held, or failed meanwhile), posted messages that show an
 * older state of the incident than the stored one, and unsent thread replies. Messages are queued
 * before replies in each channel's queue, so a reply never runs before its message.
 * NOTE: everything unsent is re-sent, however old; a channel broken for weeks gets its whole backlog.
 */
export async function resendHeldMessages(tx: Tx, scope: HeldScope): Promise<{ messages: number; replies: number }> {
  const [filter, value] =
    "workspaceId" in scope ? ["m.workspace_id = $1::uuid", scope.workspaceId] : ["m.extension_id = ANY($1::uuid[])", scope.extensionIds];
  if (Array.isArray(value) && value.length === 0) return { messages: 0, replies: 0 };

  const messages = await tx.$queryRawUnsafe<{ id: string; slack_channel_id: string }[]>(
    `SELECT m.id::text AS id, m.slack_channel_id
       FROM incident_message m JOIN incident i ON i.id = m.incident_id
      WHERE ${filter}
        AND (m.status <> 'sent' OR m.rendered_at IS NULL OR m.rendered_at < i.updated_at)
      ORDER BY m.created_at`,
    value,
  );
  for (const message of messages) {
    await tx.incidentMessage.updateMany({ where: { id: message.id, status: "failed" }, data: { status: "pending" } });
    await enqueueJob(tx, TASKS.syncIncidentMessage, { incidentMessageId: message.id }, { queueName: channelQueue(message.slack_channel_id), jobKey: `sync:${message.id}` });
  }

  const replies = await tx.$queryRawUnsafe<{ id: string; slack_channel_id: string }[]>(
    `SELECT r.id::text AS id, m.slack_channel_id
       FROM thread_reply r JOIN incident_message m ON m.id = r.incident_message_id
      WHERE ${filter} AND r.status <> 'sent'
      ORDER BY r.created_at`,
    value,
  );
  for (const reply of replies) {
    await tx.threadReply.updateMany({ where: { id: reply.id, status: "failed" }, data: { status: "pending" } });
    await enqueueJob(tx, TASKS.postThreadReply, { threadReplyId: reply.id }, { queueName: channelQueue(reply.slack_channel_id), jobKey: `reply:${reply.id}` });
  }
  return { messages: messages.length, replies: replies.length };
}
