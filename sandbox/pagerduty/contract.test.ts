import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPagerDutyContract, type PagerDutyContract } from "../contract/pagerduty-openapi";
import { ESCALATION_POLICIES, PRIORITIES, SERVICES, person } from "../seed";
import type { FakePagerDuty } from "./server";
import { SANDBOX_INCIDENT_WORKFLOWS } from "./state";
import {
  TEST_WEBHOOK_SECRET,
  incidentBody,
  restClient,
  startTestFake,
  startWebhookReceiver,
  waitFor,
  type ApiResponse,
  type WebhookReceiver,
} from "./testing";

// Checks the fake's responses against the official OpenAPI 3.0 spec of PagerDuty's REST API v2,
// and its webhooks against the official V3 webhook samples.

const owner = person("owner");
const responder = person("responder");

function readSample(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../contract/specs/pagerduty/webhooks_v3/${name}`, import.meta.url), "utf8")) as Record<string, unknown>;
}

/** Webhook fields that may be null where the official sample shows a value. */
const NULLABLE_WEBHOOK_FIELDS = new Set(["incident_key", "priority", "conference_bridge", "reopened_at", "resolve_reason", "agent", "client"]);

/**
 * Compares `actual` with an official sample: the same keys at every level, and the same JSON
 * types, except that `actual` may hold null in NULLABLE_WEBHOOK_FIELDS. Returns the differences.
 */
function compareShape(actual: unknown, sample: unknown, path = "$"): string[] {
  const key = path.split(".").at(-1) ?? "";
  if (actual === null && sample !== null) return NULLABLE_WEBHOOK_FIELDS.has(key) ? [] : [`${path} is null, the sample has ${typeof sample}`];
  if (sample === null) return [];
  if (Array.isArray(sample)) {
    if (!Array.isArray(actual)) return [`${path} is not an array`];
    return actual.length > 0 && sample.length > 0 ? compareShape(actual[0], sample[0], `${path}[0]`) : [];
  }
  if (typeof sample === "object") {
    if (typeof actual !== "object" || Array.isArray(actual)) return [`${path} is not an object`];
    const actualKeys = Object.keys(actual as object).sort();
    const sampleKeys = Object.keys(sample as object).sort();
    const problems: string[] = [];
    const missing = sampleKeys.filter((name) => !actualKeys.includes(name));
    const extra = actualKeys.filter((name) => !sampleKeys.includes(name));
    if (missing.length > 0) problems.push(`${path} lacks ${missing.join(", ")}`);
    if (extra.length > 0) problems.push(`${path} has extra ${extra.join(", ")}`);
    for (const name of sampleKeys.filter((candidate) => actualKeys.includes(candidate))) {
      problems.push(...compareShape((actual as Record<string, unknown>)[name], (sample as Record<string, unknown>)[name], `${path}.${name}`));
    }
    return problems;
  }
  return typeof actual === typeof sample ? [] : [`${path} is ${typeof actual}, the sample has ${typeof sample}`];
}

describe("fake PagerDuty against the official OpenAPI spec", () => {
  let contract: PagerDutyContract;
  let fake: FakePagerDuty;
  let receiver: WebhookReceiver;
  let api: ReturnType<typeof restClient>;
  let incidentId: string;

  const expectConforms = (method: string, pathTemplate: string, response: ApiResponse) => {
    expect(contract.validateResponse(method, pathTemplate, response.status, response.body)).toEqual([]);
  };

  beforeAll(async () => {
    contract = loadPagerDutyContract();
    receiver = await startWebhookReceiver();
    fake = await startTestFake({ webhookUrl: receiver.url, webhookSecret: TEST_WEBHOOK_SECRET });
    api = restClient(fake.url);
    const created = await api("POST", "/incidents", { body: incidentBody(SERVICES.checkout.id, "Contract incident"), from: responder.email });
    incidentId = created.body.incident.id as string;
  });

  afterAll(async () => {
    await fake.close();
    await receiver.close();
  });

  describe("incidents", () => {
    it("POST /incidents", async () => {
      const response = await api("POST", "/incidents", {
        body: incidentBody(SERVICES.platform.id, "Created for the contract", {
          urgency: "low",
          priority: { id: PRIORITIES[1].id, type: "priority_reference" },
          body: { type: "incident_body", details: "Details" },
        }),
        from: owner.email,
      });
      expect(response.status).toBe(201);
      expectConforms("POST", "/incidents", response);
    });

    it("GET /incidents", async () => {
      const response = await api("GET", "/incidents?total=true");
      expect(response.body.incidents.length).toBeGreaterThan(0);
      expectConforms("GET", "/incidents", response);
    });

    it("GET /incidents/{id}", async () => {
      const response = await api("GET", `/incidents/${incidentId}`);
      expectConforms("GET", "/incidents/{id}", response);
    });

    it("PUT /incidents/{id} through its statuses", async () => {
      for (const incident of [
        { status: "acknowledged" },
        { escalation_level: 2 },
        { escalation_policy: { id: ESCALATION_POLICIES.platform.id, type: "escalation_policy_reference" } },
        { status: "resolved", resolution: "Fixed" },
        { status: "acknowledged" },
      ]) {
        const response = await api("PUT", `/incidents/${incidentId}`, { body: { incident: { type: "incident_reference", ...incident } }, from: owner.email });
        expect(response.status).toBe(200);
        expectConforms("PUT", "/incidents/{id}", response);
      }
    });

    it("PUT /incidents", async () => {
      const response = await api("PUT", "/incidents", { body: { incidents: [{ id: incidentId, type: "incident_reference", status: "resolved" }] }, from: owner.email });
      expect(response.status).toBe(200);
      expectConforms("PUT", "/incidents", response);
    });

    it("POST and GET /incidents/{id}/notes", async () => {
      const created = await api("POST", `/incidents/${incidentId}/notes`, { body: { note: { content: "Contract note" } }, from: owner.email });
      expect(created.status).toBe(200);
      expectConforms("POST", "/incidents/{id}/notes", created);
      expectConforms("GET", "/incidents/{id}/notes", await api("GET", `/incidents/${incidentId}/notes`));
    });
  });

  describe("directory", () => {
    it.each([
      ["/services", "/services"],
      [`/services/${SERVICES.checkout.id}`, "/services/{id}"],
      ["/users", "/users"],
      [`/users/${owner.pagerdutyUserId}`, "/users/{id}"],
      ["/escalation_policies", "/escalation_policies"],
      [`/escalation_policies/${ESCALATION_POLICIES.checkout.id}`, "/escalation_policies/{id}"],
      ["/teams", "/teams"],
      ["/priorities", "/priorities"],
      ["/oncalls", "/oncalls"],
      ["/incident_workflows", "/incident_workflows"],
    ])("GET %s", async (path, template) => {
      const response = await api("GET", path);
      expect(response.status).toBe(200);
      expectConforms("GET", template, response);
    });

    it("POST /incident_workflows/{id}/instances", async () => {
      const response = await api("POST", `/incident_workflows/${SANDBOX_INCIDENT_WORKFLOWS[0].id}/instances`, {
        body: { incident_workflow_instance: { incident: { id: incidentId, type: "incident_reference" } } },
      });
      expect(response.status).toBe(201);
      expectConforms("POST", "/incident_workflows/{id}/instances", response);
    });
  });

  describe("webhook subscriptions", () => {
    it("POST, GET and list", async () => {
      const created = await api("POST", "/webhook_subscriptions", {
        body: {
          webhook_subscription: {
            type: "webhook_subscription",
            delivery_method: { type: "http_delivery_method", url: receiver.url, custom_headers: [{ name: "X-Sandbox", value: "yes" }] },
            events: ["incident.triggered", "incident.resolved"],
            filter: { type: "team_reference", id: "P0TEAMPAY" },
            description: "Contract subscription",
          },
        },
      });
      expect(created.status).toBe(200);
      expectConforms("POST", "/webhook_subscriptions", created);
      expectConforms("GET", "/webhook_subscriptions/{id}", await api("GET", `/webhook_subscriptions/${created.body.webhook_subscription.id}`));
      expectConforms("GET", "/webhook_subscriptions", await api("GET", "/webhook_subscriptions"));
    });
  });

  describe("error bodies", () => {
    it("401 for a wrong token", async () => {
      const response = await restClient(fake.url, "wrong-token")("GET", "/incidents");
      expect(response.status).toBe(401);
      expectConforms("GET", "/incidents", response);
    });

    it("400 for a missing From header", async () => {
      const response = await api("POST", "/incidents", { body: incidentBody(SERVICES.checkout.id, "No From") });
      expect(response.status).toBe(400);
      expectConforms("POST", "/incidents", response);
    });

    it("403 for an observer", async () => {
      const response = await api("POST", "/incidents", { body: incidentBody(SERVICES.checkout.id, "Observer"), from: person("observer").email });
      expect(response.status).toBe(403);
      expectConforms("POST", "/incidents", response);
    });

    it("404 for an unknown incident", async () => {
      const response = await api("GET", "/incidents/QDOESNOTEXIST00");
      expect(response.status).toBe(404);
      expectConforms("GET", "/incidents/{id}", response);
    });

    it("429 when rate-limited", async () => {
      await fetch(`${fake.url}/_sandbox/rate-limit`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ times: 1 }) });
      const response = await api("GET", "/incidents");
      expect(response.status).toBe(429);
      expectConforms("GET", "/incidents", response);
    });
  });

  describe("validator", () => {
    it("rejects a response that breaks the spec", () => {
      const broken = { incident: { id: "Q1", type: "incident", status: "on fire", incident_number: "one" } };
      expect(contract.validateResponse("GET", "/incidents/{id}", 200, broken).length).toBeGreaterThan(0);
    });

    it("follows references into nested schemas", async () => {
      const response = await api("GET", `/incidents/${incidentId}`);
      const withoutServiceId = structuredClone(response.body);
      delete withoutServiceId.incident.service.id;
      const problems = contract.validateResponse("GET", "/incidents/{id}", 200, withoutServiceId);
      expect(problems.some((problem) => problem.startsWith("/incident/service"))).toBe(true);
    });
  });
});

describe("fake PagerDuty webhooks against the official samples", () => {
  it("matches the envelope and the incident and note data types", async () => {
    const receiver = await startWebhookReceiver();
    const fake = await startTestFake({ webhookUrl: receiver.url, webhookSecret: TEST_WEBHOOK_SECRET });
    try {
      const api = restClient(fake.url);
      const created = await api("POST", "/incidents", { body: incidentBody(SERVICES.checkout.id, "Shaped like the docs"), from: responder.email });
      const id = created.body.incident.id as string;
      await api("PUT", `/incidents/${id}`, { body: { incident: { type: "incident_reference", priority: { id: PRIORITIES[0].id, type: "priority_reference" } } }, from: owner.email });
      await api("POST", `/incidents/${id}/notes`, { body: { note: { content: "Shaped note" } }, from: owner.email });
      await waitFor("three webhooks", () => (receiver.received.length >= 3 ? true : undefined));

      const [triggered, priorityUpdated, annotated] = receiver.received.map((webhook) => webhook.body);
      const envelopeSample = readSample("webhook_v3_incident.priority_updated.json") as { event: Record<string, unknown> };
      const { data: _sampleData, ...sampleEvent } = envelopeSample.event;

      for (const webhook of [triggered, priorityUpdated, annotated]) {
        const { data: _data, ...event } = webhook?.event ?? {};
        expect(compareShape(event, sampleEvent)).toEqual([]);
      }
      expect(priorityUpdated?.event.event_type).toBe("incident.priority_updated");
      expect(compareShape(triggered?.event.data, readSample("event_data_incident.json"))).toEqual([]);
      expect(compareShape(priorityUpdated?.event.data, readSample("event_data_incident.json"))).toEqual([]);
      expect(compareShape(annotated?.event.data, readSample("event_data_incident_note.json"))).toEqual([]);
    } finally {
      await fake.close();
      await receiver.close();
    }
  });

  it("shape comparison reports a missing field", () => {
    const sample = readSample("event_data_incident_note.json");
    const { content: _content, ...withoutContent } = sample;
    expect(compareShape(withoutContent, sample)).toEqual(["$ lacks content"]);
  });
});
