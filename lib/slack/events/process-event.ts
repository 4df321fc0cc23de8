import type { Logger } from "pino";
import type { Prisma, PrismaClient } from "../../db/generated/client";
import { isRemovedWorkspace } from "../../workspaces/workspace-state";
import { handleAppUninstalled } from "./app-uninstalled";
import type { SlackEventHandler, SlackEventResult } from "./context";
import { eventCallbackSchema, eventOccurredAt } from "./envelope";
import { handleMemberJoinedChannel } from "./member-joined-channel";
import { handleTokensRevoked } from "./tokens-revoked";

/** Event types Switchboard acts on, one handler each. Other types are stored as ignored. */
export const SLACK_EVENT_HANDLERS: Readonly<Record<string, SlackEventHandler>> = {
  app_uninstalled: handleAppUninstalled,
  tokens_revoked: handleTokensRevoked,
  member_joined_channel: handleMemberJoinedChannel,
};

export function isHandledSlackEvent(type: string): boolean {
  return Object.hasOwn(SLACK_EVENT_HANDLERS, type);
}

export type SlackEventOutcome = "processed" | "ignored" | "already_done" | "failed";

interface InboundRow {
  id: bigint;
  status: string;
  raw_body: string;
}

/**
 * Applies one stored Slack event in one transaction with the inbox row locked, so an event takes
 * effect once even when its job runs twice. A handler that throws rolls everything back, and the
 * job is retried.
 */
export async function processSlackEvent(input: { prisma: PrismaClient; inboundEventId: string; log: Logger }): Promise<SlackEventOutcome> {
  return input.prisma.$transaction(
    async (tx) => {
      const rows = await tx.$queryRawUnsafe<InboundRow[]>(
        `SELECT id, status::text AS status, raw_body FROM inbound_event WHERE id = $1::bigint FOR UPDATE`,
        input.inboundEventId,
      );
      const row = rows[0];
      if (!row || row.status !== "pending") return "already_done";

      const parsed = eventCallbackSchema.safeParse(JSON.parse(row.raw_body));
      if (!parsed.success) return finish(tx, row.id, { status: "ignored", note: "The stored body is not an event_callback envelope" });
      const envelope = parsed.data;
      const log = input.log.child({ eventId: envelope.event_id, eventType: envelope.event.type, teamId: envelope.team_id });

      const handler = SLACK_EVENT_HANDLERS[envelope.event.type];
      if (!handler) return finish(tx, row.id, { status: "ignored", note: null });

      const workspace = await tx.slackWorkspace.findUnique({ where: { slackTeamId: envelope.team_id } });
      if (!workspace) {
        log.warn("Event from a workspace that is not mapped");
        return finish(tx, row.id, { status: "ignored", note: `Workspace ${envelope.team_id} is not mapped` });
      }
      if (isRemovedWorkspace(workspace)) {
        return finish(tx, row.id, { status: "ignored", note: `Workspace ${envelope.team_id} was removed from Switchboard` });
      }

      const result = await handler({ tx, envelope, workspace, occurredAt: eventOccurredAt(envelope), log });
      return finish(tx, row.id, result);
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
}

async function finish(tx: Prisma.TransactionClient, id: bigint, result: SlackEventResult): Promise<SlackEventOutcome> {
  await tx.$executeRawUnsafe(
    `UPDATE inbound_event SET status = $2::"InboundStatus", processed_at = now(), attempts = attempts + 1, last_error = $3 WHERE id = $1`,
    id,
    result.status,
    result.note,
  );
  return result.status;
}
