import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { person } from "../seed";
import type { FakePagerDutyApp } from "./app";
import { FakeApiError, invalidInput, notFound, requesterNotFound } from "./errors";
import { mediaType, readBody, redirect, sendJson } from "./http";
import { addIncidentNote, unacknowledgeIncident, updateIncident, type Actor, type IncidentChange } from "./incidents";
import { createIncidentFromBody } from "./rest-incidents";
import { putSchedule, scheduleBody } from "./rest-schedules";
import { matchRoute, parseBody, type RestResult } from "./routes";

// The control API under /_sandbox/: JSON endpoints for tests and demos, also used by the forms
// of the sandbox page. It needs no authentication and exists only in the sandbox.

interface ControlCall {
  app: FakePagerDutyApp;
  params: Record<string, string>;
  url: URL;
  body: Record<string, unknown>;
  /** "web" for page forms, whose webhooks carry client "PagerDuty"; "api" for JSON calls. */
  channel: Actor["channel"];
}

interface ControlRoute {
  method: "GET" | "POST" | "DELETE";
  path: string;
  handle(call: ControlCall): RestResult;
}

const actingUserFields = { fromEmail: z.string().trim().min(1).optional() };

const triggerBody = z.object({
  serviceId: z.string().min(1),
  title: z.string().trim().min(1),
  urgency: z.enum(["high", "low"]).optional(),
  description: z.string().optional(),
  incidentKey: z.string().min(1).optional(),
  priorityId: z.string().min(1).optional(),
  ...actingUserFields,
});

const rateLimitBody = z.object({
  times: z.coerce.number().int().min(0),
  resetSeconds: z.coerce.number().int().min(1).optional(),
});

/** Returns the acting user: the one named by fromEmail, or the account owner when none is given. */
function actorOf(call: ControlCall): Actor {
  const email = typeof call.body.fromEmail === "string" && call.body.fromEmail.trim() !== "" ? call.body.fromEmail.trim() : person("owner").email;
  const user = call.app.account.findUserByEmail(email);
  if (!user) throw requesterNotFound(email);
  return { user, channel: call.channel };
}

function changeIncident(call: ControlCall, change: IncidentChange): RestResult {
  const incident = updateIncident(call.app.incidentContext(), { actor: actorOf(call), incidentId: call.params.id ?? "", change });
  return { status: 200, body: { incident: call.app.render.incident(incident) } };
}

const CONTROL_ROUTES: ControlRoute[] = [
  {
    method: "GET",
    path: "/_sandbox/requests",
    handle({ app, url }) {
      const method = url.searchParams.get("method")?.toUpperCase();
      const pathPrefix = url.searchParams.get("path");
      const requests = app.requests.filter((request) => (!method || request.method === method) && (!pathPrefix || request.path.startsWith(pathPrefix)));
      return { status: 200, body: { requests } };
    },
  },
  {
    method: "DELETE",
    path: "/_sandbox/requests",
    handle({ app }) {
      app.requests.length = 0;
      return { status: 204 };
    },
  },
  {
    method: "GET",
    path: "/_sandbox/webhook-deliveries",
    handle({ app, url }) {
      const eventType = url.searchParams.get("eventType");
      const incidentId = url.searchParams.get("incidentId");
      const deliveries = app.dispatcher.attempts.filter(
        (attempt) => (!eventType || attempt.eventType === eventType) && (!incidentId || attempt.incidentId === incidentId),
      );
      return { status: 200, body: { deliveries } };
    },
  },
  {
    method: "DELETE",
    path: "/_sandbox/webhook-deliveries",
    handle({ app }) {
      app.dispatcher.attempts.length = 0;
      return { status: 204 };
    },
  },
  {
    method: "POST",
    path: "/_sandbox/rate-limit",
    handle({ app, body }) {
      const { times, resetSeconds } = parseBody(rateLimitBody, body);
      app.forcedRateLimits = times;
      if (resetSeconds !== undefined) app.rateLimitResetSeconds = resetSeconds;
      return { status: 200, body: { times, resetSeconds: app.rateLimitResetSeconds } };
    },
  },
  {
    method: "POST",
    path: "/_sandbox/trigger",
    handle(call) {
      const input = parseBody(triggerBody, call.body);
      const incident = createIncidentFromBody(call, actorOf(call), {
        incident: {
          type: "incident",
          title: input.title,
          service: { id: input.serviceId, type: "service_reference" },
          ...(input.urgency ? { urgency: input.urgency } : {}),
          ...(input.description ? { body: { type: "incident_body", details: input.description } } : {}),
          ...(input.incidentKey ? { incident_key: input.incidentKey } : {}),
          ...(input.priorityId ? { priority: { id: input.priorityId, type: "priority_reference" } } : {}),
        },
      });
      return { status: 201, body: { incident: call.app.render.incident(incident) } };
    },
  },
  {
    method: "POST",
    path: "/_sandbox/schedules",
    handle({ app, body }) {
      const schedule = putSchedule(app.account, parseBody(scheduleBody, body));
      return { status: 201, body: { schedule: { id: schedule.id, name: schedule.name } } };
    },
  },
  {
    method: "POST",
    path: "/_sandbox/reset",
    handle({ app }) {
      app.reset();
      return { status: 204 };
    },
  },
  {
    method: "GET",
    path: "/_sandbox/incidents",
    handle({ app }) {
      return { status: 200, body: { incidents: [...app.account.incidents.values()].map((incident) => app.render.incident(incident)) } };
    },
  },
  {
    method: "POST",
    path: "/_sandbox/incidents/:id/acknowledge",
    handle: (call) => changeIncident(call, { status: "acknowledged" }),
  },
  {
    method: "POST",
    path: "/_sandbox/incidents/:id/resolve",
    handle(call) {
      const resolution = typeof call.body.resolution === "string" && call.body.resolution.trim() !== "" ? call.body.resolution : undefined;
      return changeIncident(call, { status: "resolved", resolution });
    },
  },
  {
    method: "POST",
    path: "/_sandbox/incidents/:id/reopen",
    handle: (call) => changeIncident(call, { status: "triggered" }),
  },
  {
    method: "POST",
    path: "/_sandbox/incidents/:id/escalate",
    handle(call) {
      const { escalationLevel } = parseBody(z.object({ escalationLevel: z.coerce.number().int() }), call.body);
      return changeIncident(call, { escalationLevel });
    },
  },
  {
    method: "POST",
    path: "/_sandbox/incidents/:id/priority",
    handle(call) {
      // "none" removes the priority.
      const { priorityId } = parseBody(z.object({ priorityId: z.string().min(1) }), call.body);
      return changeIncident(call, { priority: priorityId === "none" ? null : { id: priorityId } });
    },
  },
  {
    method: "POST",
    path: "/_sandbox/incidents/:id/notes",
    handle(call) {
      const { content } = parseBody(z.object({ content: z.string().trim().min(1) }), call.body);
      const note = addIncidentNote(call.app.incidentContext(), { actor: actorOf(call), incidentId: call.params.id ?? "", content });
      return { status: 200, body: { note: call.app.render.note(note) } };
    },
  },
  {
    method: "POST",
    path: "/_sandbox/incidents/:id/unacknowledge",
    handle(call) {
      const incident = unacknowledgeIncident(call.app.incidentContext(), { incidentId: call.params.id ?? "" });
      return { status: 200, body: { incident: call.app.render.incident(incident) } };
    },
  },
  {
    method: "POST",
    path: "/_sandbox/webhook-subscriptions/:id/enable",
    handle({ app, params }) {
      const subscription = app.account.subscriptions.get(params.id ?? "");
      if (!subscription) throw notFound(`Webhook subscription "${params.id}" not found`);
      subscription.temporarilyDisabled = false;
      subscription.consecutiveDrops = 0;
      return { status: 200, body: { webhook_subscription: app.render.subscription(subscription, { revealSecret: false }) } };
    },
  },
];

