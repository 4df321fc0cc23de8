import type { IncidentSnapshot } from "../incidents/types";
import { escapeAndTruncate, escapeMrkdwn, mentionUser, mrkdwnLink, truncatePlain } from "./mrkdwn";

/** Block Kit limits that the incident message must stay within. */
export const LIMITS = {
  headerText: 150,
  sectionText: 3000,
  fieldText: 2000,
  buttonText: 75,
  contextText: 2000,
  /** chat.update refuses text over 4000 characters (msg_too_long); each part below is bounded. */
  fallbackText: 4000,
  blocks: 50,
} as const;

export const ACTION_IDS = {
  acknowledge: "incident_acknowledge",
  resolve: "incident_resolve",
  moreActions: "incident_more_actions",
} as const;

/** Values of the "More actions…" overflow options. Slack allows at most five options. */
export const MORE_ACTIONS = {
  viewDetails: "view_details",
  addNote: "add_note",
  escalate: "escalate",
  runPlay: "run_play",
  createChannel: "create_channel",
} as const;

export interface SlackBlockMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

const STATUS_LABELS: Record<string, string> = {
  triggered: "Triggered",
  acknowledged: "Acknowledged",
  resolved: "Resolved",
};

const STATUS_EMOJI: Record<string, string> = {
  triggered: "🔴",
  acknowledged: "🟡",
  resolved: "🟢",
};

const ACTION_LABELS: Record<string, string> = {
  triggered: "Triggered",
  acknowledged: "Acknowledged",
  unacknowledged: "Unacknowledged",
  resolved: "Resolved",
  reopened: "Reopened",
  escalated: "Escalated",
  reassigned: "Reassigned",
  delegated: "Delegated",
  annotated: "Note added",
  priority_updated: "Priority changed",
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? capitalize(status);
}

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? capitalize(action.replace(/_/g, " "));
}

export interface RenderOptions {
  /** Slack user ids of linked PagerDuty users, by PagerDuty user id, so assignees are mentioned. */
  slackUserIdsByPagerdutyUserId?: ReadonlyMap<string, string>;
}

/** Builds the incident message: header, fields, last action, buttons while they apply, More actions. */
export function renderIncidentMessage(incident: IncidentSnapshot, options: RenderOptions = {}): SlackBlockMessage {
  const status = statusLabel(incident.status);
  const header = truncatePlain(`${STATUS_EMOJI[incident.status] ?? "⚪"} ${status}: ${incident.title}`, LIMITS.headerText);
  const assigneesText = renderAssignees(incident, options.slackUserIdsByPagerdutyUserId);

  const fields = [
    field("Service", escapeAndTruncate(incident.serviceName, LIMITS.fieldText - 20)),
    field("Urgency", escapeMrkdwn(capitalize(incident.urgency))),
    field("Priority", incident.priority ? escapeAndTruncate(incident.priority, 200) : "None"),
    field("Assigned", assigneesText),
    field("Incident", mrkdwnLink(incident.htmlUrl, `#${incident.number}`)),
  ];

  const blocks: Record<string, unknown>[] = [
    { type: "header", text: { type: "plain_text", text: header, emoji: true } },
    { type: "section", fields },
  ];

  const lastAction = renderLastAction(incident);
  if (lastAction) {
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: lastAction }] });
  }
  blocks.push({ type: "divider" });
  blocks.push({
    type: "actions",
    block_id: `incident:${incident.pagerdutyIncidentId}`.slice(0, 255),
    elements: actionElements(incident),
  });

  return { text: renderFallback(incident, assigneesText), blocks };
}

function field(label: string, value: string) {
  return { type: "mrkdwn", text: `*${label}*\n${value}` };
}

function renderAssignees(incident: IncidentSnapshot, slackIds?: ReadonlyMap<string, string>): string {
  if (incident.assignees.length === 0) {
    const policy = incident.escalationPolicyName ? ` (${escapeAndTruncate(incident.escalationPolicyName, 300)})` : "";
    return `Unassigned${policy}`;
  }
  const names = incident.assignees.map((assignee) => {
    const slackUserId = slackIds?.get(assignee.id);
    return (slackUserId && mentionUser(slackUserId)) || escapeAndTruncate(assignee.summary, 200);
  });
  return truncateList(names, LIMITS.fieldText - 20);
}

/** Joins names with ", " and stops before the limit, counting the rest, so no mention is cut. */
function truncateList(items: string[], maxLength: number): string {
  let text = "";
  for (const [index, item] of items.entries()) {
    const next = text ? `${text}, ${item}` : item;
    const remaining = items.length - index - 1;
    if (next.length + (remaining > 0 ? ` and ${remaining} more`.length : 0) > maxLength) {
      return `${text} and ${items.length - index} more`;
    }
    text = next;
  }
  return text;
}

function renderLastAction(incident: IncidentSnapshot): string | null {
  if (!incident.lastAction || incident.lastAction === "triggered") return null;
  const label = actionLabel(incident.lastAction);
  const by = incident.lastActionByName ? ` by ${escapeAndTruncate(incident.lastActionByName, 200)}` : "";
  return `${label}${by}`;
}

function actionElements(incident: IncidentSnapshot): Record<string, unknown>[] {
  const elements: Record<string, unknown>[] = [];
  if (incident.status === "triggered") {
    elements.push(button("Acknowledge", ACTION_IDS.acknowledge, incident.pagerdutyIncidentId, "primary"));
  }
  if (incident.status !== "resolved") {
    elements.push(button("Resolve", ACTION_IDS.resolve, incident.pagerdutyIncidentId, "danger"));
  }
  elements.push({
    type: "overflow",
    action_id: ACTION_IDS.moreActions,
    options: [
      overflowOption("View Details", MORE_ACTIONS.viewDetails, incident.pagerdutyIncidentId, incident.htmlUrl),
      overflowOption("Add a Note", MORE_ACTIONS.addNote, incident.pagerdutyIncidentId),
      overflowOption("Escalate", MORE_ACTIONS.escalate, incident.pagerdutyIncidentId),
      overflowOption("Run a Play", MORE_ACTIONS.runPlay, incident.pagerdutyIncidentId),
      overflowOption("Create incident channel", MORE_ACTIONS.createChannel, incident.pagerdutyIncidentId),
    ],
  });
  return elements;
}

function button(text: string, actionId: string, value: string, style: "primary" | "danger") {
  return {
    type: "button",
    action_id: actionId,
    text: { type: "plain_text", text: truncatePlain(text, LIMITS.buttonText), emoji: true },
    value,
    style,
  };
}

function overflowOption(text: string, action: string, incidentId: string, url?: string) {
  const option: Record<string, unknown> = {
    text: { type: "plain_text", text, emoji: true },
    value: `${action}:${incidentId}`,
  };
  if (url && /^https?:\/\//.test(url)) option.url = url;
  return option;
}

/** The notification text: shown in notifications and by clients that cannot render blocks. */
function renderFallback(incident: IncidentSnapshot, assigneesText: string): string {
  const parts = [
    `[${statusLabel(incident.status)}] #${incident.number}`,
    escapeAndTruncate(incident.title, 1000),
    `Service: ${escapeAndTruncate(incident.serviceName, 300)}`,
    `Urgency: ${escapeMrkdwn(incident.urgency)}`,
    `Assigned: ${assigneesText}`,
  ];
  const last = renderLastAction(incident);
  if (last) parts.push(last);
  return parts.join(" · ");
}

function capitalize(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}
