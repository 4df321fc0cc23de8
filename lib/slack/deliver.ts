import type { Pool } from "pg";
import type { Logger } from "pino";
import { prepared } from "../db/prepared";
import { toSnapshot, type IncidentSnapshotRow } from "../incidents/apply-change";
import { renderIncidentMessage } from "./incident-message";
import { deliveryClientFor, describeSlackError, isPermanentSlackError, slackErrorName, waitOutRateLimits } from "./client";

export type DeliveryOutcome = "sent" | "held" | "failed" | "gone";

/** Errors that mean the bot cannot post in the channel until someone fixes the channel. */
const CHANNEL_ERRORS = new Set(["not_in_channel", "channel_not_found", "is_archived"]);

// Deliveries run for every incident and every change of one, so they read and write with SQL on the
// worker's pool rather than through Prisma. In a CPU profile of the worker under load, Prisma's
// runtime took about 40 % of its time.

/** A message with its workspace, extension and the incident columns of its snapshot. */
interface MessageRow extends IncidentSnapshotRow {
  id: string;
  slack_channel_id: string;
  slack_message_ts: string | null;
  workspace_id: string;
  slack_team_id: string;
  bot_token_encrypted: string;
  workspace_status: string;
  extension_id: string | null;
  extension_status: string | null;
  extension_channel_name: string | null;
  incident_updated_at: Date;
}

/**
 * Posts an incident's message in its channel, or edits it in place once posted, from the current
 * state of the incident: each run shows the newest state, so coalesced or repeated runs are safe.
 * A held message (workspace inactive, extension needing attention) is left pending and sent when
 * the cause is fixed. Throws on failures worth retrying; records permanent ones.
 */
export async function syncIncidentMessage(input: { pool: Pool; incidentMessageId: string; log: Logger }): Promise<DeliveryOutcome> {
  const { pool, log } = input;
  const { rows } = await pool.query<MessageRow>(
    prepared(
      `SELECT m.id, m.slack_channel_id, m.slack_message_ts,
            w.id AS workspace_id, w.slack_team_id, w.bot_token_encrypted, w.status::text AS workspace_status,
            e.id AS extension_id, e.status::text AS extension_status, e.slack_channel_name AS extension_channel_name,
            i.pagerduty_incident_id, i.number, i.title, i.status, i.urgency, i.priority, i.pagerduty_service_id,
            i.service_name, i.assignees, i.escalation_policy_id, i.escalation_policy_name, i.html_url,
            i.last_action, i.last_action_by_name, i.last_action_at, i.updated_at AS incident_updated_at
       FROM incident_message m
       JOIN incident i ON i.id = m.incident_id
       JOIN slack_workspace w ON w.id = m.workspace_id
       LEFT JOIN slack_extension e ON e.id = m.extension_id
      WHERE m.id = $1::uuid`,
      [input.incidentMessageId],
    ),
  );
  const message = rows[0];
  if (!message) return "gone";
  if (message.workspace_status !== "active" || (message.extension_id && message.extension_status !== "working")) {
    log.info({ incidentMessageId: message.id, channel: message.slack_channel_id }, "Message held until the workspace or extension works again");
    return "held";
  }

  const links = await pool.query<{ pagerduty_user_id: string; slack_user_id: string }>(
    prepared(`SELECT pagerduty_user_id, slack_user_id FROM linked_user WHERE slack_team_id = $1 AND pagerduty_user_id = ANY($2::text[])`, [
      message.slack_team_id,
      assigneeIds(message.assignees),
    ]),
  );
  const rendered = renderIncidentMessage(toSnapshot(message), {
    slackUserIdsByPagerdutyUserId: new Map(links.rows.map((link) => [link.pagerduty_user_id, link.slack_user_id])),
  });
  const client = deliveryClientFor({ id: message.workspace_id, botTokenEncrypted: message.bot_token_encrypted });
  const channelId = message.slack_channel_id;
  const record = (sets: string, values: unknown[]) =>
    pool.query(prepared(`UPDATE incident_message SET ${sets}, attempts = attempts + 1, updated_at = now() WHERE id = $1::uuid`, [message.id, ...values]));

  try {
    if (message.slack_message_ts) {
      const ts = message.slack_message_ts;
      await waitOutRateLimits(() => client.chat.update({ channel: channelId, ts, text: rendered.text, blocks: rendered.blocks as never }), {
        log,
        method: "chat.update",
        channelId,
      });
      await record(`status = 'sent', last_error = NULL, rendered_at = $2`, [message.incident_updated_at]);
    } else {
      // NOTE: a process killed after Slack accepted this post but before the ts below is stored posts
      // the message a second time when the job is retried; Slack's chat.postMessage has no idempotency key.
      const result = await waitOutRateLimits(
        () => client.chat.postMessage({ channel: channelId, text: rendered.text, blocks: rendered.blocks as never, unfurl_links: false, unfurl_media: false }),
        { log, method: "chat.postMessage", channelId },
      );
      await record(`slack_message_ts = $2, status = 'sent', last_error = NULL, rendered_at = $3`, [result.ts ?? null, message.incident_updated_at]);
    }
    return "sent";
  } catch (error) {
    const reason = describeSlackError(error);
    if (!isPermanentSlackError(error)) {
      await record(`last_error = $2`, [reason]);
      throw error;
    }
    log.error({ incidentMessageId: message.id, channel: message.slack_channel_id, reason }, "Slack rejected the incident message");
    await record(`status = 'failed', last_error = $2`, [reason]);
    const name = slackErrorName(error);
    if (name && CHANNEL_ERRORS.has(name) && message.extension_id) {
      await pool.query(prepared(`UPDATE slack_extension SET status = 'needs_attention', status_reason = $2, updated_at = now() WHERE id = $1::uuid`, [
        message.extension_id,
        channelProblem(name, message.extension_channel_name ?? message.slack_channel_id),
      ]));
    }
    return "failed";
  }
}

