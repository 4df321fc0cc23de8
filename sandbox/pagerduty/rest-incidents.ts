import { z } from "zod";
import { FakeApiError, invalidInput, notFound } from "./errors";
import { pageBody, paginate, parsePageRequest, type QueryParams } from "./http";
import { addIncidentNote, createIncident, updateIncident, updateIncidents, type Actor, type IncidentChange } from "./incidents";
import { includesOf, parseBody, type RestCall, type RestRoute } from "./routes";
import type { IncidentRecord } from "./state";

// REST routes under /incidents: list, get, create, update one or many, notes and log entries.

const MAX_BULK_UPDATES = 250;
/** PagerDuty's default date range for GET /incidents is one month; the longest allowed is six. */
const DEFAULT_RANGE_MS = 30 * 24 * 3600 * 1000;
const MAX_RANGE_MS = 184 * 24 * 3600 * 1000;

const referenceOf = <T extends string>(type: T) => z.object({ id: z.string().min(1), type: z.literal(type) });

const conferenceBridgeSchema = z.object({
  conference_number: z.string().optional(),
  conference_url: z.string().optional(),
});

const createIncidentBody = z.object({
  incident: z.object({
    type: z.literal("incident"),
    title: z.string().trim().min(1).max(1024),
    service: referenceOf("service_reference"),
    urgency: z.enum(["high", "low"]).optional(),
    body: z.object({ type: z.literal("incident_body"), details: z.string().optional() }).optional(),
    incident_key: z.string().min(1).max(255).optional(),
    assignments: z.array(z.object({ assignee: referenceOf("user_reference") })).min(1).optional(),
    escalation_policy: referenceOf("escalation_policy_reference").optional(),
    priority: referenceOf("priority_reference").optional(),
    conference_bridge: conferenceBridgeSchema.optional(),
  }),
});

export type CreateIncidentBody = z.infer<typeof createIncidentBody>;

const incidentUpdateFields = z.object({
  type: z.enum(["incident", "incident_reference"]),
  status: z.enum(["acknowledged", "resolved", "triggered"]).optional(),
  resolution: z.string().optional(),
  escalation_level: z.number().int().optional(),
  assignments: z.array(z.object({ assignee: referenceOf("user_reference") })).min(1).optional(),
  escalation_policy: referenceOf("escalation_policy_reference").optional(),
  priority: z
    .union([z.object({ id: z.string().min(1), type: z.enum(["priority", "priority_reference"]) }), z.string().min(1), z.null()])
    .optional(),
  urgency: z.enum(["high", "low"]).optional(),
  title: z.string().trim().min(1).max(1024).optional(),
  conference_bridge: conferenceBridgeSchema.optional(),
});

const updateIncidentBody = z.object({ incident: incidentUpdateFields });
const updateIncidentsBody = z.object({ incidents: z.array(incidentUpdateFields.extend({ id: z.string().min(1) })).min(1) });
const createNoteBody = z.object({ note: z.object({ content: z.string().trim().min(1) }) });

function toChange(fields: z.infer<typeof incidentUpdateFields>): IncidentChange {
  const change: IncidentChange = {};
  if (fields.status !== undefined) change.status = fields.status;
  if (fields.resolution !== undefined) change.resolution = fields.resolution;
  if (fields.escalation_level !== undefined) change.escalationLevel = fields.escalation_level;
  if (fields.assignments !== undefined) change.assigneeIds = fields.assignments.map((assignment) => assignment.assignee.id);
  if (fields.escalation_policy !== undefined) change.escalationPolicyId = fields.escalation_policy.id;
  if (fields.priority === null) change.priority = null;
  else if (typeof fields.priority === "string") change.priority = { name: fields.priority };
  else if (fields.priority !== undefined) change.priority = { id: fields.priority.id };
  if (fields.urgency !== undefined) change.urgency = fields.urgency;
  if (fields.title !== undefined) change.title = fields.title;
  if (fields.conference_bridge !== undefined) change.conferenceBridge = fields.conference_bridge;
  return change;
}

