import type {
  AgentRecord,
  EscalationPolicyRecord,
  FakeAccount,
  IncidentRecord,
  IncidentWorkflowRecord,
  LogEntryRecord,
  NoteRecord,
  PriorityRecord,
  ServiceRecord,
  TeamRecord,
  UserRecord,
  WebhookSubscriptionRecord,
  WorkflowInstanceRecord,
} from "./state";

// Builds the JSON objects of PagerDuty's REST API v2 and V3 webhooks from the in-memory records.
// `self` and `html_url` point at the fake's own origin, which serves both the API and the pages.

export type Json = Record<string, unknown>;

/** PagerDuty's REST timestamps have whole seconds ("2015-10-06T21:30:42Z"). */
export function restTime(iso: string): string;
export function restTime(iso: string | null): string | null;
export function restTime(iso: string | null): string | null {
  return iso === null ? null : iso.replace(/\.\d{3}Z$/, "Z");
}

export class Renderer {
  constructor(
    private readonly account: FakeAccount,
    private readonly origin: string,
  ) {}

  private reference(type: string, id: string, summary: string, path: string, htmlPath: string | null): Json {
    return {
      id,
      type,
      summary,
      self: `${this.origin}${path}`,
      html_url: htmlPath === null ? null : `${this.origin}${htmlPath}`,
    };
  }

  userReference(userId: string): Json {
    const user = this.account.users.get(userId);
    return this.reference("user_reference", userId, user?.name ?? userId, `/users/${userId}`, `/users/${userId}`);
  }

  serviceReference(serviceId: string): Json {
    const service = this.account.services.get(serviceId);
    return this.reference("service_reference", serviceId, service?.name ?? serviceId, `/services/${serviceId}`, `/service-directory/${serviceId}`);
  }

  teamReference(teamId: string): Json {
    const team = this.account.teams.get(teamId);
    return this.reference("team_reference", teamId, team?.name ?? teamId, `/teams/${teamId}`, `/teams/${teamId}`);
  }

  escalationPolicyReference(policyId: string): Json {
    const policy = this.account.escalationPolicies.get(policyId);
    return this.reference("escalation_policy_reference", policyId, policy?.name ?? policyId, `/escalation_policies/${policyId}`, `/escalation_policies/${policyId}`);
  }

  priorityReference(priorityId: string): Json {
    const priority = this.account.priorities.get(priorityId);
    return this.reference("priority_reference", priorityId, priority?.name ?? priorityId, `/priorities/${priorityId}`, "/account/incident_priorities");
  }

  incidentReference(incident: IncidentRecord): Json {
    return this.reference("incident_reference", incident.id, incidentSummary(incident), `/incidents/${incident.id}`, `/incidents/${incident.id}`);
  }

  agentReference(agent: AgentRecord): Json {
    return agent.kind === "user" ? this.userReference(agent.id) : this.serviceReference(agent.id);
  }

  logEntryReference(entry: LogEntryRecord): Json {
    return this.reference(
      `${entry.type}_reference`,
      entry.id,
      entry.summary,
      `/log_entries/${entry.id}?incident_id=${entry.incidentId}`,
      `/incidents/${entry.incidentId}/log_entries/${entry.id}`,
    );
  }

