import { PAGERDUTY_ERROR_CODES, PagerDutyApiError, type PagerDutyClient, type RestIncident, type RestReference } from "../../pagerduty/client";

// The PagerDuty REST calls behind Slack users' actions and commands, on top of PagerDutyClient.
// Writes carry the acting user's email in the From header, so PagerDuty records them as that user.

export interface RestEscalationPolicy {
  id: string;
  name: string;
  escalation_rules: { id: string; escalation_delay_in_minutes?: number; targets: RestReference[] }[];
  teams?: RestReference[];
}

export interface RestOncall {
  escalation_policy: RestReference;
  escalation_level: number;
  schedule: RestReference | null;
  /** A user reference, or the full user with `include[]=users`. */
  user: RestReference & { name?: string; email?: string };
  start: string | null;
  end: string | null;
}

export interface RestScheduleEntry {
  start: string;
  end: string;
  user: RestReference & { name?: string; email?: string };
}

export interface RestSchedule {
  id: string;
  name: string;
  time_zone?: string;
  final_schedule?: { rendered_schedule_entries?: RestScheduleEntry[] } | null;
}

export interface RestNamed {
  id: string;
  name: string;
}

export interface RestUserSummary extends RestNamed {
  email: string;
}

export function getEscalationPolicy(client: PagerDutyClient, policyId: string) {
  return client.request<{ escalation_policy: RestEscalationPolicy }>("GET", `/escalation_policies/${encodeURIComponent(policyId)}`);
}

export function listEscalationPolicies(client: PagerDutyClient, query?: string): Promise<RestEscalationPolicy[]> {
  return client.listAll<RestEscalationPolicy>("/escalation_policies", "escalation_policies", query ? { query } : {});
}

/**
 * Lists who is on call on the given escalation policies, with the users' names and emails: now (PagerDuty's
 * default without a time range), or at `at`.
 */
export function listOncalls(client: PagerDutyClient, input: { escalationPolicyIds: string[]; at?: Date }): Promise<RestOncall[]> {
  const at = input.at?.toISOString();
  return client.listAll<RestOncall>("/oncalls", "oncalls", {
    "escalation_policy_ids[]": input.escalationPolicyIds,
    "include[]": ["users"],
    ...(at ? { since: at, until: at } : {}),
  });
}

/** Schedules whose name matches `query`; an account without the schedules API gives an empty list. */
export async function listSchedules(client: PagerDutyClient, query: string): Promise<RestSchedule[]> {
  try {
    return await client.listAll<RestSchedule>("/schedules", "schedules", { query });
  } catch (error) {
    if (error instanceof PagerDutyApiError && error.status === 404) return [];
    throw error;
  }
}

/**
 * Lists the schedule's final (rendered) entries between `since` and `until`: who is on call in that window,
 * with each shift's start and end.
 */
export async function listScheduleEntries(client: PagerDutyClient, input: { scheduleId: string; since: Date; until: Date }): Promise<RestScheduleEntry[]> {
  const { schedule } = await client.request<{ schedule: RestSchedule }>("GET", `/schedules/${encodeURIComponent(input.scheduleId)}`, {
    query: { since: input.since.toISOString(), until: input.until.toISOString() },
  });
  return schedule.final_schedule?.rendered_schedule_entries ?? [];
}

export function listServices(client: PagerDutyClient): Promise<RestNamed[]> {
  return client.listAll<RestNamed>("/services", "services");
}

export function listUsers(client: PagerDutyClient): Promise<RestUserSummary[]> {
  return client.listAll<RestUserSummary>("/users", "users");
}

export function listIncidentWorkflows(client: PagerDutyClient): Promise<RestNamed[]> {
  return client.listAll<RestNamed>("/incident_workflows", "incident_workflows");
}

/**
 * Lists the account's response plays. PagerDuty deprecated them in 2023 in favour of incident workflows
 * and removed their paths from its API spec in 2025, so a 404 (or a 400 from a removed path) means none.
 */
export async function listResponsePlays(client: PagerDutyClient, fromEmail: string): Promise<RestNamed[]> {
  try {
    const page = await client.request<{ response_plays?: RestNamed[] }>("GET", "/response_plays", { query: { limit: 100 }, from: fromEmail });
    return page.response_plays ?? [];
  } catch (error) {
    if (error instanceof PagerDutyApiError && (error.status === 404 || error.code === PAGERDUTY_ERROR_CODES.notFound)) return [];
    throw error;
  }
}

export function startIncidentWorkflow(client: PagerDutyClient, input: { workflowId: string; incidentId: string; fromEmail: string }) {
  return client.request<{ incident_workflow_instance: { id: string } }>("POST", `/incident_workflows/${encodeURIComponent(input.workflowId)}/instances`, {
    body: { incident_workflow_instance: { incident: { id: input.incidentId, type: "incident_reference" } } },
    from: input.fromEmail,
  });
}

export function runResponsePlay(client: PagerDutyClient, input: { responsePlayId: string; incidentId: string; fromEmail: string }) {
  return client.request<{ status?: string }>("POST", `/response_plays/${encodeURIComponent(input.responsePlayId)}/run`, {
    body: { incident: { id: input.incidentId, type: "incident_reference" } },
    from: input.fromEmail,
  });
}

export interface RestNote {
  id: string;
  content: string;
  created_at: string;
  user?: RestReference | null;
}

export function addIncidentNote(client: PagerDutyClient, input: { incidentId: string; content: string; fromEmail: string }) {
  return client.request<{ note: RestNote }>("POST", `/incidents/${encodeURIComponent(input.incidentId)}/notes`, {
    body: { note: { content: input.content } },
    from: input.fromEmail,
  });
}

/**
 * Creates an incident. `incidentKey` makes a repeated request harmless: PagerDuty rejects a second
 * open incident with the same key on the service.
 */
export function createIncident(
  client: PagerDutyClient,
  input: { serviceId: string; title: string; urgency: "high" | "low"; description: string; incidentKey: string; fromEmail: string },
) {
  return client.request<{ incident: RestIncident }>("POST", "/incidents", {
    body: {
      incident: {
        type: "incident",
        title: input.title,
        service: { id: input.serviceId, type: "service_reference" },
        urgency: input.urgency,
        incident_key: input.incidentKey,
        ...(input.description ? { body: { type: "incident_body", details: input.description } } : {}),
      },
    },
    from: input.fromEmail,
  });
}

/** Finds the open incident with this incident_key, if PagerDuty has one (used after a duplicate-key refusal). */
export async function findIncidentByKey(client: PagerDutyClient, incidentKey: string): Promise<RestIncident | null> {
  const page = await client.request<{ incidents?: RestIncident[] }>("GET", "/incidents", { query: { incident_key: incidentKey, "statuses[]": ["triggered", "acknowledged"] } });
  return page.incidents?.[0] ?? null;
}
