import { randomUUID } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { signPagerDutyBody } from "../../lib/pagerduty/verify-signature";
import { signSlackRequest } from "../../lib/slack/verify-signature";

export const env = {
  get appUrl() {
    return inject("appUrl");
  },
  get slackUrl() {
    return inject("slackUrl");
  },
  get pagerdutyUrl() {
    return inject("pagerdutyUrl");
  },
};

let pool: pg.Pool | undefined;

/** Runs SQL against the app's database, to check what was stored. */
export async function sql<T extends pg.QueryResultRow = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  pool ??= new pg.Pool({ connectionString: inject("databaseUrl"), max: 2 });
  const result = await pool.query<T>(text, values);
  return result.rows;
}

/** POSTs a PagerDuty webhook body to the app, signed as PagerDuty signs it unless told otherwise. */
export async function postWebhook(body: string, options: { signature?: string; webhookId?: string } = {}): Promise<Response> {
  const signature = options.signature ?? `v1=${signPagerDutyBody(inject("pagerdutyWebhookSecret"), body)}`;
  return fetch(`${env.appUrl}/api/pagerduty/webhooks`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "User-Agent": "PagerDuty-Webhook/V3.0",
      "X-Webhook-Id": options.webhookId ?? randomUUID(),
      "X-PagerDuty-Signature": signature,
    },
    body,
  });
}

/** POSTs a Slack interaction payload (form field `payload`) to the app, signed as Slack signs it. */
export async function postInteraction(payload: object, options: { timestamp?: number; signature?: string } = {}): Promise<Response> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  return fetch(`${env.appUrl}/api/slack/interactions`, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      "X-Slack-Request-Timestamp": timestamp,
      "X-Slack-Signature": options.signature ?? signSlackRequest(inject("slackSigningSecret"), timestamp, body),
    },
    body,
  });
}

/** Polls `check` until it returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

export async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init?.method ?? "GET"} ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** A V3 webhook envelope for an incident event, in the shape of PagerDuty's official sample. */
export function incidentEnvelope(input: {
  eventType: string;
  incidentId: string;
  number?: number;
  status: "triggered" | "acknowledged" | "resolved";
  occurredAt: Date;
  title?: string;
  serviceId?: string;
  serviceName?: string;
  assignees?: { id: string; summary: string }[];
  agent?: { id: string; summary: string } | null;
  eventId?: string;
}) {
  const base = "https://acme.pagerduty.com";
  const reference = (type: string, id: string, summary: string, kind: string) => ({
    html_url: `${base}/${kind}/${id}`,
    id,
    self: `https://api.pagerduty.com/${kind}/${id}`,
    summary,
    type,
  });
  return {
    event: {
      id: input.eventId ?? randomUUID(),
      event_type: input.eventType,
      resource_type: "incident",
      occurred_at: input.occurredAt.toISOString(),
      agent: input.agent === undefined ? null : input.agent && reference("user_reference", input.agent.id, input.agent.summary, "users"),
      client: null,
      data: {
        id: input.incidentId,
        type: "incident",
        self: `https://api.pagerduty.com/incidents/${input.incidentId}`,
        html_url: `${base}/incidents/${input.incidentId}`,
        number: input.number ?? Math.floor(Math.random() * 100_000),
        status: input.status,
        incident_key: null,
        created_at: "2026-12-01T10:00:00Z",
        title: input.title ?? `Integration incident ${input.incidentId}`,
        service: reference("service_reference", input.serviceId ?? "P0SVCCHK", input.serviceName ?? "Checkout API", "services"),
        assignees: (input.assignees ?? [{ id: "P0ROSA1", summary: "Rosa Responder" }]).map((assignee) => reference("user_reference", assignee.id, assignee.summary, "users")),
        escalation_policy: reference("escalation_policy_reference", "P0EPCHK", "Checkout On-Call", "escalation_policies"),
        teams: [reference("team_reference", "P0TEAMPAY", "Payments", "teams")],
        priority: null,
        urgency: "high",
        conference_bridge: null,
        resolve_reason: null,
      },
    },
  };
}

export function uniqueIncidentId(): string {
  return `PIT${randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}`;
}