  /** Renders the incident of the REST API; `include` expands the references that `include[]` names. */
  incident(incident: IncidentRecord, include: ReadonlySet<string> = new Set()): Json {
    const firstTrigger = this.account.logEntries.find((entry) => entry.id === incident.firstTriggerLogEntryId);
    const assignee = (userId: string) => (include.has("assignees") || include.has("users") ? this.user(this.requireUser(userId)) : this.userReference(userId));
    const acknowledger = (userId: string) => (include.has("acknowledgers") || include.has("users") ? this.user(this.requireUser(userId)) : this.userReference(userId));
    const service = this.account.services.get(incident.serviceId);
    const policy = this.account.escalationPolicies.get(incident.escalationPolicyId);

    const rendered: Json = {
      id: incident.id,
      type: "incident",
      summary: incidentSummary(incident),
      self: `${this.origin}/incidents/${incident.id}`,
      html_url: `${this.origin}/incidents/${incident.id}`,
      incident_number: incident.number,
      title: incident.title,
      description: incident.title,
      created_at: restTime(incident.createdAt),
      updated_at: restTime(incident.updatedAt),
      status: incident.status,
      incident_key: incident.incidentKey,
      service: include.has("services") && service ? this.service(service) : this.serviceReference(incident.serviceId),
      assignments: incident.assignments.map((assignment) => ({ at: restTime(assignment.at), assignee: assignee(assignment.userId) })),
      assigned_via: incident.assignedVia,
      last_status_change_at: restTime(incident.lastStatusChangeAt),
      last_status_change_by: this.agentReference(incident.lastStatusChangeBy),
      resolved_at: restTime(incident.resolvedAt),
      first_trigger_log_entry: firstTrigger ? this.logEntryReference(firstTrigger) : undefined,
      alert_counts: { all: 0, triggered: 0, resolved: 0 },
      is_mergeable: true,
      incident_type: { name: "incident_default" },
      escalation_policy:
        include.has("escalation_policies") && policy ? this.escalationPolicy(policy) : this.escalationPolicyReference(incident.escalationPolicyId),
      teams: incident.teamIds.map((teamId) => {
        const team = this.account.teams.get(teamId);
        return include.has("teams") && team ? this.team(team) : this.teamReference(teamId);
      }),
      pending_actions: [],
      acknowledgements: incident.acknowledgements.map((ack) => ({ at: restTime(ack.at), acknowledger: acknowledger(ack.userId) })),
      priority: incident.priorityId === null ? null : this.renderPriorityField(incident.priorityId, include),
      resolve_reason: null,
      incidents_responders: [],
      responder_requests: [],
      urgency: incident.urgency,
    };
    if (include.has("conference_bridge")) rendered.conference_bridge = incident.conferenceBridge ?? {};
    else if (incident.conferenceBridge) rendered.conference_bridge = incident.conferenceBridge;
    if (rendered.first_trigger_log_entry === undefined) delete rendered.first_trigger_log_entry;
    return rendered;
  }

  private renderPriorityField(priorityId: string, include: ReadonlySet<string>): Json {
    const priority = this.account.priorities.get(priorityId);
    return include.has("priorities") && priority ? this.priority(priority) : this.priorityReference(priorityId);
  }

  /** `event.data` of V3 incident events: the "incident" webhook data type, with `number` and `assignees`. */
  incidentWebhookData(incident: IncidentRecord): Json {
    return {
      id: incident.id,
      type: "incident",
      self: `${this.origin}/incidents/${incident.id}`,
      html_url: `${this.origin}/incidents/${incident.id}`,
      number: incident.number,
      status: incident.status,
      incident_key: incident.incidentKey,
      created_at: restTime(incident.createdAt),
      reopened_at: restTime(incident.reopenedAt),
      title: incident.title,
      incident_type: { name: "incident_default" },
      service: this.serviceReference(incident.serviceId),
      assignees: incident.assignments.map((assignment) => this.userReference(assignment.userId)),
      escalation_policy: this.escalationPolicyReference(incident.escalationPolicyId),
      teams: incident.teamIds.map((teamId) => this.teamReference(teamId)),
      priority: incident.priorityId === null ? null : this.priorityReference(incident.priorityId),
      urgency: incident.urgency,
      conference_bridge: incident.conferenceBridge,
      resolve_reason: null,
    };
  }

  /** `event.data` of incident.annotated: the "incident_note" webhook data type. */
  noteWebhookData(note: NoteRecord, incident: IncidentRecord): Json {
    return {
      incident: this.incidentReference(incident),
      id: note.id,
      content: note.content,
      trimmed: false,
      type: "incident_note",
    };
  }

