import { randomBytes, randomUUID } from "node:crypto";
import { ESCALATION_POLICIES, PEOPLE, PRIORITIES, SERVICES, TEAMS, type PagerDutyRole } from "../seed";

// In-memory records of the fake PagerDuty account. Times are ISO 8601 strings with milliseconds;
// the REST layer drops the milliseconds when it renders them, as PagerDuty does.

export interface UserRecord {
  id: string;
  name: string;
  email: string;
  role: PagerDutyRole;
  teamIds: string[];
  timeZone: string;
  color: string;
  jobTitle: string;
}

export interface TeamRecord {
  id: string;
  name: string;
  description: string;
}

export interface EscalationRuleRecord {
  id: string;
  delayMinutes: number;
  userIds: string[];
}

export interface EscalationPolicyRecord {
  id: string;
  name: string;
  description: string;
  teamId: string;
  rules: EscalationRuleRecord[];
}

export interface ServiceRecord {
  id: string;
  name: string;
  description: string;
  escalationPolicyId: string;
  teamId: string;
  createdAt: string;
}

export interface PriorityRecord {
  id: string;
  name: string;
  description: string;
  color: string;
  order: number;
}

/** The cause of a change: a user, or the service itself (for example for an incident it opened). */
export type AgentRecord = { kind: "user"; id: string } | { kind: "service"; id: string };

export type IncidentStatus = "triggered" | "acknowledged" | "resolved";
export type Urgency = "high" | "low";

export interface IncidentRecord {
  id: string;
  number: number;
  title: string;
  status: IncidentStatus;
  urgency: Urgency;
  incidentKey: string;
  serviceId: string;
  escalationPolicyId: string;
  /** 1-based level of the escalation policy the incident is at. */
  escalationLevel: number;
  assignedVia: "escalation_policy" | "direct_assignment";
  assignments: { at: string; userId: string }[];
  acknowledgements: { at: string; userId: string }[];
  priorityId: string | null;
  teamIds: string[];
  bodyDetails: string | null;
  conferenceBridge: { conference_number?: string; conference_url?: string } | null;
  createdAt: string;
  updatedAt: string;
  lastStatusChangeAt: string;
  lastStatusChangeBy: AgentRecord;
  resolvedAt: string | null;
  reopenedAt: string | null;
  firstTriggerLogEntryId: string;
}

export interface NoteRecord {
  id: string;
  incidentId: string;
  userId: string;
  content: string;
  createdAt: string;
}

export type LogEntryType =
  | "trigger_log_entry"
  | "acknowledge_log_entry"
  | "resolve_log_entry"
  | "annotate_log_entry"
  | "assign_log_entry"
  | "escalate_log_entry"
  | "delegate_log_entry"
  | "unacknowledge_log_entry";

export interface LogEntryRecord {
  id: string;
  type: LogEntryType;
  incidentId: string;
  createdAt: string;
  agent: AgentRecord | null;
  /** "api" for REST calls and "web" for the sandbox page, like PagerDuty's log entry channels. */
  channelType: "api" | "web" | "timeout";
  summary: string;
  note: string | null;
}

export type SubscriptionFilter =
  | { type: "account_reference" }
  | { type: "service_reference"; id: string }
  | { type: "team_reference"; id: string };

export interface WebhookSubscriptionRecord {
  id: string;
  deliveryMethodId: string;
  description: string;
  url: string;
  customHeaders: { name: string; value: string }[];
  events: string[];
  filter: SubscriptionFilter;
  active: boolean;
  secret: string;
  /** Set after too many consecutive dropped deliveries; cleared by POST /webhook_subscriptions/{id}/enable. */
  temporarilyDisabled: boolean;
  consecutiveDrops: number;
}

export interface IncidentWorkflowRecord {
  id: string;
  name: string;
  description: string;
  teamId: string | null;
  createdAt: string;
}

export interface WorkflowInstanceRecord {
  id: string;
  workflowId: string;
  incidentId: string;
  createdAt: string;
}

/** Incident workflows of the sandbox account, defined here because sandbox/seed.ts has none. */
export const SANDBOX_INCIDENT_WORKFLOWS = [
  { id: "P0WFMAJ", name: "Major incident response", description: "Opens a bridge and pages the incident commander.", teamId: null },
  { id: "P0WFSTK", name: "Notify payment stakeholders", description: "Posts a status update for the Payments team.", teamId: TEAMS.payments.id },
] as const;

/** The ID of the webhook subscription seeded from the webhookUrl option. */
export const SEEDED_SUBSCRIPTION_ID = "P0WEBHK";

/** Every incident event type that the fake sends, in the order PagerDuty documents them. */
export const INCIDENT_EVENT_TYPES = [
  "incident.acknowledged",
  "incident.annotated",
  "incident.delegated",
  "incident.escalated",
  "incident.priority_updated",
  "incident.reassigned",
  "incident.reopened",
  "incident.resolved",
  "incident.triggered",
  "incident.unacknowledged",
] as const;

