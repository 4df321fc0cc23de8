import type { Pool } from "pg";
import type { Logger } from "pino";
import type { PrismaClient, SlackWorkspace } from "../db/generated/client";
import { createChannelFromSlack } from "../incident-channels/from-slack";
import { prepared } from "../db/prepared";
import { findWorkspaceByTeamId } from "../workspaces/by-team";
import { MODAL_ACTIONS, type ModalAction } from "../linking/pending-action";
import { submitNote } from "./actions/add-note";
import { LINK_ACTION_IDS } from "./actions/actor";
import { replyToUser, type SlackUserContext } from "./actions/context";
import { continueAfterLink, openIncidentModal } from "./actions/continue-after-link";
import { submitEscalation } from "./actions/escalate";
import { INCIDENT_ID_PATTERN } from "./actions/incident-facts";
import { changeIncidentStatus } from "./actions/incident-status";
import { submitRunPlay } from "./actions/run-play";
import { submitTrigger } from "./actions/trigger";
import { showIncidentDetails } from "./actions/view-details";
import { ACTION_IDS, MORE_ACTIONS } from "./incident-message";
import { blockActionsSchema, type BlockAction, type BlockActionsPayload } from "./interaction-payload";
import { decodeModalMetadata } from "./views/metadata";
import { CALLBACK_IDS } from "./views/modals";
import { checkViewSubmission, viewSubmissionSchema, type ViewSubmissionPayload } from "./views/submission";

export type InteractionOutcome = "processed" | "ignored" | "already_done" | "failed";

/** More actions… options that open a modal, by option value. */
const MODAL_BY_OPTION: Record<string, ModalAction> = {
  [MORE_ACTIONS.addNote]: "add_note",
  [MORE_ACTIONS.escalate]: "escalate",
  [MORE_ACTIONS.runPlay]: "run_play",
};

/**
 * Claims the stored interactions among `inboundEventIds` that are still pending, counting an
 * attempt for each, in one statement. Returns their bodies by id; a second run of the same job
 * gets none of those already done.
 */
export async function claimSlackInteractions(pool: Pool, inboundEventIds: string[]): Promise<Map<string, string>> {
  const claimed = await pool.query<{ id: string; raw_body: string }>(
    prepared(`UPDATE inbound_event SET attempts = attempts + 1 WHERE id = ANY($1::bigint[]) AND status = 'pending' RETURNING id::text AS id, raw_body`, [inboundEventIds]),
  );
  return new Map(claimed.rows.map((row) => [row.id, row.raw_body]));
}

/**
 * Carries out a stored Slack interaction (block_actions or view_submission) after it was
 * acknowledged. The inbox row is claimed first, so a second run of the same job does nothing.
 */
export async function processSlackInteraction(input: {
  prisma: PrismaClient;
  /** The inbox bookkeeping and the workspace lookup, done for every interaction, use SQL on this pool. */
  pool: Pool;
  inboundEventId: string;
  /** The stored body, when the caller has claimed the row already (claimSlackInteractions). */
  rawBody?: string;
  log: Logger;
  lastAttempt: boolean;
}): Promise<InteractionOutcome> {
  const { prisma, pool, log } = input;
  let rawBody = input.rawBody;
  if (rawBody === undefined) {
    const claimed = await claimSlackInteractions(pool, [input.inboundEventId]);
    rawBody = claimed.get(input.inboundEventId);
    if (rawBody === undefined) return "already_done";
  }

  const finish = async (status: "processed" | "ignored" | "failed", error: string | null) => {
    await pool.query(
      prepared(`UPDATE inbound_event SET status = $2::"InboundStatus", processed_at = now(), last_error = $3 WHERE id = $1::bigint`, [input.inboundEventId, status, error]),
    );
    return status;
  };

  const json: unknown = JSON.parse(new URLSearchParams(rawBody).get("payload") ?? "null");
  const actions = blockActionsSchema.safeParse(json);
  const submission = actions.success ? null : viewSubmissionSchema.safeParse(json);
  let teamId: string | null = null;
  if (actions.success) teamId = actions.data.team.id;
  else if (submission?.success) teamId = submission.data.team.id;
  if (!teamId) return finish("ignored", null);

  const workspace = await findWorkspaceByTeamId(pool, teamId);
  if (!workspace) {
    log.warn({ teamId }, "Interaction from a workspace that is not mapped");
    return finish("ignored", `Workspace ${teamId} is not mapped`);
  }

  try {
    if (actions.success) {
      const context = contextForActions(prisma, workspace, actions.data, log);
      for (const action of actions.data.actions) await dispatchAction(context, action);
    } else if (submission?.success) {
      await dispatchSubmission(prisma, workspace, submission.data, log);
    }
  } catch (error) {
    if (!input.lastAttempt) {
      await pool.query(`UPDATE inbound_event SET last_error = $2 WHERE id = $1::bigint`, [
        input.inboundEventId,
        error instanceof Error ? error.message : String(error),
      ]);
      // The row stays pending, so the retried job claims it again.
      throw error;
    }
    return finish("failed", error instanceof Error ? error.message : String(error));
  }
  return finish("processed", null);
}

