import { randomBytes } from "node:crypto";
import { z } from "zod";
import { invalidInput, notFound } from "./errors";
import { pageBody, paginate, parsePageRequest } from "./http";
import { parseBody, type RestCall, type RestRoute } from "./routes";
import { newObjectId, type FakeAccount, type SubscriptionFilter, type WebhookSubscriptionRecord } from "./state";
import { isLoopbackUrl } from "./webhooks";

// REST routes under /webhook_subscriptions: the V3 webhook subscriptions API.

/** Event types that PagerDuty's V3 webhooks document; a subscription may name any of them. */
export const KNOWN_EVENT_TYPES = new Set([
  "incident.acknowledged",
  "incident.action_invocation.created",
  "incident.action_invocation.terminated",
  "incident.action_invocation.updated",
  "incident.annotated",
  "incident.conference_bridge.updated",
  "incident.custom_field_values.updated",
  "incident.delegated",
  "incident.escalated",
  "incident.incident_type.changed",
  "incident.priority_updated",
  "incident.reassigned",
  "incident.reopened",
  "incident.resolved",
  "incident.responder.added",
  "incident.responder.replied",
  "incident.role.assigned",
  "incident.service_updated",
  "incident.status_update_published",
  "incident.task.completed",
  "incident.task.created",
  "incident.task.updated",
  "incident.triggered",
  "incident.unacknowledged",
  "incident.workflow.completed",
  "incident.workflow.started",
  "service.created",
  "service.custom_field_values.updated",
  "service.deleted",
  "service.updated",
]);

const filterSchema = z.object({
  type: z.enum(["account_reference", "service_reference", "team_reference"]),
  id: z.string().min(1).optional(),
});

const eventsSchema = z.array(z.string().min(1)).min(1);

const createSubscriptionBody = z.object({
  webhook_subscription: z.object({
    type: z.literal("webhook_subscription"),
    delivery_method: z.object({
      type: z.literal("http_delivery_method"),
      url: z.string().min(1),
      custom_headers: z.array(z.object({ name: z.string().min(1), value: z.string() })).optional(),
    }),
    events: eventsSchema,
    filter: filterSchema,
    description: z.string().optional(),
    active: z.boolean().optional(),
  }),
});

const updateSubscriptionBody = z.object({
  webhook_subscription: z.object({
    description: z.string().optional(),
    events: eventsSchema.optional(),
    filter: filterSchema.optional(),
    active: z.boolean().optional(),
  }),
});

function toFilter(account: FakeAccount, filter: z.infer<typeof filterSchema>): SubscriptionFilter {
  if (filter.type === "account_reference") return { type: "account_reference" };
  if (!filter.id) throw invalidInput(`filter.id is required when filter.type is ${filter.type}`);
  if (filter.type === "service_reference") {
    if (!account.services.has(filter.id)) throw invalidInput(`filter.id: no service has the ID "${filter.id}"`);
    return { type: "service_reference", id: filter.id };
  }
  if (!account.teams.has(filter.id)) throw invalidInput(`filter.id: no team has the ID "${filter.id}"`);
  return { type: "team_reference", id: filter.id };
}

function checkEvents(events: string[]): string[] {
  const unknown = events.filter((event) => !KNOWN_EVENT_TYPES.has(event));
  if (unknown.length > 0) throw invalidInput(`events: unknown event types ${unknown.map((event) => `"${event}"`).join(", ")}`);
  if (new Set(events).size !== events.length) throw invalidInput("events: each event type may appear only once");
  return [...events];
}

function requireSubscription(call: RestCall): WebhookSubscriptionRecord {
  const subscription = call.app.account.subscriptions.get(call.params.id ?? "");
  if (!subscription) throw notFound(`Webhook subscription "${call.params.id}" not found`);
  return subscription;
}

