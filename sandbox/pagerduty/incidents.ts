import { randomUUID } from "node:crypto";
import {
  accessDenied,
  argumentsCausedError,
  assignedUserNotFound,
  cannotEscalate,
  escalationPolicyNotFound,
  incidentAlreadyResolved,
  invalidInput,
  invalidPriority,
  invalidStatus,
  notFound,
} from "./errors";
import type { Json, Renderer } from "./render";
import {
  newIncidentId,
  newIncidentKey,
  newObjectId,
  type AgentRecord,
  type EscalationPolicyRecord,
  type FakeAccount,
  type IncidentRecord,
  type IncidentStatus,
  type LogEntryRecord,
  type LogEntryType,
  type NoteRecord,
  type Urgency,
  type UserRecord,
} from "./state";
import type { OutboundEvent } from "./webhooks";

// Incident operations shared by the REST API, the control API and the sandbox page, so that every
// path checks the same permissions and sends the same webhooks.

/** The user in whose name a change is made, and where it came from. */
export interface Actor {
  user: UserRecord;
  /** "api" for REST calls (webhook `client` null), "web" for the sandbox page (client "PagerDuty"). */
  channel: "api" | "web";
}

export interface IncidentContext {
  account: FakeAccount;
  render: Renderer;
  /** The current time as an ISO 8601 string with milliseconds. */
  now(): string;
  publish(event: OutboundEvent): void;
}

const READ_ONLY_ROLES = new Set(["observer", "read_only_user", "read_only_limited_user"]);
const TEAM_SCOPED_ROLES = new Set(["limited_user", "restricted_access"]);

/** Max notes per incident, as PagerDuty documents for POST /incidents/{id}/notes. */
const MAX_NOTES_PER_INCIDENT = 2000;

/**
 * Rejects writes by read-only roles, and writes by limited and restricted users to incidents
 * whose escalation policies belong to teams they are not on.
 */
export function assertCanChangeIncidents(account: FakeAccount, user: UserRecord, escalationPolicyIds: string[]): void {
  if (READ_ONLY_ROLES.has(user.role)) {
    throw accessDenied(`${user.email} has the ${user.role} role, which cannot change incidents`);
  }
  if (!TEAM_SCOPED_ROLES.has(user.role)) return;
  for (const policyId of escalationPolicyIds) {
    const policy = account.escalationPolicies.get(policyId);
    if (policy && !user.teamIds.includes(policy.teamId)) {
      const teamName = account.teams.get(policy.teamId)?.name ?? policy.teamId;
      throw accessDenied(`${user.email} has the ${user.role} role and is not on the ${teamName} team of escalation policy "${policy.name}"`);
    }
  }
}

export interface CreateIncidentInput {
  title: string;
  serviceId: string;
  urgency?: Urgency;
  details?: string;
  incidentKey?: string;
  assigneeIds?: string[];
  escalationPolicyId?: string;
  priorityId?: string;
  conferenceBridge?: { conference_number?: string; conference_url?: string };
}

