import { PagerDutyApiError, type RestIncident } from "../../pagerduty/client";
import { escapeAndTruncate, mrkdwnLink } from "../mrkdwn";
import { messageModal, triggerModal } from "../views/modals";
import { findActor, findLinkedUser, loadActor, refusalForService } from "./actor";
import { afterWrite, replyToUser, type SlackUserContext } from "./context";
import { refusalText } from "./incident-status";
import { modalMetadataFor, openModalWithLoading, refusalModal } from "./open-modal";
import { createIncident, findIncidentByKey, listServices } from "./pagerduty-requests";

const TITLE = "Trigger an incident";

/** True for a direct message with the app: Slack's DM channel ids start with D. */
export function isDirectMessage(channelId: string | undefined, channelName?: string): boolean {
  return channelName === "directmessage" || Boolean(channelId?.startsWith("D"));
}

export type ChannelService = { kind: "direct_message" } | { kind: "mapped"; serviceId: string } | { kind: "not_mapped" };

/** Finds the service whose incidents an extension posts in the channel: the default of /pd trigger there. */
export async function channelService(context: SlackUserContext, channelName?: string): Promise<ChannelService> {
  if (isDirectMessage(context.channelId, channelName)) return { kind: "direct_message" };
  if (!context.channelId) return { kind: "not_mapped" };
  const extension = await context.prisma.slackExtension.findFirst({
    where: { workspaceId: context.workspace.id, slackChannelId: context.channelId, status: { not: "disabled" } },
    orderBy: { createdAt: "asc" },
  });
  return extension ? { kind: "mapped", serviceId: extension.pagerdutyServiceId } : { kind: "not_mapped" };
}

/** Returns the reply to /pd trigger in a channel that no extension maps, worded after PagerDuty's own. */
export function triggerNotMappedText(): string {
  return (
    "403_client_error: this channel is not connected to a PagerDuty service, so /pd trigger cannot tell which service the incident is for. " +
    "To fix it, a Switchboard admin adds a Slack V2 extension for this channel (Extensions → + New Extension). " +
    "Or run /pd trigger in a direct message with Switchboard and choose the service there."
  );
}

/**
 * Opens the trigger modal: service (the channel's extension service by default; none in a DM),
 * title, urgency and description. Read-only roles see a refusal in its place.
 */
export async function openTriggerModal(context: SlackUserContext, input: { defaultServiceId: string | null }): Promise<void> {
  const linked = await findLinkedUser(context, { pendingAction: { kind: "trigger" }, purpose: "trigger incidents" });
  if (!linked) return;
  await openModalWithLoading(context, {
    title: TITLE,
    fill: async () => {
      const actor = await loadActor(context, linked);
      const refusal = await refusalForService(context, actor, { serviceId: null, refusalPrefix: "You can't trigger incidents." });
      if (refusal) return refusalModal(context, TITLE, refusal);
      const services = await listServices(actor.client);
      if (services.length === 0) return messageModal(TITLE, "This PagerDuty account has no services, so there is nothing to trigger an incident on.");
      return triggerModal({ services, defaultServiceId: input.defaultServiceId, metadata: modalMetadataFor(context) });
    },
  });
}

/**
 * Creates the incident as the linked user. The incident_key is derived from the modal's view id, so a
 * second processing of the same submission finds the first incident instead of creating another.
 */
export async function submitTrigger(
  context: SlackUserContext,
  input: { viewId: string; serviceId: string; title: string; urgency: "high" | "low"; description: string },
): Promise<void> {
  const actor = await findActor(context, { pendingAction: null, purpose: "trigger incidents" });
  if (!actor) return;
  const refusal = await refusalForService(context, actor, { serviceId: input.serviceId, refusalPrefix: "You can't trigger incidents on this service." });
  if (refusal) {
    await replyToUser(context, refusal);
    return;
  }

  const incidentKey = `switchboard-slack-${input.viewId}`;
  let incident: RestIncident;
  let created = true;
  try {
    incident = (await createIncident(actor.client, { ...input, incidentKey, fromEmail: actor.link.pagerdutyEmail })).incident;
  } catch (error) {
    if (!(error instanceof PagerDutyApiError) || error.retryable) throw error;
    // PagerDuty rejects a second open incident with the same key: this submission already created it.
    const existing = error.status === 400 ? await findIncidentByKey(actor.client, incidentKey) : null;
    if (!existing) {
      context.log.info({ serviceId: input.serviceId, status: error.status, code: error.code }, "PagerDuty rejected a new incident");
      await replyToUser(context, refusalText(error, "trigger"));
      return;
    }
    incident = existing;
    created = false;
  }
  context.log.info({ incidentId: incident.id, serviceId: input.serviceId, created }, "Incident triggered from Slack");
  const link = mrkdwnLink(incident.html_url, `#${incident.incident_number}`);
  await afterWrite(context, "confirm the new incident", () =>
    replyToUser(context, `${created ? "Triggered" : "Already triggered:"} incident ${link}: ${escapeAndTruncate(incident.title, 500)}`),
  );
}