const USER_COLORS = ["green", "purple", "red", "teal", "orange", "blue", "brown", "cayenne", "crimson"];
const PRIORITY_COLORS = ["a8171c", "eb6016", "f9b406"];

/** The mutable state of one fake PagerDuty account. */
export class FakeAccount {
  readonly users = new Map<string, UserRecord>();
  readonly teams = new Map<string, TeamRecord>();
  readonly escalationPolicies = new Map<string, EscalationPolicyRecord>();
  readonly services = new Map<string, ServiceRecord>();
  readonly priorities = new Map<string, PriorityRecord>();
  readonly workflows = new Map<string, IncidentWorkflowRecord>();
  /** Incidents in creation order. */
  readonly incidents = new Map<string, IncidentRecord>();
  readonly notes: NoteRecord[] = [];
  readonly logEntries: LogEntryRecord[] = [];
  readonly subscriptions = new Map<string, WebhookSubscriptionRecord>();
  readonly workflowInstances: WorkflowInstanceRecord[] = [];
  nextIncidentNumber = 1;

  constructor(createdAt: string) {
    seedAccount(this, createdAt);
  }

  findUserByEmail(email: string): UserRecord | undefined {
    const wanted = email.trim().toLowerCase();
    for (const user of this.users.values()) if (user.email.toLowerCase() === wanted) return user;
    return undefined;
  }

  /** Looks an incident up by its ID or by its number, as GET /incidents/{id} accepts both. */
  findIncident(idOrNumber: string): IncidentRecord | undefined {
    const byId = this.incidents.get(idOrNumber);
    if (byId) return byId;
    if (!/^\d+$/.test(idOrNumber)) return undefined;
    const number = Number(idOrNumber);
    for (const incident of this.incidents.values()) if (incident.number === number) return incident;
    return undefined;
  }

  notesOf(incidentId: string): NoteRecord[] {
    return this.notes.filter((note) => note.incidentId === incidentId);
  }

  logEntriesOf(incidentId: string): LogEntryRecord[] {
    return this.logEntries.filter((entry) => entry.incidentId === incidentId);
  }
}

function seedAccount(account: FakeAccount, createdAt: string): void {
  for (const team of Object.values(TEAMS)) {
    account.teams.set(team.id, { id: team.id, name: team.name, description: `The ${team.name} team` });
  }

  PEOPLE.filter((person) => person.pagerdutyUserId !== "").forEach((person, index) => {
    account.users.set(person.pagerdutyUserId, {
      id: person.pagerdutyUserId,
      name: person.name,
      email: person.email,
      role: person.role,
      teamIds: [...person.teamIds],
      timeZone: person.timeZone,
      color: USER_COLORS[index % USER_COLORS.length] ?? "green",
      jobTitle: "",
    });
  });

  for (const policy of Object.values(ESCALATION_POLICIES)) {
    account.escalationPolicies.set(policy.id, {
      id: policy.id,
      name: policy.name,
      description: `Escalation policy of the ${account.teams.get(policy.teamId)?.name ?? policy.teamId} team`,
      teamId: policy.teamId,
      rules: policy.levels.map((keys, index) => ({
        id: `${policy.id}R${index + 1}`,
        delayMinutes: 30,
        userIds: keys.map((key) => pagerDutyUserIdOf(key)),
      })),
    });
  }

  for (const service of Object.values(SERVICES)) {
    account.services.set(service.id, {
      id: service.id,
      name: service.name,
      description: `${service.name} of the sandbox account`,
      escalationPolicyId: service.escalationPolicyId,
      teamId: service.teamId,
      createdAt,
    });
  }

  PRIORITIES.forEach((priority, index) => {
    account.priorities.set(priority.id, {
      id: priority.id,
      name: priority.name,
      description: priority.description,
      color: PRIORITY_COLORS[index % PRIORITY_COLORS.length] ?? "a8171c",
      order: (PRIORITIES.length - index) * 64,
    });
  });

  for (const workflow of SANDBOX_INCIDENT_WORKFLOWS) {
    account.workflows.set(workflow.id, { ...workflow, createdAt });
  }
}

function pagerDutyUserIdOf(personKey: string): string {
  const found = PEOPLE.find((person) => person.key === personKey);
  if (!found?.pagerdutyUserId) throw new Error(`Seeded escalation level names "${personKey}", who has no PagerDuty user`);
  return found.pagerdutyUserId;
}

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** Generates a PagerDuty-style object ID: "P" and six more upper-case letters or digits, like PXPGF42. */
export function newObjectId(first = "P", length = 7): string {
  const bytes = randomBytes(length - 1);
  let id = first;
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id;
}

/**
 * Generates a 14-character incident ID like Q1R2DLCB21K7NP. Newer PagerDuty incidents have IDs of this
 * length, so clients must not assume seven characters.
 */
export function newIncidentId(): string {
  return newObjectId("Q", 14);
}

/** Generates a de-duplication key in the 32-hex-digit form that PagerDuty uses. */
export function newIncidentKey(): string {
  return randomUUID().replaceAll("-", "");
}
