export type IncidentStatus = "triggered" | "acknowledged" | "resolved";

export interface PagerDutyReference {
  id: string;
  summary: string;
}

/** What Switchboard knows of an incident: the fields shown in Slack and kept in the database. */
export interface IncidentSnapshot {
  pagerdutyIncidentId: string;
  number: number;
  title: string;
  status: string;
  urgency: string;
  priority: string | null;
  pagerdutyServiceId: string;
  serviceName: string;
  assignees: PagerDutyReference[];
  escalationPolicyId: string | null;
  escalationPolicyName: string | null;
  htmlUrl: string;
  lastAction: string | null;
  lastActionByName: string | null;
  lastActionAt: Date | null;
}