function contextForActions(prisma: PrismaClient, workspace: SlackWorkspace, payload: BlockActionsPayload, log: Logger): SlackUserContext {
  return {
    prisma,
    workspace,
    slackUserId: payload.user.id,
    channelId: payload.channel?.id ?? payload.container?.channel_id,
    responseUrl: payload.response_url,
    triggerId: payload.trigger_id,
    log: log.child({ slackUserId: payload.user.id, teamId: payload.team.id }),
  };
}

async function dispatchAction(context: SlackUserContext, action: BlockAction): Promise<void> {
  switch (action.action_id) {
    case ACTION_IDS.acknowledge:
      return changeIncidentStatus(context, { incidentId: action.value, status: "acknowledged" });
    case ACTION_IDS.resolve:
      return changeIncidentStatus(context, { incidentId: action.value, status: "resolved" });
    case ACTION_IDS.moreActions:
      return dispatchMoreActions(context, action.selected_option?.value ?? "");
    case LINK_ACTION_IDS.continueAfterLink:
      return continueAfterLink(context, action.value);
    default:
      // URL buttons (Connect, Open in PagerDuty) also send block_actions; Slack opens their links itself.
      context.log.debug({ actionId: action.action_id }, "Ignoring an action Switchboard does not handle");
  }
}

async function dispatchMoreActions(context: SlackUserContext, optionValue: string): Promise<void> {
  const separator = optionValue.indexOf(":");
  const choice = separator < 0 ? optionValue : optionValue.slice(0, separator);
  const incidentId = separator < 0 ? "" : optionValue.slice(separator + 1);
  if (!INCIDENT_ID_PATTERN.test(incidentId)) {
    context.log.warn({ value: optionValue }, "More actions option without a PagerDuty incident id");
    await replyToUser(context, "Switchboard could not tell which incident this menu belongs to. Use the newest incident message.");
    return;
  }
  if (choice === MORE_ACTIONS.viewDetails) return showIncidentDetails(context, { incidentId });
  if (choice === MORE_ACTIONS.createChannel) return createChannelFromSlack(context, { incidentId });
  const modal = MODAL_BY_OPTION[choice];
  if (modal && (MODAL_ACTIONS as readonly string[]).includes(modal)) return openIncidentModal(context, { modal, incidentId });
  context.log.info({ choice }, "Unknown More actions option");
}

/** Carries out a modal submission that passed the checks made when it was received. */
async function dispatchSubmission(prisma: PrismaClient, workspace: SlackWorkspace, payload: ViewSubmissionPayload, log: Logger): Promise<void> {
  const metadata = decodeModalMetadata(payload.view.private_metadata);
  const context: SlackUserContext = {
    prisma,
    workspace,
    slackUserId: payload.user.id,
    channelId: metadata.channelId,
    responseUrl: metadata.responseUrl,
    // The modal has closed, so the response_url of the click or command that opened it is the surest way back.
    preferResponseUrl: true,
    log: log.child({ slackUserId: payload.user.id, teamId: payload.team.id, viewId: payload.view.id }),
  };
  const check = checkViewSubmission(payload.view.callback_id, payload.view.state.values);
  if (!check.ok) {
    context.log.warn({ callbackId: payload.view.callback_id }, "Stored view submission no longer passes its checks");
    return;
  }
  const data = check.data;
  if (data.callbackId === CALLBACK_IDS.trigger) return submitTrigger(context, { viewId: payload.view.id, ...data });

  const incidentId = metadata.incidentId;
  if (!incidentId || !INCIDENT_ID_PATTERN.test(incidentId)) {
    context.log.warn({ callbackId: data.callbackId }, "Modal submission without an incident id in its private_metadata");
    await replyToUser(context, "Switchboard could not tell which incident this form was for. Start again from the incident message.");
    return;
  }
  switch (data.callbackId) {
    case CALLBACK_IDS.addNote:
      return submitNote(context, { incidentId, content: data.content });
    case CALLBACK_IDS.escalate:
      return submitEscalation(context, { incidentId, choice: data.choice });
    case CALLBACK_IDS.runPlay:
      return submitRunPlay(context, { incidentId, kind: data.kind, id: data.id, name: data.name });
  }
}
