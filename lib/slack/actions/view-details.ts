import { getEnv } from "../../config/env";
import { toSnapshotFromModel } from "../../incidents/snapshot";
import { actionLabel, statusLabel } from "../incident-message";
import { escapeAndTruncate, isSafeUrl } from "../mrkdwn";
import { replyToUser, type SlackUserContext } from "./context";

/** Returns the URL of the incident's page in Switchboard. */
export function switchboardIncidentUrl(pagerdutyIncidentId: string, appUrl = getEnv().appUrl): string {
  return `${appUrl}/incidents/${encodeURIComponent(pagerdutyIncidentId)}`;
}

/**
 * More actions… → View Details. Slack opens the option's URL (the incident in PagerDuty) itself;
 * Switchboard adds an ephemeral summary with links to the incident in PagerDuty and in Switchboard.
 * Viewing needs no linked account.
 */
export async function showIncidentDetails(context: SlackUserContext, input: { incidentId: string }): Promise<void> {
  const stored = await context.prisma.incident.findUnique({ where: { pagerdutyIncidentId: input.incidentId } });
  if (!stored) {
    await replyToUser(context, "Switchboard has no record of this incident yet. Open it in PagerDuty from the incident number on the message.");
    return;
  }
  const incident = toSnapshotFromModel(stored);
  const assignees = incident.assignees.map((assignee) => escapeAndTruncate(assignee.summary, 100)).join(", ") || "nobody";
  const lines = [
    `*#${incident.number} ${escapeAndTruncate(incident.title, 500)}*`,
    `Status: ${statusLabel(incident.status)} · Urgency: ${escapeAndTruncate(incident.urgency, 20)} · Priority: ${incident.priority ? escapeAndTruncate(incident.priority, 50) : "none"}`,
    `Service: ${escapeAndTruncate(incident.serviceName, 200)} · Assigned to: ${assignees}`,
  ];
  if (incident.lastAction && incident.lastAction !== "triggered") {
    lines.push(`Last action: ${actionLabel(incident.lastAction)}${incident.lastActionByName ? ` by ${escapeAndTruncate(incident.lastActionByName, 100)}` : ""}`);
  }
  const buttons: Record<string, unknown>[] = [];
  if (isSafeUrl(incident.htmlUrl)) buttons.push(linkButton("Open in PagerDuty", incident.htmlUrl, "details_open_pagerduty"));
  buttons.push(linkButton("Open in Switchboard", switchboardIncidentUrl(incident.pagerdutyIncidentId), "details_open_switchboard"));
  await replyToUser(context, {
    text: lines.join("\n"),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: lines.join("\n").slice(0, 3000) } },
      { type: "actions", elements: buttons },
    ],
  });
}

function linkButton(text: string, url: string, actionId: string) {
  return { type: "button", action_id: actionId, text: { type: "plain_text", text, emoji: true }, url };
}
