import type { RestIncident } from "../pagerduty/client";
import type { IncidentState } from "./apply-change";

/** Reads the incident state out of a REST API incident object. */
export function stateFromRest(incident: RestIncident): IncidentState {
  return {
    pagerdutyIncidentId: incident.id,
    number: incident.incident_number,
    title: incident.title,
    status: incident.status,
    urgency: incident.urgency,
    priority: incident.priority?.summary ?? null,
    pagerdutyServiceId: incident.service.id,
    serviceName: incident.service.summary ?? incident.service.id,
    assignees: (incident.assignments ?? []).map(({ assignee }) => ({ id: assignee.id, summary: assignee.summary ?? assignee.id })),
    escalationPolicyId: incident.escalation_policy?.id ?? null,
    escalationPolicyName: incident.escalation_policy?.summary ?? null,
    htmlUrl: incident.html_url,
  };
}