/**
 * Serves one /_sandbox/ request. A form post from the sandbox page gets a redirect back to the
 * page, which then shows a notice or an error. A JSON call gets JSON.
 */
export async function serveControl(app: FakePagerDutyApp, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const isForm = mediaType(request) === "application/x-www-form-urlencoded";
  let formFields: Record<string, string> = {};
  try {
    const raw = (await readBody(request)).toString("utf8");
    // Empty form fields count as not given, so optional inputs left blank are simply omitted.
    if (isForm) formFields = Object.fromEntries([...new URLSearchParams(raw)].filter(([, value]) => value !== ""));
    const body = isForm ? formFields : parseJsonObject(raw);
    const matched = matchRoute(CONTROL_ROUTES, request.method ?? "GET", url.pathname);
    if (!matched) throw notFound(`The control API has no ${request.method} ${url.pathname}`);
    const result = matched.route.handle({ app, params: matched.params, url, body, channel: isForm ? "web" : "api" });
    if (isForm) redirect(response, pageLocation(formFields, "notice", describeResult(result)));
    else sendJson(response, result.status, result.body);
  } catch (error) {
    if (!(error instanceof FakeApiError)) {
      app.config.logger.error({ err: error, method: request.method, path: url.pathname }, "fake PagerDuty control API failed");
    }
    const failure = error instanceof FakeApiError ? error : new FakeApiError(500, 2000, "An internal error has occurred", []);
    if (isForm) redirect(response, pageLocation(formFields, "error", [failure.message, ...failure.errors].join(": ")));
    else sendJson(response, failure.status, failure.toBody());
  }
}

function parseJsonObject(raw: string): Record<string, unknown> {
  if (raw.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw invalidInput("The request body is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalidInput("The request body must be a JSON object");
  return value as Record<string, unknown>;
}

function describeResult(result: RestResult): string {
  const body = result.body as { incident?: { incident_number?: number; status?: string }; note?: unknown } | undefined;
  if (body?.note) return "Note added.";
  if (body?.incident) return `Incident #${body.incident.incident_number} is ${body.incident.status}.`;
  return "Done.";
}

/**
 * The same-site page to return to after a form post, with a message to show and the acting user
 * preselected again.
 */
function pageLocation(formFields: Record<string, string>, kind: "notice" | "error", message: string): string {
  const returnTo = formFields.returnTo;
  const path = returnTo && returnTo.startsWith("/") && !returnTo.startsWith("//") ? returnTo : "/";
  const target = new URL(path, "http://sandbox.invalid");
  target.searchParams.set(kind, message);
  if (formFields.fromEmail) target.searchParams.set("as", formFields.fromEmail);
  return `${target.pathname}${target.search}`;
}
