import type { Logger } from "pino";
import type { PrismaClient, SlackWorkspace } from "../../db/generated/client";
import { applyIncidentState } from "../../incidents/apply-change";
import { stateFromRest } from "../../incidents/rest-state";
import { PAGERDUTY_ERROR_CODES, PagerDutyApiError } from "../../pagerduty/client";
import { getPagerDutyClient } from "../../pagerduty/connection";
import { checkIncidentPermission } from "../../pagerduty/permissions";
import { getPagerDutyUserProfile } from "../../pagerduty/users";
import { channelQueue, enqueueJob, TASKS } from "../../queue/jobs";
import { sendEphemeral } from "../ephemeral";
import type { BlockActionsPayload } from "../interaction-payload";

export interface ActionContext {
  prisma: PrismaClient;
  workspace: SlackWorkspace;
  payload: BlockActionsPayload;
  log: Logger;
}

const INCIDENT_ID = /^[A-Z0-9]{1,32}$/i;

/**
 * Acknowledges or resolves an incident in PagerDuty as the Slack user's linked PagerDuty user.
 * Unlinked users and roles that may not act get an ephemeral explanation and nothing reaches
 * PagerDuty. On success the message shows the new state at once, from the API reply, without
 * waiting for the webhook. Whichever of the two is newer wins.
 */
export async function changeIncidentStatus(context: ActionContext, input: { incidentId: string | undefined; status: "acknowledged" | "resolved" }): Promise<void> {
  const { prisma, workspace, payload, log } = context;
  const reply = (text: string) =>
    sendEphemeral({ workspace, channelId: payload.channel?.id ?? payload.container?.channel_id, slackUserId: payload.user.id, text, responseUrl: payload.response_url, log });

  if (!input.incidentId || !INCIDENT_ID.test(input.incidentId)) {
    log.warn({ value: input.incidentId }, "Button value is not a PagerDuty incident id");
    await reply("Switchboard could not tell which incident this button belongs to. Use the buttons on the newest incident message.");
    return;
  }
  const incidentId = input.incidentId;
  const verb = input.status === "acknowledged" ? "acknowledge" : "resolve";

  const link = await prisma.linkedUser.findUnique({ where: { slackTeamId_slackUserId: { slackTeamId: workspace.slackTeamId, slackUserId: payload.user.id } } });
  if (!link) {
    await reply(
      `You need to connect your PagerDuty account before you can ${verb} incidents from Slack. Ask a Switchboard admin to link your Slack account to your PagerDuty user. Nothing was sent to PagerDuty.`,
    );
    return;
  }

  const client = await getPagerDutyClient();
  if (!client) {
    await reply("Switchboard is not connected to PagerDuty yet: an admin needs to set its PagerDuty API token. Nothing was sent to PagerDuty.");
    return;
  }

  const profile = await getPagerDutyUserProfile({ prisma, client, pagerdutyUserId: link.pagerdutyUserId });
  const stored = await prisma.incident.findUnique({ where: { pagerdutyIncidentId: incidentId } });
  const serviceId = stored?.pagerdutyServiceId ?? (await client.getIncident(incidentId)).incident.service.id;
  const serviceTeamIds =
    profile.role === "limited_user" || profile.role === "restricted_access"
      ? ((await client.getService(serviceId)).service.teams ?? []).map((team) => team.id)
      : [];
  const permission = checkIncidentPermission({ role: profile.role, userTeamIds: profile.teamIds, serviceTeamIds });
  if (!permission.allowed) {
    log.info({ slackUserId: payload.user.id, pagerdutyUserId: link.pagerdutyUserId, reason: permission.reason, incidentId }, "Incident action rejected: the PagerDuty role may not act");
    await reply(`You can't ${verb} this incident. ${permission.message} Nothing was sent to PagerDuty.`);
    return;
  }

  let updated;
  try {
    updated = await client.updateIncident(incidentId, { status: input.status }, link.pagerdutyEmail);
  } catch (error) {
    if (!(error instanceof PagerDutyApiError) || error.retryable) throw error;
    log.info({ incidentId, status: error.status, code: error.code }, "PagerDuty rejected an incident update");
    await reply(refusalText(error, verb));
    return;
  }

  const incident = updated.incident;
  const occurredAt = new Date(incident.last_status_change_at ?? incident.updated_at ?? Date.now());
  await prisma.$transaction(async (tx) => {
    const change = await applyIncidentState(tx, {
      state: stateFromRest(incident),
      occurredAt,
      action: { action: input.status, byName: profile.name, byPagerdutyUserId: profile.pagerdutyUserId },
    });
    if (!change.stateApplied && !change.actionApplied) return;
    const messages = await tx.incidentMessage.findMany({ where: { incidentId: change.incidentId } });
    for (const message of messages) {
      await enqueueJob(tx, TASKS.syncIncidentMessage, { incidentMessageId: message.id }, { queueName: channelQueue(message.slackChannelId), jobKey: `sync:${message.id}` });
    }
  });
}

function refusalText(error: PagerDutyApiError, verb: string): string {
  switch (error.code) {
    case PAGERDUTY_ERROR_CODES.alreadyResolved:
      return "This incident is already resolved.";
    case PAGERDUTY_ERROR_CODES.alreadyAcknowledged:
      return "This incident is already acknowledged.";
    case PAGERDUTY_ERROR_CODES.accessDenied:
      return `PagerDuty did not let you ${verb} this incident: ${error.message}. Nothing changed.`;
    case PAGERDUTY_ERROR_CODES.notFound:
      return "PagerDuty cannot find this incident any more; it may have been merged or deleted.";
    default:
      return `PagerDuty refused to ${verb} the incident (${error.message}${error.errors.length ? `: ${error.errors.join("; ")}` : ""}). Nothing changed.`;
  }
}
