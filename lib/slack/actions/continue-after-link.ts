import { MODAL_ACTIONS, type ModalAction, type PendingAction } from "../../linking/pending-action";
import { openAddNoteModal } from "./add-note";
import { replyToUser, type SlackUserContext } from "./context";
import { openEscalateModal } from "./escalate";
import { INCIDENT_ID_PATTERN } from "./incident-facts";
import { openRunPlayModal } from "./run-play";
import { channelService, openTriggerModal, triggerNotMappedText } from "./trigger";

/** Returns the value of the Continue button for a modal action: "add_note:<incident id>" or "trigger". */
export function continueButtonValue(action: Exclude<PendingAction, { kind: "incident_status" }>): string {
  return action.kind === "trigger" ? "trigger" : `${action.modal}:${action.incidentId}`;
}

/** Opens the modal of a More actions… option for an incident. */
export async function openIncidentModal(context: SlackUserContext, input: { modal: ModalAction; incidentId: string }): Promise<void> {
  switch (input.modal) {
    case "add_note":
      return openAddNoteModal(context, { incidentId: input.incidentId });
    case "escalate":
      return openEscalateModal(context, { incidentId: input.incidentId });
    case "run_play":
      return openRunPlayModal(context, { incidentId: input.incidentId });
  }
}

/** Handles the Continue button after linking: opens the modal the user first tried, with this press's trigger_id. */
export async function continueAfterLink(context: SlackUserContext, value: string | undefined): Promise<void> {
  if (value === "trigger") {
    const service = await channelService(context);
    if (service.kind === "not_mapped") {
      await replyToUser(context, triggerNotMappedText());
      return;
    }
    return openTriggerModal(context, { defaultServiceId: service.kind === "mapped" ? service.serviceId : null });
  }
  const [modal, incidentId] = (value ?? "").split(":");
  if (!(MODAL_ACTIONS as readonly string[]).includes(modal ?? "") || !incidentId || !INCIDENT_ID_PATTERN.test(incidentId)) {
    context.log.warn({ value }, "Continue button with an unknown value");
    await replyToUser(context, "Switchboard could not tell what to continue with. Start again from the incident message.");
    return;
  }
  return openIncidentModal(context, { modal: modal as ModalAction, incidentId });
}