  note(note: NoteRecord): Json {
    return {
      id: note.id,
      user: this.userReference(note.userId),
      channel: { summary: "The PagerDuty website or APIs" },
      content: note.content,
      created_at: restTime(note.createdAt),
      updated_at: restTime(note.createdAt),
    };
  }

  logEntry(entry: LogEntryRecord): Json {
    const incident = this.account.incidents.get(entry.incidentId);
    const rendered: Json = {
      id: entry.id,
      type: entry.type,
      summary: entry.summary,
      self: `${this.origin}/log_entries/${entry.id}?incident_id=${entry.incidentId}`,
      html_url: `${this.origin}/incidents/${entry.incidentId}/log_entries/${entry.id}`,
      created_at: restTime(entry.createdAt),
      agent: entry.agent === null ? null : this.agentReference(entry.agent),
      channel: { type: entry.channelType },
      service: incident ? this.serviceReference(incident.serviceId) : null,
      incident: incident ? this.incidentReference(incident) : null,
      teams: incident ? incident.teamIds.map((teamId) => this.teamReference(teamId)) : [],
      contexts: [],
      event_details: {},
    };
    if (entry.note !== null) rendered.note = entry.note;
    return rendered;
  }

  user(user: UserRecord, include: ReadonlySet<string> = new Set()): Json {
    return {
      id: user.id,
      type: "user",
      summary: user.name,
      self: `${this.origin}/users/${user.id}`,
      html_url: `${this.origin}/users/${user.id}`,
      name: user.name,
      email: user.email,
      time_zone: user.timeZone,
      color: user.color,
      role: user.role,
      avatar_url: `${this.origin}/avatars/${user.id}.svg`,
      description: null,
      invitation_sent: false,
      job_title: user.jobTitle,
      created_via_sso: false,
      teams: user.teamIds.map((teamId) => {
        const team = this.account.teams.get(teamId);
        return include.has("teams") && team ? this.team(team) : this.teamReference(teamId);
      }),
      contact_methods: [
        {
          id: `${user.id}E`,
          type: "email_contact_method_reference",
          summary: "Default",
          self: `${this.origin}/users/${user.id}/contact_methods/${user.id}E`,
          html_url: null,
        },
      ],
      notification_rules: [],
    };
  }

  private requireUser(userId: string): UserRecord {
    const user = this.account.users.get(userId);
    if (!user) throw new Error(`Incident refers to user ${userId}, which does not exist`);
    return user;
  }

  service(service: ServiceRecord, include: ReadonlySet<string> = new Set()): Json {
    const policy = this.account.escalationPolicies.get(service.escalationPolicyId);
    const team = this.account.teams.get(service.teamId);
    const incidents = [...this.account.incidents.values()].filter((incident) => incident.serviceId === service.id);
    const lastIncident = incidents.at(-1);
    return {
      id: service.id,
      type: "service",
      summary: service.name,
      self: `${this.origin}/services/${service.id}`,
      html_url: `${this.origin}/service-directory/${service.id}`,
      name: service.name,
      description: service.description,
      auto_resolve_timeout: 14400,
      acknowledgement_timeout: 1800,
      created_at: restTime(service.createdAt),
      status: serviceStatus(incidents),
      last_incident_timestamp: lastIncident ? restTime(lastIncident.createdAt) : null,
      escalation_policy: include.has("escalation_policies") && policy ? this.escalationPolicy(policy) : this.escalationPolicyReference(service.escalationPolicyId),
      response_play: null,
      teams: [include.has("teams") && team ? this.team(team) : this.teamReference(service.teamId)],
      integrations: [],
      incident_urgency_rule: { type: "constant", urgency: "high" },
      scheduled_actions: [],
      addons: [],
      alert_creation: "create_alerts_and_incidents",
    };
  }

