import { PagerDutyApiError } from "../../pagerduty/client";
import { addNoteModal } from "../views/modals";
import { findActor, findLinkedUser, loadActor, refusalForService } from "./actor";
import { applyNoteFromRest } from "./apply-update";
import { afterWrite, replyToUser, type SlackUserContext } from "./context";
import { loadIncidentFacts } from "./incident-facts";
import { modalMetadataFor, openModalWithLoading, refusalModal } from "./open-modal";
import { refusalText } from "./incident-status";
import { addIncidentNote } from "./pagerduty-requests";

const TITLE = "Add a Note";

/** More actions… → Add a Note: opens the note modal for a linked user who may act on the incident. */
export async function openAddNoteModal(context: SlackUserContext, input: { incidentId: string }): Promise<void> {
  // Only the database is read before the modal opens, so it opens well within the trigger_id's 3 seconds.
  const linked = await findLinkedUser(context, { pendingAction: { kind: "incident_modal", modal: "add_note", incidentId: input.incidentId }, purpose: "add notes to incidents" });
  if (!linked) return;
  await openModalWithLoading(context, {
    title: TITLE,
    fill: async () => {
      const actor = await loadActor(context, linked);
      const facts = await loadIncidentFacts(context.prisma, actor.client, input.incidentId);
      const refusal = await refusalForService(context, actor, { serviceId: facts.serviceId, refusalPrefix: "You can't add notes to this incident." });
      if (refusal) return refusalModal(context, TITLE, refusal);
      return addNoteModal({ incident: facts, metadata: modalMetadataFor(context, facts.pagerdutyIncidentId) });
    },
  });
}

/**
 * Adds the submitted note to the incident in PagerDuty as the linked user. Where the extension's
 * Notes toggle is on, the incident.annotated webhook that follows posts it as a thread reply.
 */
export async function submitNote(context: SlackUserContext, input: { incidentId: string; content: string }): Promise<void> {
  const actor = await findActor(context, { pendingAction: null, purpose: "add notes to incidents" });
  if (!actor) return;
  const facts = await loadIncidentFacts(context.prisma, actor.client, input.incidentId);
  const refusal = await refusalForService(context, actor, { serviceId: facts.serviceId, refusalPrefix: "You can't add notes to this incident." });
  if (refusal) {
    await replyToUser(context, refusal);
    return;
  }

  let note;
  try {
    note = (await addIncidentNote(actor.client, { incidentId: input.incidentId, content: input.content, fromEmail: actor.link.pagerdutyEmail })).note;
  } catch (error) {
    if (!(error instanceof PagerDutyApiError) || error.retryable) throw error;
    context.log.info({ incidentId: input.incidentId, status: error.status, code: error.code }, "PagerDuty rejected a note");
    await replyToUser(context, refusalText(error, "add a note to"));
    return;
  }
  await afterWrite(context, "show the note", async () => {
    await applyNoteFromRest(context.prisma, { pagerdutyIncidentId: input.incidentId, createdAt: note.created_at, profile: actor.profile });
    await replyToUser(context, `Your note was added to incident #${facts.number}.`);
  });
}
