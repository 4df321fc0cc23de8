import type { Logger } from "pino";
import type { PrismaClient } from "../db/generated/client";
import { changeIncidentStatus, type ActionContext } from "./actions/incident-status";
import { showNotAvailableYet } from "./actions/more-actions";
import { ACTION_IDS, MORE_ACTIONS } from "./incident-message";
import { blockActionsSchema, type BlockAction } from "./interaction-payload";

export type InteractionOutcome = "processed" | "ignored" | "already_done" | "failed";

/**
 * Carries out a stored Slack interaction after it was acknowledged. The inbox row is claimed first,
 * so a second run of the same job does nothing.
 */
export async function processSlackInteraction(input: { prisma: PrismaClient; inboundEventId: string; log: Logger; lastAttempt: boolean }): Promise<InteractionOutcome> {
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

  const payloadText = new URLSearchParams(row.raw_body).get("payload") ?? "";
  const parsed = blockActionsSchema.safeParse(JSON.parse(payloadText));
  if (!parsed.success) return finish("ignored", null);
  const payload = parsed.data;

  const workspace = await prisma.slackWorkspace.findUnique({ where: { slackTeamId: payload.team.id } });
  if (!workspace) {
    log.warn({ teamId: payload.team.id }, "Interaction from a workspace that is not mapped");
    return finish("ignored", `Workspace ${payload.team.id} is not mapped`);
  }

  const context: ActionContext = { prisma, workspace, payload, log: log.child({ slackUserId: payload.user.id, teamId: payload.team.id }) };
  try {
    for (const action of payload.actions) await dispatchAction(context, action);
  } catch (error) {
    if (!input.lastAttempt) {
      await prisma.$executeRawUnsafe(
        `UPDATE inbound_event SET last_error = $2 WHERE id = $1::bigint`,
        input.inboundEventId,
        error instanceof Error ? error.message : String(error),
      );
      // The row stays pending, so the retried job claims it again.
      throw error;
    }
    return finish("failed", error instanceof Error ? error.message : String(error));
  }
  return finish("processed", null);
}

async function dispatchAction(context: ActionContext, action: BlockAction): Promise<void> {
  switch (action.action_id) {
    case ACTION_IDS.acknowledge:
      return changeIncidentStatus(context, { incidentId: action.value, status: "acknowledged" });
    case ACTION_IDS.resolve:
      return changeIncidentStatus(context, { incidentId: action.value, status: "resolved" });
    case ACTION_IDS.moreActions: {
      const [choice, incidentId] = (action.selected_option?.value ?? "").split(":");
      // View Details is a link option: Slack opens the URL itself, so there is nothing to do here.
      if (choice === MORE_ACTIONS.viewDetails) return;
      return showNotAvailableYet(context, { choice: choice ?? "", incidentId });
    }
    default:
      context.log.info({ actionId: action.action_id }, "Ignoring an action Switchboard does not handle");
  }
}