/** Opens an incident on a service, assigned to level 1 of its escalation policy unless the input names assignees or another policy. */
export function createIncident(context: IncidentContext, { actor, input }: { actor: Actor; input: CreateIncidentInput }): IncidentRecord {
  const { account } = context;
  const service = account.services.get(input.serviceId);
  if (!service) throw invalidInput(`Service "${input.serviceId}" not found`);
  if (input.assigneeIds && input.escalationPolicyId) {
    throw invalidInput("assignments and escalation_policy cannot both be given");
  }

  const policy = requirePolicy(account, input.escalationPolicyId ?? service.escalationPolicyId);
  assertCanChangeIncidents(account, actor.user, [...new Set([service.escalationPolicyId, policy.id])]);

  if (input.incidentKey !== undefined) {
    const duplicate = [...account.incidents.values()].some(
      (incident) => incident.serviceId === service.id && incident.incidentKey === input.incidentKey && incident.status !== "resolved",
    );
    if (duplicate) throw argumentsCausedError("Open incident with matching dedup key already exists on this service");
  }
  if (input.priorityId !== undefined && !account.priorities.has(input.priorityId)) {
    throw invalidPriority(`No priority has the ID "${input.priorityId}"`);
  }
  for (const userId of input.assigneeIds ?? []) {
    if (!account.users.has(userId)) throw assignedUserNotFound(userId);
  }

  const now = context.now();
  const incidentId = newIncidentId();
  const assigneeIds = input.assigneeIds ?? levelUserIds(policy, 1);
  const triggerEntry = logEntry(incidentId, "trigger_log_entry", now, { kind: "user", id: actor.user.id }, actor, `Triggered through the ${actor.channel === "web" ? "website" : "API"}`);
  const incident: IncidentRecord = {
    id: incidentId,
    number: account.nextIncidentNumber++,
    title: input.title,
    status: "triggered",
    urgency: input.urgency ?? "high",
    incidentKey: input.incidentKey ?? newIncidentKey(),
    serviceId: service.id,
    escalationPolicyId: policy.id,
    escalationLevel: 1,
    assignedVia: input.assigneeIds ? "direct_assignment" : "escalation_policy",
    assignments: assigneeIds.map((userId) => ({ at: now, userId })),
    acknowledgements: [],
    priorityId: input.priorityId ?? null,
    teamIds: [policy.teamId],
    bodyDetails: input.details ?? null,
    conferenceBridge: input.conferenceBridge ?? null,
    createdAt: now,
    updatedAt: now,
    lastStatusChangeAt: now,
    lastStatusChangeBy: { kind: "service", id: service.id },
    resolvedAt: null,
    reopenedAt: null,
    firstTriggerLogEntryId: triggerEntry.id,
  };

  account.incidents.set(incident.id, incident);
  account.logEntries.push(triggerEntry);
  publishIncidentEvent(context, { eventType: "incident.triggered", incident, actor, data: context.render.incidentWebhookData(incident) });
  return incident;
}

/** The fields of PUT /incidents/{id} that the fake applies. */
export interface IncidentChange {
  status?: IncidentStatus;
  resolution?: string;
  escalationLevel?: number;
  assigneeIds?: string[];
  escalationPolicyId?: string;
  /** A priority by ID or by name; null removes the priority. */
  priority?: { id: string } | { name: string } | null;
  urgency?: Urgency;
  title?: string;
  conferenceBridge?: { conference_number?: string; conference_url?: string };
}

/** The outcome of applying a change to a copy of an incident, before anything is stored or sent. */
interface PlannedUpdate {
  incident: IncidentRecord;
  logEntries: LogEntryRecord[];
  /** Each event keeps a copy of the incident as it was right after that step. */
  events: { eventType: string; snapshot: IncidentRecord }[];
}

/** Changes one incident as PUT /incidents/{id} does, then sends the resulting webhooks. */
export function updateIncident(context: IncidentContext, { actor, incidentId, change }: { actor: Actor; incidentId: string; change: IncidentChange }): IncidentRecord {
  const incident = context.account.findIncident(incidentId);
  if (!incident) throw notFound(`Incident "${incidentId}" not found`);
  const plan = planIncidentUpdate(context, incident, change, actor);
  commitIncidentUpdate(context, plan, actor);
  return plan.incident;
}

/** Changes several incidents as PUT /incidents does: all of them, or none if one change fails. */
export function updateIncidents(context: IncidentContext, { actor, updates }: { actor: Actor; updates: { incidentId: string; change: IncidentChange }[] }): IncidentRecord[] {
  const seen = new Set<string>();
  const plans = updates.map(({ incidentId, change }) => {
    const incident = context.account.findIncident(incidentId);
    if (!incident) throw notFound(`Incident "${incidentId}" not found`);
    if (seen.has(incident.id)) throw invalidInput(`Incident ${incident.id} appears more than once`);
    seen.add(incident.id);
    return planIncidentUpdate(context, incident, change, actor);
  });
  for (const plan of plans) commitIncidentUpdate(context, plan, actor);
  return plans.map((plan) => plan.incident);
}

