import type { Incident } from "../db/generated/client";
import type { IncidentSnapshot, PagerDutyReference } from "./types";

/** The snapshot of a stored incident row. */
export function toSnapshotFromModel(incident: Incident): IncidentSnapshot {
  return {
    pagerdutyIncidentId: incident.pagerdutyIncidentId,
    number: incident.number,
    title: incident.title,
    status: incident.status,
    urgency: incident.urgency,
    priority: incident.priority,
    pagerdutyServiceId: incident.pagerdutyServiceId,
    serviceName: incident.serviceName,
    assignees: Array.isArray(incident.assignees) ? (incident.assignees as unknown as PagerDutyReference[]) : [],
    escalationPolicyId: incident.escalationPolicyId,
    escalationPolicyName: incident.escalationPolicyName,
    htmlUrl: incident.htmlUrl,
    lastAction: incident.lastAction,
    lastActionByName: incident.lastActionByName,
    lastActionAt: incident.lastActionAt,
  };
}
