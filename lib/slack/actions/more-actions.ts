import { sendEphemeral } from "../ephemeral";
import { MORE_ACTIONS } from "../incident-message";
import type { ActionContext } from "./incident-status";

const LABELS: Record<string, string> = {
  [MORE_ACTIONS.addNote]: "Add a Note",
  [MORE_ACTIONS.escalate]: "Escalate",
  [MORE_ACTIONS.runPlay]: "Run a Play",
};

/** Tells the user that a More actions option is not available in this version yet. */
export async function showNotAvailableYet(context: ActionContext, input: { choice: string; incidentId: string | undefined }): Promise<void> {
  const label = LABELS[input.choice];
  if (!label) {
    context.log.info({ choice: input.choice }, "Unknown More actions option");
    return;
  }
  await sendEphemeral({
    workspace: context.workspace,
    channelId: context.payload.channel?.id ?? context.payload.container?.channel_id,
    slackUserId: context.payload.user.id,
    text: `"${label}" is not available from Slack yet. Open the incident in PagerDuty (More actions… → View Details) to do this there.`,
    responseUrl: context.payload.response_url,
    log: context.log,
  });
}
