import type { SlackExtension } from "../db/generated/client";
import { escapeAndTruncate } from "../slack/mrkdwn";
import type { IncidentSnapshot } from "./types";

/** The extension toggle that decides whether an event type is announced as a thread reply. */
export type UpdateToggles = Pick<SlackExtension, "notifyAcknowledge" | "notifyResolve" | "notifyEscalate" | "notifyReassign" | "notifyNotes">;

const TOGGLE_BY_EVENT: Record<string, keyof UpdateToggles> = {
  "incident.acknowledged": "notifyAcknowledge",
  "incident.unacknowledged": "notifyAcknowledge",
  "incident.resolved": "notifyResolve",
  "incident.reopened": "notifyResolve",
  "incident.escalated": "notifyEscalate",
  "incident.reassigned": "notifyReassign",
  "incident.delegated": "notifyReassign",
  "incident.annotated": "notifyNotes",
};

export function isAnnounced(eventType: string, extension: UpdateToggles | null): boolean {
  const toggle = TOGGLE_BY_EVENT[eventType];
  return Boolean(toggle && extension && extension[toggle]);
}

const MAX_REPLY = 3000;

/** The thread reply text for an event, in mrkdwn with every inserted value escaped. */
export function announcementText(input: {
  eventType: string;
  agentName: string | null;
  incident: IncidentSnapshot;
  noteContent?: string;
}): string {
  const by = input.agentName ? ` by ${escapeAndTruncate(input.agentName, 200)}` : "";
  const assignees = input.incident.assignees.map((assignee) => escapeAndTruncate(assignee.summary, 200)).join(", ") || "nobody";
  switch (input.eventType) {
    case "incident.acknowledged":
      return `:large_yellow_circle: Acknowledged${by}`;
    case "incident.unacknowledged":
      return input.agentName ? `:red_circle: Unacknowledged${by}` : ":red_circle: Unacknowledged: the acknowledgement timed out";
    case "incident.resolved":
      return `:large_green_circle: Resolved${by}`;
    case "incident.reopened":
      return `:red_circle: Reopened${by}`;
    case "incident.escalated":
      return `:arrow_up: Escalated${by}, now assigned to ${assignees}`;
    case "incident.reassigned":
      return `:busts_in_silhouette: Reassigned${by} to ${assignees}`;
    case "incident.delegated": {
      const policy = input.incident.escalationPolicyName ? escapeAndTruncate(input.incident.escalationPolicyName, 200) : "another escalation policy";
      return `:busts_in_silhouette: Delegated${by} to ${policy}`;
    }
    case "incident.annotated": {
      const author = input.agentName ? escapeAndTruncate(input.agentName, 200) : "Someone";
      const prefix = `:memo: ${author} added a note:\n`;
      return prefix + escapeAndTruncate(input.noteContent ?? "", MAX_REPLY - prefix.length);
    }
    default:
      return `${input.eventType}${by}`;
  }
}
