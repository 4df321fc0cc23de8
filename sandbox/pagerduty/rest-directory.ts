import { z } from "zod";
import { invalidInput, notFound } from "./errors";
import { pageBody, paginate, parsePageRequest } from "./http";
import { includesOf, matchesQuery, parseBody, type RestCall, type RestRoute } from "./routes";
import { newObjectId } from "./state";

// REST routes for the account's directory: services, users, escalation policies, teams,
// priorities, on-calls and incident workflows.

function requireParam<T>(map: ReadonlyMap<string, T>, call: RestCall, kind: string): T {
  const id = call.params.id ?? "";
  const found = map.get(id);
  if (!found) throw notFound(`${kind} "${id}" not found`);
  return found;
}

const sortByName = <T extends { name: string }>(items: T[]): T[] => items.sort((a, b) => a.name.localeCompare(b.name));

function listServices(call: RestCall) {
  const { app, query } = call;
  const page = parsePageRequest(query);
  const teamIds = query.getAll("team_ids");
  const include = includesOf(query);
  const services = sortByName(
    [...app.account.services.values()].filter(
      (service) => matchesQuery(query.get("query"), service.name) && (teamIds.length === 0 || teamIds.includes(service.teamId)),
    ),
  );
  return { status: 200, body: pageBody("services", paginate(services, page), (service) => app.render.service(service, include)) };
}

function listUsers(call: RestCall) {
  const { app, query } = call;
  const page = parsePageRequest(query);
  const teamIds = query.getAll("team_ids");
  const include = includesOf(query);
  const users = sortByName(
    [...app.account.users.values()].filter(
      (user) => matchesQuery(query.get("query"), user.name, user.email) && (teamIds.length === 0 || user.teamIds.some((teamId) => teamIds.includes(teamId))),
    ),
  );
  return { status: 200, body: pageBody("users", paginate(users, page), (user) => app.render.user(user, include)) };
}

function listEscalationPolicies(call: RestCall) {
  const { app, query } = call;
  const page = parsePageRequest(query);
  const userIds = query.getAll("user_ids");
  const teamIds = query.getAll("team_ids");
  const include = includesOf(query);
  const policies = sortByName(
    [...app.account.escalationPolicies.values()].filter(
      (policy) =>
        matchesQuery(query.get("query"), policy.name) &&
        (teamIds.length === 0 || teamIds.includes(policy.teamId)) &&
        (userIds.length === 0 || policy.rules.some((rule) => rule.userIds.some((userId) => userIds.includes(userId)))),
    ),
  );
  return { status: 200, body: pageBody("escalation_policies", paginate(policies, page), (policy) => app.render.escalationPolicy(policy, include)) };
}

interface OncallEntry {
  policyId: string;
  level: number;
  userId: string;
}

/**
 * Lists who is on call now, built from the escalation policies: every user of every level is on
 * call without end. The seed has no schedules, so entries have `schedule`, `start` and `end` null,
 * as PagerDuty returns them for users named directly in an escalation rule.
 */
function listOncalls(call: RestCall) {
  const { app, query } = call;
  const page = parsePageRequest(query);
  const policyIds = query.getAll("escalation_policy_ids");
  const userIds = query.getAll("user_ids");
  const scheduleIds = query.getAll("schedule_ids");
  const include = includesOf(query);

  const nowMs = app.config.clock().getTime();
  const readTime = (name: string): number | undefined => {
    const text = query.get(name);
    if (text === undefined) return undefined;
    const value = Date.parse(text);
    if (Number.isNaN(value)) throw invalidInput(`${name} must be an ISO 8601 time; got "${text}"`);
    return value;
  };
  const since = readTime("since") ?? nowMs;
  const until = readTime("until") ?? since;
  if (until < since) throw invalidInput("until must not be before since");

  const entries: OncallEntry[] = [];
  // The fake has no schedules, so a schedule filter matches nothing.
  if (scheduleIds.length === 0) {
    for (const policy of app.account.escalationPolicies.values()) {
      if (policyIds.length > 0 && !policyIds.includes(policy.id)) continue;
      policy.rules.forEach((rule, index) => {
        for (const userId of rule.userIds) {
          if (userIds.length > 0 && !userIds.includes(userId)) continue;
          entries.push({ policyId: policy.id, level: index + 1, userId });
        }
      });
    }
  }
  // Every entry is already the only (and so the earliest) one for its policy, level and user, so
  // `earliest=true` changes nothing here.

  return {
    status: 200,
    body: pageBody("oncalls", paginate(entries, page), (entry) => {
      const policy = app.account.escalationPolicies.get(entry.policyId);
      const user = app.account.users.get(entry.userId);
      return {
        escalation_policy: include.has("escalation_policies") && policy ? app.render.escalationPolicy(policy) : app.render.escalationPolicyReference(entry.policyId),
        escalation_level: entry.level,
        schedule: null,
        user: include.has("users") && user ? app.render.user(user) : app.render.userReference(entry.userId),
        start: null,
        end: null,
      };
    }),
  };
}