function planIncidentUpdate(context: IncidentContext, current: IncidentRecord, change: IncidentChange, actor: Actor): PlannedUpdate {
  const { account } = context;
  const candidatePolicies = [current.escalationPolicyId];
  if (change.escalationPolicyId) candidatePolicies.push(change.escalationPolicyId);
  assertCanChangeIncidents(account, actor.user, candidatePolicies);
  if (change.assigneeIds && change.escalationPolicyId) {
    throw invalidInput("assignments and escalation_policy cannot both be given");
  }

  const now = context.now();
  const next = structuredClone(current);
  const plan: PlannedUpdate = { incident: next, logEntries: [], events: [] };
  const agent: AgentRecord = { kind: "user", id: actor.user.id };
  const addEvent = (eventType: string) => plan.events.push({ eventType, snapshot: structuredClone(next) });
  const addLog = (type: LogEntryType, summary: string, note: string | null = null) =>
    plan.logEntries.push(logEntry(next.id, type, now, agent, actor, summary, note));
  let changed = false;

  if (change.title !== undefined && change.title !== next.title) {
    next.title = change.title;
    changed = true;
  }
  if (change.urgency !== undefined && change.urgency !== next.urgency) {
    next.urgency = change.urgency;
    changed = true;
  }
  if (change.conferenceBridge !== undefined) {
    next.conferenceBridge = change.conferenceBridge;
    changed = true;
  }
  if (change.priority !== undefined) {
    const priorityId = change.priority === null ? null : resolvePriorityId(context, change.priority);
    if (priorityId !== next.priorityId) {
      next.priorityId = priorityId;
      changed = true;
      addEvent("incident.priority_updated");
    }
  }

  // Reopening takes the assignment fields of the same request; otherwise they need an open incident.
  let assignmentApplied = false;
  const reopening = next.status === "resolved" && (change.status === "triggered" || change.status === "acknowledged");
  if (reopening) {
    reopenIncident(context, next, change, actor, now);
    assignmentApplied = true;
    changed = true;
    addLog("trigger_log_entry", `Reopened by ${actor.user.name}`);
    addEvent("incident.reopened");
  } else if (next.status === "resolved" && (change.assigneeIds || change.escalationPolicyId || change.escalationLevel !== undefined)) {
    throw incidentAlreadyResolved(next.id);
  }

  if (!assignmentApplied && change.escalationPolicyId && change.escalationPolicyId !== next.escalationPolicyId) {
    const policy = requirePolicy(account, change.escalationPolicyId);
    next.escalationPolicyId = policy.id;
    next.teamIds = [policy.teamId];
    assignToLevel(next, policy, 1, now);
    changed = true;
    addLog("delegate_log_entry", `Reassigned to ${policy.name} by ${actor.user.name}`);
    addEvent("incident.delegated");
  }

  if (!assignmentApplied && change.assigneeIds) {
    for (const userId of change.assigneeIds) {
      if (!account.users.has(userId)) throw assignedUserNotFound(userId);
    }
    next.assignments = change.assigneeIds.map((userId) => ({ at: now, userId }));
    next.assignedVia = "direct_assignment";
    retrigger(next, now);
    changed = true;
    addLog("assign_log_entry", `Assigned to ${change.assigneeIds.map((userId) => account.users.get(userId)?.name ?? userId).join(", ")} by ${actor.user.name}`);
    addEvent("incident.reassigned");
  }

  if (!assignmentApplied && change.escalationLevel !== undefined && change.escalationLevel !== next.escalationLevel) {
    const policy = requirePolicy(account, next.escalationPolicyId);
    if (change.escalationLevel < 1 || change.escalationLevel > policy.rules.length) {
      throw cannotEscalate(`Escalation policy "${policy.name}" has levels 1 to ${policy.rules.length}; got ${change.escalationLevel}`);
    }
    assignToLevel(next, policy, change.escalationLevel, now);
    changed = true;
    addLog("escalate_log_entry", `Escalated to level ${change.escalationLevel} by ${actor.user.name}`);
    addEvent("incident.escalated");
  }

  if (!reopening && change.status !== undefined) {
    const statusChanged = applyStatus(next, change.status, actor, now);
    if (statusChanged) {
      changed = true;
      if (change.status === "acknowledged") {
        addLog("acknowledge_log_entry", `Acknowledged by ${actor.user.name}`);
        addEvent("incident.acknowledged");
      } else if (change.status === "resolved") {
        addLog("resolve_log_entry", `Resolved by ${actor.user.name}`, change.resolution ?? null);
        addEvent("incident.resolved");
      }
    }
  }

  if (changed) next.updatedAt = now;
  return plan;
}