  escalationPolicy(policy: EscalationPolicyRecord, include: ReadonlySet<string> = new Set()): Json {
    const services = [...this.account.services.values()].filter((service) => service.escalationPolicyId === policy.id);
    const team = this.account.teams.get(policy.teamId);
    return {
      id: policy.id,
      type: "escalation_policy",
      summary: policy.name,
      self: `${this.origin}/escalation_policies/${policy.id}`,
      html_url: `${this.origin}/escalation_policies/${policy.id}`,
      name: policy.name,
      description: policy.description,
      num_loops: 0,
      on_call_handoff_notifications: "if_has_services",
      escalation_rules: policy.rules.map((rule) => ({
        id: rule.id,
        escalation_delay_in_minutes: rule.delayMinutes,
        targets: rule.userIds.map((userId) => {
          const user = this.account.users.get(userId);
          return include.has("targets") && user ? this.user(user) : this.userReference(userId);
        }),
        escalation_rule_assignment_strategy: "assign_to_everyone",
      })),
      services: services.map((service) => (include.has("services") ? this.service(service) : this.serviceReference(service.id))),
      teams: [include.has("teams") && team ? this.team(team) : this.teamReference(policy.teamId)],
    };
  }

  team(team: TeamRecord): Json {
    return {
      id: team.id,
      type: "team",
      summary: team.name,
      self: `${this.origin}/teams/${team.id}`,
      html_url: `${this.origin}/teams/${team.id}`,
      name: team.name,
      description: team.description,
      default_role: "manager",
    };
  }

  priority(priority: PriorityRecord): Json {
    return {
      id: priority.id,
      type: "priority",
      summary: priority.name,
      self: `${this.origin}/priorities/${priority.id}`,
      html_url: null,
      name: priority.name,
      description: priority.description,
      color: priority.color,
      order: priority.order,
    };
  }

  workflow(workflow: IncidentWorkflowRecord): Json {
    return {
      id: workflow.id,
      type: "incident_workflow",
      summary: workflow.name,
      self: `${this.origin}/incident_workflows/${workflow.id}`,
      html_url: `${this.origin}/incident_workflows/${workflow.id}`,
      name: workflow.name,
      description: workflow.description,
      created_at: restTime(workflow.createdAt),
      ...(workflow.teamId === null ? {} : { team: { type: "team_reference", id: workflow.teamId } }),
      is_enabled: true,
    };
  }

  workflowInstance(instance: WorkflowInstanceRecord): Json {
    const incident = this.account.incidents.get(instance.incidentId);
    return {
      id: instance.id,
      type: "incident_workflow_instance",
      incident: incident
        ? this.incidentReference(incident)
        : { id: instance.incidentId, type: "incident_reference", summary: null, self: null, html_url: null },
    };
  }

  /**
   * Renders a webhook subscription. As in PagerDuty, the secret and the custom header values
   * appear only in the response that created the subscription, and are hidden afterwards.
   */
  subscription(subscription: WebhookSubscriptionRecord, options: { revealSecret: boolean }): Json {
    const filter: Json = { type: subscription.filter.type };
    if (subscription.filter.type !== "account_reference") filter.id = subscription.filter.id;
    return {
      id: subscription.id,
      type: "webhook_subscription",
      active: subscription.active,
      delivery_method: {
        id: subscription.deliveryMethodId,
        secret: options.revealSecret ? subscription.secret : null,
        temporarily_disabled: subscription.temporarilyDisabled,
        type: "http_delivery_method",
        url: subscription.url,
        custom_headers: subscription.customHeaders.map((header) => ({
          name: header.name,
          value: options.revealSecret ? header.value : "-- redacted --",
        })),
      },
      description: subscription.description,
      events: [...subscription.events],
      filter,
    };
  }
}

export function incidentSummary(incident: IncidentRecord): string {
  return `[#${incident.number}] ${incident.title}`;
}

/** Derives a service's status: critical while it has a triggered incident, warning while one is acknowledged. */
function serviceStatus(incidents: IncidentRecord[]): string {
  if (incidents.some((incident) => incident.status === "triggered")) return "critical";
  if (incidents.some((incident) => incident.status === "acknowledged")) return "warning";
  return "active";
}