interface ReplyRow {
  id: string;
  text: string;
  status: string;
  parent_id: string;
  parent_status: string;
  parent_last_error: string | null;
  parent_ts: string | null;
  slack_channel_id: string;
  workspace_id: string;
  bot_token_encrypted: string;
  workspace_status: string;
}

/** Posts a pending thread reply under its incident message. */
export async function postThreadReply(input: { pool: Pool; threadReplyId: string; log: Logger }): Promise<DeliveryOutcome> {
  const { pool, log } = input;
  const { rows } = await pool.query<ReplyRow>(
    prepared(
      `SELECT r.id, r.text, r.status::text AS status,
            m.id AS parent_id, m.status::text AS parent_status, m.last_error AS parent_last_error, m.slack_message_ts AS parent_ts,
            m.slack_channel_id, w.id AS workspace_id, w.bot_token_encrypted, w.status::text AS workspace_status
       FROM thread_reply r
       JOIN incident_message m ON m.id = r.incident_message_id
       JOIN slack_workspace w ON w.id = m.workspace_id
      WHERE r.id = $1::uuid`,
      [input.threadReplyId],
    ),
  );
  const reply = rows[0];
  if (!reply) return "gone";
  if (reply.status === "sent") return "sent";
  const record = (sets: string, values: unknown[]) =>
    pool.query(prepared(`UPDATE thread_reply SET ${sets}, updated_at = now() WHERE id = $1::uuid`, [reply.id, ...values]));
  if (reply.parent_status === "failed") {
    await record(`status = 'failed', last_error = $2`, [`The incident message was not posted: ${reply.parent_last_error ?? "unknown reason"}`]);
    return "failed";
  }
  if (!reply.parent_ts) {
    // The parent is still pending (held or being retried); the queue tries this reply again later.
    throw new Error(`Incident message ${reply.parent_id} is not posted yet, so its thread reply waits`);
  }
  if (reply.workspace_status !== "active") return "held";

  try {
    const client = deliveryClientFor({ id: reply.workspace_id, botTokenEncrypted: reply.bot_token_encrypted });
    const threadTs = reply.parent_ts;
    const result = await waitOutRateLimits(
      () => client.chat.postMessage({ channel: reply.slack_channel_id, thread_ts: threadTs, text: reply.text, unfurl_links: false, unfurl_media: false }),
      { log, method: "chat.postMessage", channelId: reply.slack_channel_id },
    );
    await record(`status = 'sent', slack_message_ts = $2, attempts = attempts + 1, last_error = NULL`, [result.ts ?? null]);
    return "sent";
  } catch (error) {
    const reason = describeSlackError(error);
    if (!isPermanentSlackError(error)) {
      await record(`attempts = attempts + 1, last_error = $2`, [reason]);
      throw error;
    }
    log.error({ threadReplyId: reply.id, channel: reply.slack_channel_id, reason }, "Slack rejected a thread reply");
    await record(`status = 'failed', attempts = attempts + 1, last_error = $2`, [reason]);
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