function reopenIncident(context: IncidentContext, incident: IncidentRecord, change: IncidentChange, actor: Actor, now: string): void {
  incident.status = "triggered";
  incident.reopenedAt = now;
  incident.resolvedAt = null;
  incident.acknowledgements = [];
  incident.lastStatusChangeAt = now;
  incident.lastStatusChangeBy = { kind: "user", id: actor.user.id };

  if (change.status === "acknowledged") {
    // PagerDuty assigns an incident reopened as acknowledged to the user who reopened it.
    incident.assignments = [{ at: now, userId: actor.user.id }];
    incident.assignedVia = "direct_assignment";
    incident.status = "acknowledged";
    incident.acknowledgements = [{ at: now, userId: actor.user.id }];
    return;
  }
  if (change.assigneeIds) {
    for (const userId of change.assigneeIds) {
      if (!context.account.users.has(userId)) throw assignedUserNotFound(userId);
    }
    incident.assignments = change.assigneeIds.map((userId) => ({ at: now, userId }));
    incident.assignedVia = "direct_assignment";
    return;
  }
  const policy = requirePolicy(context.account, change.escalationPolicyId ?? incident.escalationPolicyId);
  incident.escalationPolicyId = policy.id;
  incident.teamIds = [policy.teamId];
  assignToLevel(incident, policy, 1, now);
}

/**
 * Applies a status change to an open incident and returns whether anything changed. Resolving a
 * resolved incident, triggering a triggered one and a repeated acknowledgement by the same user
 * change nothing and are not errors.
 */
function applyStatus(incident: IncidentRecord, status: IncidentStatus, actor: Actor, now: string): boolean {
  // NOTE: these no-op cases and the 400 for acknowledged → triggered are not verified against the
  // live API; PagerDuty documents "triggered" only for reopening a resolved incident.
  if (status === "triggered") {
    if (incident.status === "acknowledged") {
      throw invalidStatus(`Incident ${incident.id} is acknowledged; only a resolved incident can be set to triggered`);
    }
    return false;
  }

  if (status === "acknowledged") {
    if (incident.acknowledgements.some((ack) => ack.userId === actor.user.id) && incident.status === "acknowledged") return false;
    incident.acknowledgements.push({ at: now, userId: actor.user.id });
    if (incident.status !== "acknowledged") {
      incident.status = "acknowledged";
      incident.lastStatusChangeAt = now;
      incident.lastStatusChangeBy = { kind: "user", id: actor.user.id };
    }
    return true;
  }

  if (incident.status === "resolved") return false;
  incident.status = "resolved";
  incident.resolvedAt = now;
  incident.assignments = [];
  incident.acknowledgements = [];
  incident.lastStatusChangeAt = now;
  incident.lastStatusChangeBy = { kind: "user", id: actor.user.id };
  return true;
}

function commitIncidentUpdate(context: IncidentContext, plan: PlannedUpdate, actor: Actor): void {
  context.account.incidents.set(plan.incident.id, plan.incident);
  context.account.logEntries.push(...plan.logEntries);
  for (const event of plan.events) {
    publishIncidentEvent(context, {
      eventType: event.eventType,
      incident: event.snapshot,
      actor,
      data: context.render.incidentWebhookData(event.snapshot),
    });
  }
}

/** Adds a note to an incident, as POST /incidents/{id}/notes does, and sends incident.annotated. */
export function addIncidentNote(context: IncidentContext, { actor, incidentId, content }: { actor: Actor; incidentId: string; content: string }): NoteRecord {
  const { account } = context;
  const incident = account.findIncident(incidentId);
  if (!incident) throw notFound(`Incident "${incidentId}" not found`);
  assertCanChangeIncidents(account, actor.user, [incident.escalationPolicyId]);
  if (account.notesOf(incident.id).length >= MAX_NOTES_PER_INCIDENT) {
    throw invalidInput(`Incident ${incident.id} already has the maximum of ${MAX_NOTES_PER_INCIDENT} notes`);
  }

  const now = context.now();
  const note: NoteRecord = { id: newObjectId(), incidentId: incident.id, userId: actor.user.id, content, createdAt: now };
  account.notes.push(note);
  account.logEntries.push(logEntry(incident.id, "annotate_log_entry", now, { kind: "user", id: actor.user.id }, actor, `Note added by ${actor.user.name}`, content));
  publishIncidentEvent(context, { eventType: "incident.annotated", incident, actor, data: context.render.noteWebhookData(note, incident) });
  return note;
}

