import { PAGERDUTY_ERROR_CODES, PagerDutyApiError } from "../../pagerduty/client";
import { ensureMayActOnService, findActor } from "./actor";
import { applyIncidentFromRest } from "./apply-update";
import { replyToUser, type SlackUserContext } from "./context";
import { INCIDENT_ID_PATTERN, loadIncidentFacts } from "./incident-facts";

/**
 * Acknowledges or resolves an incident in PagerDuty as the Slack user's linked PagerDuty user.
 * Unlinked users get the "Connect your PagerDuty account" message, and the action runs once they
 * link. Roles that may not act get an ephemeral explanation. In both cases nothing reaches PagerDuty.
 * On success the message shows the new state at once, from the API reply, without waiting for the
 * webhook. Whichever of the two is newer wins.
 */
export async function changeIncidentStatus(context: SlackUserContext, input: { incidentId: string | undefined; status: "acknowledged" | "resolved" }): Promise<void> {
  const { prisma, log } = context;
  if (!input.incidentId || !INCIDENT_ID_PATTERN.test(input.incidentId)) {
    log.warn({ value: input.incidentId }, "Button value is not a PagerDuty incident id");
    await replyToUser(context, "Switchboard could not tell which incident this button belongs to. Use the buttons on the newest incident message.");
    return;
  }
  const incidentId = input.incidentId;
  const verb = input.status === "acknowledged" ? "acknowledge" : "resolve";

  const actor = await findActor(context, { pendingAction: { kind: "incident_status", incidentId, status: input.status }, purpose: `${verb} incidents` });
  if (!actor) return;
  const facts = await loadIncidentFacts(prisma, actor.client, incidentId);
  if (!(await ensureMayActOnService(context, actor, { serviceId: facts.serviceId, refusalPrefix: `You can't ${verb} this incident.` }))) return;

  let updated;
  try {
    updated = await actor.client.updateIncident(incidentId, { status: input.status }, actor.link.pagerdutyEmail);
  } catch (error) {
    if (!(error instanceof PagerDutyApiError) || error.retryable) throw error;
    log.info({ incidentId, status: error.status, code: error.code }, "PagerDuty rejected an incident update");
    await replyToUser(context, refusalText(error, verb));
    return;
  }
  await applyIncidentFromRest(prisma, { incident: updated.incident, action: input.status, profile: actor.profile });
}

/** Explains PagerDuty's refusal of a change made from Slack, in words for the person who clicked. */
export function refusalText(error: PagerDutyApiError, verb: string): string {
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