const workflowInstanceBody = z.object({
  incident_workflow_instance: z.object({
    incident: z.object({ id: z.string().min(1), type: z.literal("incident_reference") }),
  }),
});

export const directoryRoutes: RestRoute[] = [
  { method: "GET", path: "/services", handle: listServices },
  {
    method: "GET",
    path: "/services/:id",
    handle: (call) => ({ status: 200, body: { service: call.app.render.service(requireParam(call.app.account.services, call, "Service"), includesOf(call.query)) } }),
  },
  { method: "GET", path: "/users", handle: listUsers },
  {
    method: "GET",
    path: "/users/me",
    handle() {
      // NOTE: the wording of this refusal is the fake's own; PagerDuty documents only that
      // /users/me does not work with account-level API keys.
      throw invalidInput("GET /users/me needs a user-level API token; account-level API keys have no current user");
    },
  },
  {
    method: "GET",
    path: "/users/:id",
    handle: (call) => ({ status: 200, body: { user: call.app.render.user(requireParam(call.app.account.users, call, "User"), includesOf(call.query)) } }),
  },
  { method: "GET", path: "/escalation_policies", handle: listEscalationPolicies },
  {
    method: "GET",
    path: "/escalation_policies/:id",
    handle: (call) => ({
      status: 200,
      body: { escalation_policy: call.app.render.escalationPolicy(requireParam(call.app.account.escalationPolicies, call, "Escalation policy"), includesOf(call.query)) },
    }),
  },
  {
    method: "GET",
    path: "/teams",
    handle(call) {
      const page = parsePageRequest(call.query);
      const teams = sortByName([...call.app.account.teams.values()].filter((team) => matchesQuery(call.query.get("query"), team.name)));
      return { status: 200, body: pageBody("teams", paginate(teams, page), (team) => call.app.render.team(team)) };
    },
  },
  {
    method: "GET",
    path: "/teams/:id",
    handle: (call) => ({ status: 200, body: { team: call.app.render.team(requireParam(call.app.account.teams, call, "Team")) } }),
  },
  {
    method: "GET",
    path: "/priorities",
    handle(call) {
      const page = parsePageRequest(call.query);
      const priorities = [...call.app.account.priorities.values()].sort((a, b) => b.order - a.order);
      return { status: 200, body: pageBody("priorities", paginate(priorities, page), (priority) => call.app.render.priority(priority)) };
    },
  },
  { method: "GET", path: "/oncalls", handle: listOncalls },
  {
    method: "GET",
    path: "/incident_workflows",
    handle(call) {
      const page = parsePageRequest(call.query);
      const workflows = sortByName([...call.app.account.workflows.values()].filter((workflow) => matchesQuery(call.query.get("query"), workflow.name)));
      return { status: 200, body: pageBody("incident_workflows", paginate(workflows, page), (workflow) => call.app.render.workflow(workflow)) };
    },
  },
  {
    method: "GET",
    path: "/incident_workflows/:id",
    handle: (call) => ({ status: 200, body: { incident_workflow: call.app.render.workflow(requireParam(call.app.account.workflows, call, "Incident workflow")) } }),
  },
  {
    method: "POST",
    path: "/incident_workflows/:id/instances",
    handle(call) {
      const workflow = requireParam(call.app.account.workflows, call, "Incident workflow");
      const { incident_workflow_instance: fields } = parseBody(workflowInstanceBody, call.body);
      const incident = call.app.account.findIncident(fields.incident.id);
      if (!incident) throw invalidInput(`Incident "${fields.incident.id}" not found`);
      const instance = { id: newObjectId(), workflowId: workflow.id, incidentId: incident.id, createdAt: call.app.now() };
      call.app.account.workflowInstances.push(instance);
      return { status: 201, body: { incident_workflow_instance: call.app.render.workflowInstance(instance) } };
    },
  },
];
