import { PagerDutyApiError } from "../../pagerduty/client";
import { escapeAndTruncate } from "../mrkdwn";
import { messageModal, runPlayModal } from "../views/modals";
import { findActor, findLinkedUser, loadActor, refusalForService } from "./actor";
import { afterWrite, replyToUser, type SlackUserContext } from "./context";
import { loadIncidentFacts } from "./incident-facts";
import { refusalText } from "./incident-status";
import { modalMetadataFor, openModalWithLoading, refusalModal } from "./open-modal";
import { listIncidentWorkflows, listResponsePlays, runResponsePlay, startIncidentWorkflow } from "./pagerduty-requests";

const TITLE = "Run a Play";
const REFUSAL_PREFIX = "You can't run plays on this incident.";

/**
 * More actions… → Run a Play: a modal listing the account's incident workflows and, where the
 * account still has them, its response plays.
 */
export async function openRunPlayModal(context: SlackUserContext, input: { incidentId: string }): Promise<void> {
  // Only the database is read before the modal opens, so it opens well within the trigger_id's 3 seconds.
  const linked = await findLinkedUser(context, { pendingAction: { kind: "incident_modal", modal: "run_play", incidentId: input.incidentId }, purpose: "run plays on incidents" });
  if (!linked) return;
  await openModalWithLoading(context, {
    title: TITLE,
    fill: async () => {
      const actor = await loadActor(context, linked);
      const facts = await loadIncidentFacts(context.prisma, actor.client, input.incidentId);
      const refusal = await refusalForService(context, actor, { serviceId: facts.serviceId, refusalPrefix: REFUSAL_PREFIX });
      if (refusal) return refusalModal(context, TITLE, refusal);
      const [workflows, responsePlays] = await Promise.all([listIncidentWorkflows(actor.client), listResponsePlays(actor.client, actor.link.pagerdutyEmail)]);
      if (workflows.length === 0 && responsePlays.length === 0) {
        return messageModal(TITLE, "This PagerDuty account has no incident workflows or response plays to run. Create an incident workflow in PagerDuty (Automation → Incident Workflows) first.");
      }
      return runPlayModal({
        incident: facts,
        workflows: workflows.map((workflow) => ({ id: workflow.id, name: workflow.name })),
        responsePlays: responsePlays.map((play) => ({ id: play.id, name: play.name })),
        metadata: modalMetadataFor(context, facts.pagerdutyIncidentId),
      });
    },
  });
}

/** Starts the chosen incident workflow (or runs the response play) on the incident, as the linked user. */
export async function submitRunPlay(context: SlackUserContext, input: { incidentId: string; kind: "workflow" | "response_play"; id: string; name: string | null }): Promise<void> {
  const actor = await findActor(context, { pendingAction: null, purpose: "run plays on incidents" });
  if (!actor) return;
  const facts = await loadIncidentFacts(context.prisma, actor.client, input.incidentId);
  const refusal = await refusalForService(context, actor, { serviceId: facts.serviceId, refusalPrefix: REFUSAL_PREFIX });
  if (refusal) {
    await replyToUser(context, refusal);
    return;
  }

  const what = input.kind === "workflow" ? "incident workflow" : "response play";
  try {
    if (input.kind === "workflow") {
      await startIncidentWorkflow(actor.client, { workflowId: input.id, incidentId: input.incidentId, fromEmail: actor.link.pagerdutyEmail });
    } else {
      await runResponsePlay(actor.client, { responsePlayId: input.id, incidentId: input.incidentId, fromEmail: actor.link.pagerdutyEmail });
    }
  } catch (error) {
    if (!(error instanceof PagerDutyApiError) || error.retryable) throw error;
    context.log.info({ incidentId: input.incidentId, kind: input.kind, playId: input.id, status: error.status, code: error.code }, "PagerDuty rejected a play");
    await replyToUser(context, refusalText(error, `run the ${what} on`));
    return;
  }
  const name = input.name ? ` "${escapeAndTruncate(input.name, 200)}"` : "";
  await afterWrite(context, "confirm the play", () => replyToUser(context, `Started the ${what}${name} on incident #${facts.number}.`));
}