/**
 * Returns an acknowledged incident to triggered, as PagerDuty does when the acknowledgement
 * times out. The sandbox has no timers for this; the control API calls it on request.
 */
export function unacknowledgeIncident(context: IncidentContext, { incidentId }: { incidentId: string }): IncidentRecord {
  const incident = context.account.findIncident(incidentId);
  if (!incident) throw notFound(`Incident "${incidentId}" not found`);
  if (incident.status !== "acknowledged") {
    throw invalidStatus(`Incident ${incident.id} is ${incident.status}; only an acknowledged incident can be unacknowledged`);
  }

  const now = context.now();
  incident.status = "triggered";
  incident.acknowledgements = [];
  incident.lastStatusChangeAt = now;
  incident.lastStatusChangeBy = { kind: "service", id: incident.serviceId };
  incident.updatedAt = now;
  context.account.logEntries.push(logEntry(incident.id, "unacknowledge_log_entry", now, null, null, "Unacknowledged due to timeout"));
  publishIncidentEvent(context, { eventType: "incident.unacknowledged", incident, actor: null, data: context.render.incidentWebhookData(incident) });
  return incident;
}

function publishIncidentEvent(
  context: IncidentContext,
  { eventType, incident, actor, data }: { eventType: string; incident: IncidentRecord; actor: Actor | null; data: Json },
): void {
  context.publish({
    envelope: {
      event: {
        id: randomUUID(),
        event_type: eventType,
        resource_type: "incident",
        occurred_at: context.now(),
        agent: actor ? context.render.userReference(actor.user.id) : null,
        client: actor?.channel === "web" ? { name: "PagerDuty" } : null,
        data,
      },
    },
    incidentId: incident.id,
    serviceId: incident.serviceId,
    teamIds: [...incident.teamIds],
  });
}

function resolvePriorityId(context: IncidentContext, priority: { id: string } | { name: string }): string {
  if ("id" in priority) {
    if (!context.account.priorities.has(priority.id)) throw invalidPriority(`No priority has the ID "${priority.id}"`);
    return priority.id;
  }
  // PagerDuty picks the highest priority with a matching name; higher `order` means higher priority.
  const matching = [...context.account.priorities.values()].filter((candidate) => candidate.name === priority.name).sort((a, b) => b.order - a.order);
  const found = matching[0];
  if (!found) throw invalidPriority(`No priority is named "${priority.name}"`);
  return found.id;
}

function requirePolicy(account: FakeAccount, policyId: string): EscalationPolicyRecord {
  const policy = account.escalationPolicies.get(policyId);
  if (!policy) throw escalationPolicyNotFound(policyId);
  return policy;
}

function levelUserIds(policy: EscalationPolicyRecord, level: number): string[] {
  return policy.rules[level - 1]?.userIds ?? [];
}

/** Assigns the incident to the users of one escalation level; an acknowledged incident becomes triggered again. */
function assignToLevel(incident: IncidentRecord, policy: EscalationPolicyRecord, level: number, now: string): void {
  incident.escalationLevel = level;
  incident.assignments = levelUserIds(policy, level).map((userId) => ({ at: now, userId }));
  incident.assignedVia = "escalation_policy";
  retrigger(incident, now);
}

/** Returns an acknowledged incident to triggered, because a new assignment restarts notification. */
function retrigger(incident: IncidentRecord, now: string): void {
  if (incident.status !== "acknowledged") return;
  incident.status = "triggered";
  incident.acknowledgements = [];
  incident.lastStatusChangeAt = now;
}

function logEntry(
  incidentId: string,
  type: LogEntryType,
  createdAt: string,
  agent: AgentRecord | null,
  actor: Actor | null,
  summary: string,
  note: string | null = null,
): LogEntryRecord {
  return {
    id: newObjectId("R", 26),
    type,
    incidentId,
    createdAt,
    agent,
    channelType: actor === null ? "timeout" : actor.channel,
    summary,
    note,
  };
}