/** Creates an incident from a POST /incidents body; the control API's trigger uses it too. */
export function createIncidentFromBody(call: Pick<RestCall, "app">, actor: Actor, body: unknown): IncidentRecord {
  const { incident } = parseBody(createIncidentBody, body);
  return createIncident(call.app.incidentContext(), {
    actor,
    input: {
      title: incident.title,
      serviceId: incident.service.id,
      urgency: incident.urgency,
      details: incident.body?.details,
      incidentKey: incident.incident_key,
      assigneeIds: incident.assignments?.map((assignment) => assignment.assignee.id),
      escalationPolicyId: incident.escalation_policy?.id,
      priorityId: incident.priority?.id,
      conferenceBridge: incident.conference_bridge,
    },
  });
}

function requireActor(call: RestCall): Actor {
  if (!call.actor) throw new Error("route needs requiresFrom: true to receive an actor");
  return call.actor;
}

function requireIncident(call: RestCall): IncidentRecord {
  const incident = call.app.account.findIncident(call.params.id ?? "");
  if (!incident) throw notFound(`Incident "${call.params.id}" not found`);
  return incident;
}

const STATUSES = new Set(["triggered", "acknowledged", "resolved"]);
const URGENCIES = new Set(["high", "low"]);
const SORT_FIELDS = new Set(["incident_number", "created_at", "resolved_at", "urgency"]);

function listIncidents(call: RestCall) {
  const { query, app } = call;
  const page = parsePageRequest(query);
  const statuses = query.getAll("statuses");
  const urgencies = query.getAll("urgencies");
  for (const status of statuses) if (!STATUSES.has(status)) throw invalidInput(`statuses[] must be triggered, acknowledged or resolved; got "${status}"`);
  for (const urgency of urgencies) if (!URGENCIES.has(urgency)) throw invalidInput(`urgencies[] must be high or low; got "${urgency}"`);
  const serviceIds = query.getAll("service_ids");
  const teamIds = query.getAll("team_ids");
  const userIds = query.getAll("user_ids");
  const incidentKey = query.get("incident_key");
  const range = parseDateRange(query, app.config.clock().getTime());

  const incidents = [...app.account.incidents.values()].filter((incident) => {
    if (statuses.length > 0 && !statuses.includes(incident.status)) return false;
    if (urgencies.length > 0 && !urgencies.includes(incident.urgency)) return false;
    if (serviceIds.length > 0 && !serviceIds.includes(incident.serviceId)) return false;
    if (teamIds.length > 0 && !incident.teamIds.some((teamId) => teamIds.includes(teamId))) return false;
    if (userIds.length > 0 && !incident.assignments.some((assignment) => userIds.includes(assignment.userId))) return false;
    if (incidentKey !== undefined && incident.incidentKey !== incidentKey) return false;
    if (range) {
      const createdAt = Date.parse(incident.createdAt);
      if (createdAt < range.since || createdAt > range.until) return false;
    }
    return true;
  });
  incidents.sort(incidentComparator(query));

  const include = includesOf(query);
  return { status: 200, body: pageBody("incidents", paginate(incidents, page), (incident) => app.render.incident(incident, include)) };
}

function parseDateRange(query: QueryParams, nowMs: number): { since: number; until: number } | null {
  if (query.get("date_range") === "all") return null;
  const sinceText = query.get("since");
  const untilText = query.get("until");
  const parse = (text: string) => {
    const value = Date.parse(text);
    if (Number.isNaN(value)) throw new FakeApiError(400, 2004, "Invalid time values in 'since' and/or 'until' parameters", [`"${text}" is not an ISO 8601 time`]);
    return value;
  };
  const until = untilText ? parse(untilText) : nowMs;
  const since = sinceText ? parse(sinceText) : until - DEFAULT_RANGE_MS;
  if (since > until) throw new FakeApiError(400, 2005, "Invalid Query Date Range", ["since must not be after until"]);
  if (until - since > MAX_RANGE_MS) throw new FakeApiError(400, 2005, "Invalid Query Date Range", ["The range from since to until must not exceed 6 months"]);
  return { since, until };
}