export const webhookSubscriptionRoutes: RestRoute[] = [
  {
    method: "POST",
    path: "/webhook_subscriptions",
    handle(call) {
      const { webhook_subscription: fields } = parseBody(createSubscriptionBody, call.body);
      const url = fields.delivery_method.url;
      if (!URL.canParse(url)) throw invalidInput(`delivery_method.url: "${url}" is not a URL`);
      if (!call.app.config.allowNonLoopbackWebhooks && !isLoopbackUrl(url)) {
        throw invalidInput(`delivery_method.url: the sandbox sends webhooks only to localhost or 127.0.0.1; got "${url}"`);
      }
      const subscription: WebhookSubscriptionRecord = {
        id: newObjectId(),
        deliveryMethodId: newObjectId(),
        description: fields.description ?? "",
        url,
        customHeaders: fields.delivery_method.custom_headers ?? [],
        events: checkEvents(fields.events),
        filter: toFilter(call.app.account, fields.filter),
        active: fields.active ?? true,
        secret: randomBytes(48).toString("base64url"),
        temporarilyDisabled: false,
        consecutiveDrops: 0,
      };
      call.app.account.subscriptions.set(subscription.id, subscription);
      // The secret is returned here and never again, as in PagerDuty.
      return { status: 200, body: { webhook_subscription: call.app.render.subscription(subscription, { revealSecret: true }) } };
    },
  },
  {
    method: "GET",
    path: "/webhook_subscriptions",
    handle(call) {
      const page = parsePageRequest(call.query);
      const filterType = call.query.get("filter_type");
      const filterId = call.query.get("filter_id");
      if (filterType !== undefined && !["account", "service", "team"].includes(filterType)) {
        throw invalidInput(`filter_type must be account, service or team; got "${filterType}"`);
      }
      const subscriptions = [...call.app.account.subscriptions.values()].filter((subscription) => {
        if (filterType !== undefined && subscription.filter.type !== `${filterType}_reference`) return false;
        if (filterId !== undefined && (subscription.filter.type === "account_reference" || subscription.filter.id !== filterId)) return false;
        return true;
      });
      return {
        status: 200,
        body: pageBody("webhook_subscriptions", paginate(subscriptions, page), (subscription) => call.app.render.subscription(subscription, { revealSecret: false })),
      };
    },
  },
  {
    method: "GET",
    path: "/webhook_subscriptions/:id",
    handle: (call) => ({ status: 200, body: { webhook_subscription: call.app.render.subscription(requireSubscription(call), { revealSecret: false }) } }),
  },
  {
    method: "PUT",
    path: "/webhook_subscriptions/:id",
    handle(call) {
      const subscription = requireSubscription(call);
      const { webhook_subscription: fields } = parseBody(updateSubscriptionBody, call.body);
      // Everything is validated before anything changes.
      const events = fields.events === undefined ? undefined : checkEvents(fields.events);
      const filter = fields.filter === undefined ? undefined : toFilter(call.app.account, fields.filter);
      if (fields.description !== undefined) subscription.description = fields.description;
      if (events !== undefined) subscription.events = events;
      if (filter !== undefined) subscription.filter = filter;
      if (fields.active !== undefined) subscription.active = fields.active;
      return { status: 200, body: { webhook_subscription: call.app.render.subscription(subscription, { revealSecret: false }) } };
    },
  },
  {
    method: "DELETE",
    path: "/webhook_subscriptions/:id",
    handle(call) {
      const subscription = requireSubscription(call);
      call.app.account.subscriptions.delete(subscription.id);
      return { status: 204 };
    },
  },
  {
    method: "POST",
    path: "/webhook_subscriptions/:id/ping",
    handle(call) {
      call.app.dispatcher.ping(requireSubscription(call));
      return { status: 202 };
    },
  },
  {
    method: "POST",
    path: "/webhook_subscriptions/:id/enable",
    handle(call) {
      const subscription = requireSubscription(call);
      subscription.temporarilyDisabled = false;
      subscription.consecutiveDrops = 0;
      return { status: 200, body: { webhook_subscription: call.app.render.subscription(subscription, { revealSecret: false }) } };
    },
  },
];