/** Sorts by `sort_by` ("field[:asc|:desc]", at most two, comma-separated or repeated); created_at ascending by default. */
function incidentComparator(query: QueryParams): (a: IncidentRecord, b: IncidentRecord) => number {
  const specs = query
    .getAll("sort_by")
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter(Boolean);
  if (specs.length > 2) throw invalidInput("sort_by accepts at most two fields");
  const keys = specs.map((spec) => {
    const [field = "", direction = "asc"] = spec.split(":");
    if (!SORT_FIELDS.has(field) || (direction !== "asc" && direction !== "desc")) {
      throw invalidInput(`sort_by must be incident_number, created_at, resolved_at or urgency, optionally with :asc or :desc; got "${spec}"`);
    }
    return { field, sign: direction === "asc" ? 1 : -1 };
  });
  if (keys.length === 0) keys.push({ field: "created_at", sign: 1 });

  const valueOf = (incident: IncidentRecord, field: string): number => {
    if (field === "incident_number") return incident.number;
    if (field === "created_at") return Date.parse(incident.createdAt);
    if (field === "resolved_at") return incident.resolvedAt ? Date.parse(incident.resolvedAt) : Number.MAX_SAFE_INTEGER;
    return incident.urgency === "high" ? 1 : 0;
  };
  return (a, b) => {
    for (const key of keys) {
      const difference = valueOf(a, key.field) - valueOf(b, key.field);
      if (difference !== 0) return difference * key.sign;
    }
    return a.number - b.number;
  };
}

export const incidentRoutes: RestRoute[] = [
  { method: "GET", path: "/incidents", handle: listIncidents },
  {
    method: "POST",
    path: "/incidents",
    requiresFrom: true,
    handle(call) {
      const incident = createIncidentFromBody(call, requireActor(call), call.body);
      return { status: 201, body: { incident: call.app.render.incident(incident) } };
    },
  },
  {
    method: "PUT",
    path: "/incidents",
    requiresFrom: true,
    handle(call) {
      const rawIncidents = (call.body as { incidents?: unknown } | null)?.incidents;
      if (Array.isArray(rawIncidents) && rawIncidents.length > MAX_BULK_UPDATES) {
        throw new FakeApiError(413, null, "Request Entity Too Large", [`A maximum of ${MAX_BULK_UPDATES} incidents may be updated at a time; got ${rawIncidents.length}`]);
      }
      const { incidents } = parseBody(updateIncidentsBody, call.body);
      const updated = updateIncidents(call.app.incidentContext(), {
        actor: requireActor(call),
        updates: incidents.map((fields) => ({ incidentId: fields.id, change: toChange(fields) })),
      });
      return {
        status: 200,
        body: { incidents: updated.map((incident) => call.app.render.incident(incident)), limit: updated.length, offset: 0, more: false, total: null },
      };
    },
  },
  {
    method: "GET",
    path: "/incidents/:id",
    handle(call) {
      return { status: 200, body: { incident: call.app.render.incident(requireIncident(call), includesOf(call.query)) } };
    },
  },
  {
    method: "PUT",
    path: "/incidents/:id",
    requiresFrom: true,
    handle(call) {
      const { incident: fields } = parseBody(updateIncidentBody, call.body);
      const incident = updateIncident(call.app.incidentContext(), { actor: requireActor(call), incidentId: call.params.id ?? "", change: toChange(fields) });
      return { status: 200, body: { incident: call.app.render.incident(incident) } };
    },
  },
  {
    method: "GET",
    path: "/incidents/:id/notes",
    handle(call) {
      const incident = requireIncident(call);
      return { status: 200, body: { notes: call.app.account.notesOf(incident.id).map((note) => call.app.render.note(note)) } };
    },
  },
  {
    method: "POST",
    path: "/incidents/:id/notes",
    requiresFrom: true,
    handle(call) {
      const { note: fields } = parseBody(createNoteBody, call.body);
      const note = addIncidentNote(call.app.incidentContext(), { actor: requireActor(call), incidentId: call.params.id ?? "", content: fields.content });
      return { status: 200, body: { note: call.app.render.note(note) } };
    },
  },
  {
    method: "GET",
    path: "/incidents/:id/log_entries",
    handle(call) {
      const incident = requireIncident(call);
      const page = parsePageRequest(call.query);
      // NOTE: entries are listed oldest first; the order of the live API is not verified.
      const entries = call.app.account.logEntriesOf(incident.id);
      return { status: 200, body: pageBody("log_entries", paginate(entries, page), (entry) => call.app.render.logEntry(entry)) };
    },
  },
];
