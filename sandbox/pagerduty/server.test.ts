import { createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ESCALATION_POLICIES, PRIORITIES, SERVICES, person } from "../seed";
import type { FakePagerDuty } from "./server";
import { SEEDED_SUBSCRIPTION_ID } from "./state";
import {
  TEST_WEBHOOK_SECRET,
  incidentBody,
  restClient,
  startTestFake,
  startWebhookReceiver,
  waitFor,
  type ReceivedWebhook,
  type WebhookReceiver,
} from "./testing";

const owner = person("owner");
const responder = person("responder");
const limited = person("limited");
const restricted = person("restricted");

describe("fake PagerDuty REST API", () => {
  let fake: FakePagerDuty;
  let api: ReturnType<typeof restClient>;

  beforeEach(async () => {
    fake = await startTestFake();
    api = restClient(fake.url);
  });
  afterEach(async () => {
    await fake.close();
  });

  const openIncident = async (title = "Checkout errors", from = responder.email, serviceId: string = SERVICES.checkout.id) => {
    const response = await api("POST", "/incidents", { body: incidentBody(serviceId, title), from });
    expect(response.status).toBe(201);
    return response.body.incident as { id: string; incident_number: number; status: string };
  };

  describe("authentication", () => {
    it("rejects a missing Authorization header", async () => {
      const response = await fetch(`${fake.url}/incidents`, { headers: { Accept: "application/vnd.pagerduty+json;version=2" } });
      const body = await response.json();
      expect(response.status).toBe(401);
      expect(body.error.code).toBe(2006);
      expect(body.error.message).toBe("Authentication failed");
      expect(body.error.errors).toEqual([expect.any(String)]);
    });

    it("rejects a wrong token without side effects", async () => {
      const wrong = restClient(fake.url, "not-the-token");
      const response = await wrong("POST", "/incidents", { body: incidentBody(SERVICES.checkout.id, "Should not exist"), from: owner.email });
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe(2006);
      const list = await api("GET", "/incidents?total=true");
      expect(list.body.total).toBe(0);
    });

    it("accepts a Bearer token", async () => {
      const response = await fetch(`${fake.url}/services`, { headers: { Authorization: "Bearer sandbox-test-token-0001" } });
      expect(response.status).toBe(200);
    });

    it("refuses /users/me for an account-level key", async () => {
      const response = await api("GET", "/users/me");
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe(2001);
    });
  });

  describe("From header", () => {
    it("is required to create an incident", async () => {
      const response = await api("POST", "/incidents", { body: incidentBody(SERVICES.checkout.id, "No From") });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(/You must specify a user's email address in the "From" header/);
      const list = await api("GET", "/incidents?total=true");
      expect(list.body.total).toBe(0);
    });

    it("must name a known user", async () => {
      const response = await api("POST", "/incidents", { body: incidentBody(SERVICES.checkout.id, "Stranger"), from: "nobody@example.com" });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe(1008);
    });

    it("is required for updates and notes", async () => {
      const incident = await openIncident();
      const update = await api("PUT", `/incidents/${incident.id}`, { body: { incident: { type: "incident_reference", status: "acknowledged" } } });
      const note = await api("POST", `/incidents/${incident.id}/notes`, { body: { note: { content: "hi" } } });
      const bulk = await api("PUT", "/incidents", { body: { incidents: [{ id: incident.id, type: "incident_reference", status: "resolved" }] } });
      expect([update.status, note.status, bulk.status]).toEqual([400, 400, 400]);
      const after = await api("GET", `/incidents/${incident.id}`);
      expect(after.body.incident.status).toBe("triggered");
    });
  });

  describe("roles", () => {
    it.each(["observer", "readonly", "readonlyLimited"])("refuses writes by %s", async (key) => {
      const response = await api("POST", "/incidents", { body: incidentBody(SERVICES.checkout.id, "Read-only write"), from: person(key).email });
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe(2010);
      expect(response.body.error.message).toBe("Access Denied");
      const list = await api("GET", "/incidents?total=true");
      expect(list.body.total).toBe(0);
    });

    it("limits a limited user to their team's services", async () => {
      const otherTeam = await api("POST", "/incidents", { body: incidentBody(SERVICES.checkout.id, "Not my team"), from: limited.email });
      const ownTeam = await api("POST", "/incidents", { body: incidentBody(SERVICES.platform.id, "My team"), from: limited.email });
      expect(otherTeam.status).toBe(403);
      expect(otherTeam.body.error.code).toBe(2010);
      expect(ownTeam.status).toBe(201);
    });

    it("limits restricted access to their team's incidents", async () => {
      const platformIncident = await openIncident("Platform down", owner.email, SERVICES.platform.id);
      const checkoutIncident = await openIncident("Checkout down", owner.email, SERVICES.checkout.id);
      const denied = await api("PUT", `/incidents/${platformIncident.id}`, { body: { incident: { type: "incident_reference", status: "acknowledged" } }, from: restricted.email });
      const allowed = await api("PUT", `/incidents/${checkoutIncident.id}`, { body: { incident: { type: "incident_reference", status: "acknowledged" } }, from: restricted.email });
      expect(denied.status).toBe(403);
      expect(allowed.status).toBe(200);
      expect(allowed.body.incident.status).toBe("acknowledged");
    });
  });

  describe("pagination", () => {
    it("pages with limit, offset, more and total", async () => {
      for (const title of ["First", "Second", "Third"]) await openIncident(title);

      const first = await api("GET", "/incidents?limit=2");
      expect(first.body.incidents.map((incident: { title: string }) => incident.title)).toEqual(["First", "Second"]);
      expect(first.body).toMatchObject({ limit: 2, offset: 0, more: true, total: null });

      const second = await api("GET", "/incidents?limit=2&offset=2&total=true");
      expect(second.body.incidents.map((incident: { title: string }) => incident.title)).toEqual(["Third"]);
      expect(second.body).toMatchObject({ limit: 2, offset: 2, more: false, total: 3 });
    });

    it("lowers a limit above 100 to 100", async () => {
      const response = await api("GET", "/users?limit=500");
      expect(response.status).toBe(200);
      expect(response.body.limit).toBe(100);
    });

    it("rejects offset + limit above 10000", async () => {
      const tooFar = await api("GET", "/incidents?offset=9950&limit=100");
      expect(tooFar.status).toBe(400);
      expect(tooFar.body.error.code).toBe(2001);
      expect(tooFar.body.error.errors[0]).toMatch(/10000/);
      const atTheEdge = await api("GET", "/incidents?offset=9900&limit=100");
      expect(atTheEdge.status).toBe(200);
    });

    it("filters incidents by status, service and urgency", async () => {
      const acknowledged = await openIncident("Will be acknowledged");
      await openIncident("Stays triggered");
      await api("POST", "/incidents", { body: incidentBody(SERVICES.search.id, "Search is slow", { urgency: "low" }), from: owner.email });
      await api("PUT", `/incidents/${acknowledged.id}`, { body: { incident: { type: "incident_reference", status: "acknowledged" } }, from: responder.email });

      const byStatus = await api("GET", "/incidents?statuses[]=acknowledged");
      const byService = await api("GET", `/incidents?service_ids[]=${SERVICES.search.id}`);
      const byUrgency = await api("GET", "/incidents?urgencies[]=low&urgencies[]=high&sort_by=incident_number:desc");
      expect(byStatus.body.incidents.map((incident: { title: string }) => incident.title)).toEqual(["Will be acknowledged"]);
      expect(byService.body.incidents.map((incident: { title: string }) => incident.title)).toEqual(["Search is slow"]);
      expect(byUrgency.body.incidents.map((incident: { incident_number: number }) => incident.incident_number)).toEqual([3, 2, 1]);
    });
  });

  describe("errors", () => {
    it("returns 404 with code 2100 for an unknown incident", async () => {
      const response = await api("GET", "/incidents/QNOSUCHINCIDENT");
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ error: { message: "Not Found", code: 2100, errors: [expect.any(String)] } });
    });

    it("names the invalid field of a request body", async () => {
      const response = await api("POST", "/incidents", { body: { incident: { type: "incident", service: { id: SERVICES.checkout.id, type: "service_reference" } } }, from: owner.email });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe(2001);
      expect(response.body.error.errors.join(" ")).toMatch(/incident\.title/);
    });

    it("rejects a body that is not JSON", async () => {
      const response = await fetch(`${fake.url}/incidents`, {
        method: "POST",
        headers: { Authorization: "Token token=sandbox-test-token-0001", "Content-Type": "application/json", From: owner.email },
        body: "{not json",
      });
      expect(response.status).toBe(400);
    });
  });

  describe("incidents", () => {
    it("assigns a new incident to level 1 of the service's policy", async () => {
      const response = await api("POST", "/incidents", { body: incidentBody(SERVICES.checkout.id, "Card payments failing", { urgency: "low" }), from: owner.email });
      const incident = response.body.incident;
      expect(response.status).toBe(201);
      expect(incident).toMatchObject({ type: "incident", status: "triggered", urgency: "low", incident_number: 1, title: "Card payments failing" });
      expect(incident.assignments.map((assignment: { assignee: { id: string } }) => assignment.assignee.id)).toEqual([responder.pagerdutyUserId]);
      expect(incident.escalation_policy.id).toBe(ESCALATION_POLICIES.checkout.id);
      expect(incident.html_url).toBe(`${fake.url}/incidents/${incident.id}`);
      expect(incident.self).toBe(`${fake.url}/incidents/${incident.id}`);
      expect(incident.incident_key).toMatch(/^[0-9a-f]{32}$/);
    });

    it("finds an incident by number", async () => {
      const incident = await openIncident();
      const response = await api("GET", `/incidents/${incident.incident_number}`);
      expect(response.status).toBe(200);
      expect(response.body.incident.id).toBe(incident.id);
    });

    it("rejects a duplicate open incident_key", async () => {
      const body = incidentBody(SERVICES.checkout.id, "Deduplicated", { incident_key: "disk-full-db1" });
      const first = await api("POST", "/incidents", { body, from: owner.email });
      const duplicate = await api("POST", "/incidents", { body, from: owner.email });
      expect(duplicate.status).toBe(400);
      expect(duplicate.body.error.errors).toEqual(["Open incident with matching dedup key already exists on this service"]);

      await api("PUT", `/incidents/${first.body.incident.id}`, { body: { incident: { type: "incident_reference", status: "resolved" } }, from: owner.email });
      const afterResolve = await api("POST", "/incidents", { body, from: owner.email });
      expect(afterResolve.status).toBe(201);
    });

    it("acknowledges, resolves and reopens", async () => {
      const incident = await openIncident();
      const put = (status: string, from = responder.email) => api("PUT", `/incidents/${incident.id}`, { body: { incident: { type: "incident_reference", status } }, from });

      const acknowledged = await put("acknowledged");
      expect(acknowledged.status).toBe(200);
      expect(acknowledged.body.incident.status).toBe("acknowledged");
      expect(acknowledged.body.incident.acknowledgements.map((ack: { acknowledger: { id: string } }) => ack.acknowledger.id)).toEqual([responder.pagerdutyUserId]);

      const acknowledgedAgain = await put("acknowledged");
      expect(acknowledgedAgain.status).toBe(200);
      expect(acknowledgedAgain.body.incident.acknowledgements).toHaveLength(1);

      const resolved = await put("resolved");
      expect(resolved.body.incident.status).toBe("resolved");
      expect(resolved.body.incident.resolved_at).toEqual(expect.any(String));
      expect(resolved.body.incident.assignments).toEqual([]);

      const resolvedAgain = await put("resolved");
      expect(resolvedAgain.status).toBe(200);
      expect(resolvedAgain.body.incident.status).toBe("resolved");

      const reopened = await put("triggered", owner.email);
      expect(reopened.status).toBe(200);
      expect(reopened.body.incident.status).toBe("triggered");
      expect(reopened.body.incident.resolved_at).toBeNull();
      expect(reopened.body.incident.assignments.map((assignment: { assignee: { id: string } }) => assignment.assignee.id)).toEqual([responder.pagerdutyUserId]);
    });

    it("reopens as acknowledged by the acting user", async () => {
      const incident = await openIncident();
      await api("PUT", `/incidents/${incident.id}`, { body: { incident: { type: "incident_reference", status: "resolved" } }, from: responder.email });
      const reopened = await api("PUT", `/incidents/${incident.id}`, { body: { incident: { type: "incident_reference", status: "acknowledged" } }, from: owner.email });
      expect(reopened.body.incident.status).toBe("acknowledged");
      expect(reopened.body.incident.assignments.map((assignment: { assignee: { id: string } }) => assignment.assignee.id)).toEqual([owner.pagerdutyUserId]);
    });

    it("escalates within the policy's levels only", async () => {
      const incident = await openIncident();
      const escalated = await api("PUT", `/incidents/${incident.id}`, { body: { incident: { type: "incident_reference", escalation_level: 2 } }, from: owner.email });
      expect(escalated.status).toBe(200);
      expect(escalated.body.incident.assignments.map((assignment: { assignee: { id: string } }) => assignment.assignee.id)).toEqual([
        owner.pagerdutyUserId,
        person("pagerdutyOnly").pagerdutyUserId,
      ]);
      const tooHigh = await api("PUT", `/incidents/${incident.id}`, { body: { incident: { type: "incident_reference", escalation_level: 3 } }, from: owner.email });
      expect(tooHigh.status).toBe(400);
      expect(tooHigh.body.error.code).toBe(1006);
    });

    it("sets the priority by ID or name", async () => {
      const incident = await openIncident();
      const byId = await api("PUT", `/incidents/${incident.id}`, { body: { incident: { type: "incident_reference", priority: { id: PRIORITIES[0].id, type: "priority_reference" } } }, from: owner.email });
      expect(byId.body.incident.priority.id).toBe(PRIORITIES[0].id);
      const byName = await api("PUT", `/incidents/${incident.id}`, { body: { incident: { type: "incident_reference", priority: "P3" } }, from: owner.email });
      expect(byName.body.incident.priority.id).toBe(PRIORITIES[2].id);
      const unknown = await api("PUT", `/incidents/${incident.id}`, { body: { incident: { type: "incident_reference", priority: "P9" } }, from: owner.email });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.code).toBe(1020);
    });

    it("updates in bulk all or nothing", async () => {
      const first = await openIncident("First");
      const tooMany = await api("PUT", "/incidents", {
        body: { incidents: Array.from({ length: 251 }, () => ({ id: first.id, type: "incident_reference", status: "acknowledged" })) },
        from: owner.email,
      });
      expect(tooMany.status).toBe(413);

      const partlyUnknown = await api("PUT", "/incidents", {
        body: { incidents: [{ id: first.id, type: "incident_reference", status: "acknowledged" }, { id: "QUNKNOWN", type: "incident_reference", status: "acknowledged" }] },
        from: owner.email,
      });
      expect(partlyUnknown.status).toBe(404);
      expect((await api("GET", `/incidents/${first.id}`)).body.incident.status).toBe("triggered");

      const second = await openIncident("Second");
      const both = await api("PUT", "/incidents", {
        body: { incidents: [first, second].map((incident) => ({ id: incident.id, type: "incident_reference", status: "resolved" })) },
        from: owner.email,
      });
      expect(both.status).toBe(200);
      expect(both.body.incidents.map((incident: { status: string }) => incident.status)).toEqual(["resolved", "resolved"]);
    });

    it("adds and lists notes", async () => {
      const incident = await openIncident();
      const created = await api("POST", `/incidents/${incident.id}/notes`, { body: { note: { content: "Rolled back the deploy" } }, from: responder.email });
      expect(created.status).toBe(200);
      expect(created.body.note).toMatchObject({ content: "Rolled back the deploy", user: { id: responder.pagerdutyUserId, type: "user_reference" } });
      const list = await api("GET", `/incidents/${incident.id}/notes`);
      expect(list.body.notes.map((note: { content: string }) => note.content)).toEqual(["Rolled back the deploy"]);
      const empty = await api("POST", `/incidents/${incident.id}/notes`, { body: { note: { content: "  " } }, from: responder.email });
      expect(empty.status).toBe(400);
    });

    it("logs what happened to an incident", async () => {
      const incident = await openIncident();
      await api("PUT", `/incidents/${incident.id}`, { body: { incident: { type: "incident_reference", status: "resolved", resolution: "Restarted" } }, from: responder.email });
      const log = await api("GET", `/incidents/${incident.id}/log_entries`);
      expect(log.body.log_entries.map((entry: { type: string }) => entry.type)).toEqual(["trigger_log_entry", "resolve_log_entry"]);
      expect(log.body.log_entries[1].note).toBe("Restarted");
    });
  });

  describe("directory", () => {
    it("lists on-call users from the escalation policies", async () => {
      const response = await api("GET", `/oncalls?escalation_policy_ids[]=${ESCALATION_POLICIES.platform.id}`);
      const entries = response.body.oncalls.map((entry: { escalation_level: number; user: { id: string } }) => [entry.escalation_level, entry.user.id]);
      expect(entries).toEqual([
        [1, limited.pagerdutyUserId],
        [2, person("admin").pagerdutyUserId],
      ]);
      expect(response.body.oncalls[0]).toMatchObject({ start: null, end: null, schedule: null });
    });

    it("filters users by name and team", async () => {
      const byName = await api("GET", "/users?query=rosa");
      const byTeam = await api("GET", `/users?team_ids[]=P0TEAMPLT&total=true`);
      expect(byName.body.users.map((user: { email: string }) => user.email)).toEqual([responder.email]);
      expect(byTeam.body.total).toBe(3);
    });

    it("starts an incident workflow", async () => {
      const incident = await openIncident();
      const workflows = await api("GET", "/incident_workflows");
      const workflowId = workflows.body.incident_workflows[0].id as string;
      const started = await api("POST", `/incident_workflows/${workflowId}/instances`, {
        body: { incident_workflow_instance: { incident: { id: incident.id, type: "incident_reference" } } },
      });
      expect(started.status).toBe(201);
      expect(started.body.incident_workflow_instance.incident.id).toBe(incident.id);
    });
  });

  describe("control API", () => {
    it("rate-limits the next calls when told to", async () => {
      const set = await fetch(`${fake.url}/_sandbox/rate-limit`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ times: 2, resetSeconds: 3 }) });
      expect(set.status).toBe(200);

      const first = await api("GET", "/services");
      const second = await api("GET", "/services");
      const third = await api("GET", "/services");
      expect([first.status, second.status, third.status]).toEqual([429, 429, 200]);
      expect(first.body.error.code).toBe(2020);
      expect(first.headers.get("ratelimit-reset")).toBe("3");
      expect(first.headers.get("ratelimit-remaining")).toBe("0");
      expect(third.headers.get("ratelimit-limit")).toBe("960");
    });

    it("records requests with the token masked", async () => {
      await openIncident("Recorded");
      const log = await (await fetch(`${fake.url}/_sandbox/requests?method=POST`)).json();
      expect(log.requests).toHaveLength(1);
      expect(log.requests[0]).toMatchObject({ method: "POST", path: "/incidents", status: 201, body: { incident: { title: "Recorded" } } });
      expect(log.requests[0].headers.from).toBe(responder.email);
      expect(log.requests[0].headers.authorization).toBe("Token token=****0001");

      await fetch(`${fake.url}/_sandbox/requests`, { method: "DELETE" });
      const cleared = await (await fetch(`${fake.url}/_sandbox/requests`)).json();
      expect(cleared.requests).toEqual([]);
    });

    it("triggers an incident and resets to the seed", async () => {
      const triggered = await fetch(`${fake.url}/_sandbox/trigger`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ serviceId: SERVICES.platform.id, title: "Platform CPU high", urgency: "low" }),
      });
      const body = await triggered.json();
      expect(triggered.status).toBe(201);
      expect(body.incident).toMatchObject({ title: "Platform CPU high", urgency: "low", status: "triggered" });

      expect((await fetch(`${fake.url}/_sandbox/reset`, { method: "POST" })).status).toBe(204);
      const list = await api("GET", "/incidents?total=true");
      expect(list.body.total).toBe(0);
    });
  });

  describe("pages", () => {
    it("lists incidents on the home page", async () => {
      await openIncident("Visible <on> the page");
      const response = await fetch(`${fake.url}/`, { headers: { Accept: "text/html" } });
      const html = await response.text();
      expect(response.status).toBe(200);
      expect(html).toContain("Visible &lt;on&gt; the page");
      expect(html).toContain('<label for="trigger-title">Title</label>');
    });

    it("serves each incident at its html_url", async () => {
      const incident = await openIncident("Has a page");
      const response = await fetch(`${fake.url}/incidents/${incident.id}`, { headers: { Accept: "text/html" } });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/text\/html/);
      expect(await response.text()).toContain(`[#${incident.incident_number}] Has a page`);
    });

    it("acknowledges through the page form", async () => {
      const incident = await openIncident();
      const response = await fetch(`${fake.url}/_sandbox/incidents/${incident.id}/acknowledge`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ fromEmail: responder.email, returnTo: `/incidents/${incident.id}` }).toString(),
        redirect: "manual",
      });
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toMatch(new RegExp(`^/incidents/${incident.id}\\?notice=`));
      expect((await api("GET", `/incidents/${incident.id}`)).body.incident.status).toBe("acknowledged");
    });

    it("shows a refused page action as an error", async () => {
      const incident = await openIncident();
      const response = await fetch(`${fake.url}/_sandbox/incidents/${incident.id}/resolve`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ fromEmail: person("observer").email, returnTo: `/incidents/${incident.id}` }).toString(),
        redirect: "manual",
      });
      expect(response.status).toBe(303);
      const location = new URL(response.headers.get("location") ?? "", fake.url);
      expect(location.pathname).toBe(`/incidents/${incident.id}`);
      expect(location.searchParams.get("error")).toMatch(/^Access Denied: /);
      expect((await api("GET", `/incidents/${incident.id}`)).body.incident.status).toBe("triggered");
    });
  });
});

describe("fake PagerDuty webhooks", () => {
  let fake: FakePagerDuty | undefined;
  let receiver: WebhookReceiver | undefined;

  afterEach(async () => {
    await fake?.close();
    await receiver?.close();
    fake = undefined;
    receiver = undefined;
  });

  async function start(respond?: Parameters<typeof startWebhookReceiver>[0], delivery: Parameters<typeof startTestFake>[0] = {}) {
    receiver = await startWebhookReceiver(respond);
    fake = await startTestFake({ webhookUrl: receiver.url, webhookSecret: TEST_WEBHOOK_SECRET, ...delivery });
    return { fake, receiver, api: restClient(fake.url) };
  }

  const deliveriesOf = async (url: string) => (await (await fetch(`${url}/_sandbox/webhook-deliveries`)).json()).deliveries as { eventType: string; outcome: string; statusCode: number | null; attempt: number; webhookId: string }[];
  const eventTypes = (received: ReceivedWebhook[]) => received.map((webhook) => webhook.body.event.event_type);

  it("signs the raw body and sends PagerDuty's headers", async () => {
    const { api, receiver } = await start();
    const created = await api("POST", "/incidents", { body: incidentBody(SERVICES.checkout.id, "Signed"), from: responder.email });

    const webhook = await waitFor("incident.triggered webhook", () => receiver.received[0]);
    const expected = createHmac("sha256", TEST_WEBHOOK_SECRET).update(webhook.rawBody).digest("hex");
    expect(webhook.headers["x-pagerduty-signature"]).toBe(`v1=${expected}`);
    expect(webhook.headers["content-type"]).toBe("application/json");
    expect(webhook.headers["user-agent"]).toBe("PagerDuty-Webhook/V3.0");
    expect(webhook.headers["x-webhook-subscription"]).toBe(SEEDED_SUBSCRIPTION_ID);
    expect(webhook.headers["x-webhook-id"]).toMatch(/^[0-9a-f-]{36}$/);

    const { event } = webhook.body;
    expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(event.event_type).toBe("incident.triggered");
    expect(event.resource_type).toBe("incident");
    expect(event.occurred_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(event.agent).toMatchObject({ id: responder.pagerdutyUserId, type: "user_reference" });
    expect(event.client).toBeNull();
    expect(event.data).toMatchObject({ id: created.body.incident.id, type: "incident", number: 1, status: "triggered", title: "Signed" });
  });

  it("delivers an incident's events in order", async () => {
    const { api, receiver } = await start();
    const created = await api("POST", "/incidents", { body: incidentBody(SERVICES.checkout.id, "Ordered"), from: responder.email });
    const id = created.body.incident.id as string;
    const put = (incident: Record<string, unknown>) => api("PUT", `/incidents/${id}`, { body: { incident: { type: "incident_reference", ...incident } }, from: responder.email });
    await put({ status: "acknowledged" });
    await api("POST", `/incidents/${id}/notes`, { body: { note: { content: "Investigating" } }, from: responder.email });
    await put({ priority: { id: PRIORITIES[0].id, type: "priority_reference" } });
    await put({ escalation_level: 2 });
    await put({ assignments: [{ assignee: { id: owner.pagerdutyUserId, type: "user_reference" } }] });
    await put({ escalation_policy: { id: ESCALATION_POLICIES.platform.id, type: "escalation_policy_reference" } });
    await put({ status: "resolved" });
    await put({ status: "triggered" });

    const expected = [
      "incident.triggered",
      "incident.acknowledged",
      "incident.annotated",
      "incident.priority_updated",
      "incident.escalated",
      "incident.reassigned",
      "incident.delegated",
      "incident.resolved",
      "incident.reopened",
    ];
    await waitFor("nine webhooks", () => (receiver.received.length >= expected.length ? true : undefined));
    expect(eventTypes(receiver.received)).toEqual(expected);

    const note = receiver.received[2]?.body.event.data;
    expect(note).toMatchObject({ type: "incident_note", content: "Investigating", trimmed: false, incident: { id, type: "incident_reference" } });
  });

  it("retries after a 500 and holds later events back", async () => {
    const { api, receiver, fake } = await start((_webhook, index) => (index === 0 ? 500 : 200));
    const created = await api("POST", "/incidents", { body: incidentBody(SERVICES.checkout.id, "Flaky receiver"), from: responder.email });
    await api("PUT", `/incidents/${created.body.incident.id}`, { body: { incident: { type: "incident_reference", status: "acknowledged" } }, from: responder.email });

    await waitFor("three webhook requests", () => (receiver.received.length >= 3 ? true : undefined));
    expect(eventTypes(receiver.received)).toEqual(["incident.triggered", "incident.triggered", "incident.acknowledged"]);
    const [failed, retried] = receiver.received;
    expect(retried?.headers["x-webhook-id"]).toBe(failed?.headers["x-webhook-id"]);
    expect(retried?.rawBody).toBe(failed?.rawBody);

    const deliveries = await deliveriesOf(fake.url);
    expect(deliveries.map((delivery) => [delivery.eventType, delivery.attempt, delivery.statusCode, delivery.outcome])).toEqual([
      ["incident.triggered", 1, 500, "will_retry"],
      ["incident.triggered", 2, 200, "delivered"],
      ["incident.acknowledged", 1, 200, "delivered"],
    ]);
  });

  it("retries after a timeout", async () => {
    const { api, receiver } = await start(
      (_webhook, index) => (index === 0 ? new Promise((resolve) => setTimeout(() => resolve(200), 1000)) : 200),
      { webhookDelivery: { timeoutMs: 100 } },
    );
    await api("POST", "/incidents", { body: incidentBody(SERVICES.checkout.id, "Slow receiver"), from: responder.email });
    await waitFor("a second attempt", () => (receiver.received.length >= 2 ? true : undefined));
    expect(receiver.received[1]?.headers["x-webhook-id"]).toBe(receiver.received[0]?.headers["x-webhook-id"]);
  });

  it("drops a webhook answered with 400", async () => {
    const { api, receiver, fake } = await start((webhook) => (webhook.body.event.event_type === "incident.triggered" ? 400 : 200));
    const created = await api("POST", "/incidents", { body: incidentBody(SERVICES.checkout.id, "Rejected"), from: responder.email });
    await api("PUT", `/incidents/${created.body.incident.id}`, { body: { incident: { type: "incident_reference", status: "acknowledged" } }, from: responder.email });

    // The acknowledgement waits behind the triggered webhook, so once it arrives that one is settled.
    await waitFor("the acknowledged webhook", () => receiver.received.find((webhook) => webhook.body.event.event_type === "incident.acknowledged"));
    expect(eventTypes(receiver.received)).toEqual(["incident.triggered", "incident.acknowledged"]);
    const deliveries = await deliveriesOf(fake.url);
    expect(deliveries[0]).toMatchObject({ eventType: "incident.triggered", statusCode: 400, outcome: "dropped", attempt: 1 });
  });

  it("disables a subscription after repeated drops", async () => {
    const { api, receiver, fake } = await start(() => 410, { webhookDelivery: { disableAfterConsecutiveDrops: 2 } });
    for (const title of ["One", "Two", "Three"]) {
      await api("POST", "/incidents", { body: incidentBody(SERVICES.checkout.id, title), from: responder.email });
    }
    const subscription = await waitFor("the subscription to be disabled", async () => {
      const response = await api("GET", `/webhook_subscriptions/${SEEDED_SUBSCRIPTION_ID}`);
      return response.body.webhook_subscription.delivery_method.temporarily_disabled ? response.body.webhook_subscription : undefined;
    });
    expect(subscription.delivery_method.secret).toBeNull();
    expect(receiver.received.length).toBeLessThanOrEqual(3);

    const enabled = await api("POST", `/webhook_subscriptions/${SEEDED_SUBSCRIPTION_ID}/enable`);
    expect(enabled.body.webhook_subscription.delivery_method.temporarily_disabled).toBe(false);
    expect((await deliveriesOf(fake.url)).every((delivery) => delivery.outcome === "dropped")).toBe(true);
  });

  it("creates a subscription that filters by service and pings it", async () => {
    const { api, receiver } = await start();
    const created = await api("POST", "/webhook_subscriptions", {
      body: {
        webhook_subscription: {
          type: "webhook_subscription",
          delivery_method: { type: "http_delivery_method", url: `${receiver.url}/platform-only` },
          events: ["incident.triggered"],
          filter: { type: "service_reference", id: SERVICES.platform.id },
        },
      },
    });
    expect(created.status).toBe(200);
    expect(created.body.webhook_subscription.delivery_method.secret).toEqual(expect.any(String));
    const fetched = await api("GET", `/webhook_subscriptions/${created.body.webhook_subscription.id}`);
    expect(fetched.body.webhook_subscription.delivery_method.secret).toBeNull();

    await api("POST", "/incidents", { body: incidentBody(SERVICES.checkout.id, "Checkout only"), from: owner.email });
    await api("POST", "/incidents", { body: incidentBody(SERVICES.platform.id, "Platform too"), from: owner.email });
    const ping = await api("POST", `/webhook_subscriptions/${created.body.webhook_subscription.id}/ping`);
    expect(ping.status).toBe(202);

    await waitFor("the ping", () => receiver.received.find((webhook) => webhook.body.event.event_type === "pagey.ping"));
    await waitFor("three webhooks to the seeded subscription", () =>
      receiver.received.filter((webhook) => !webhook.path.endsWith("/platform-only")).length >= 2 ? true : undefined,
    );
    const filtered = receiver.received.filter((webhook) => webhook.path.endsWith("/platform-only"));
    expect(filtered.map((webhook) => [webhook.body.event.event_type, (webhook.body.event.data as { title?: string }).title])).toEqual(
      expect.arrayContaining([["incident.triggered", "Platform too"]]),
    );
    expect(filtered.some((webhook) => (webhook.body.event.data as { title?: string }).title === "Checkout only")).toBe(false);
  });

  it("rejects a subscription to another host", async () => {
    const { api } = await start();
    const response = await api("POST", "/webhook_subscriptions", {
      body: {
        webhook_subscription: {
          type: "webhook_subscription",
          delivery_method: { type: "http_delivery_method", url: "https://example.com/hook" },
          events: ["incident.triggered"],
          filter: { type: "account_reference" },
        },
      },
    });
    expect(response.status).toBe(400);
  });

  it("sends page actions with the chosen user and the web client", async () => {
    const { api, receiver, fake } = await start();
    const created = await api("POST", "/incidents", { body: incidentBody(SERVICES.checkout.id, "From the page"), from: owner.email });
    await fetch(`${fake.url}/_sandbox/incidents/${created.body.incident.id}/notes`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ fromEmail: responder.email, content: "Typed on the page" }).toString(),
      redirect: "manual",
    });
    const annotated = await waitFor("incident.annotated", () => receiver.received.find((webhook) => webhook.body.event.event_type === "incident.annotated"));
    expect(annotated.body.event.agent).toMatchObject({ id: responder.pagerdutyUserId });
    expect(annotated.body.event.client).toEqual({ name: "PagerDuty" });
  });

  it("sends incident.unacknowledged when an acknowledgement times out", async () => {
    const { api, receiver, fake } = await start();
    const created = await api("POST", "/incidents", { body: incidentBody(SERVICES.checkout.id, "Ack timeout"), from: owner.email });
    const id = created.body.incident.id as string;
    await api("PUT", `/incidents/${id}`, { body: { incident: { type: "incident_reference", status: "acknowledged" } }, from: responder.email });
    const response = await fetch(`${fake.url}/_sandbox/incidents/${id}/unacknowledge`, { method: "POST" });
    expect(response.status).toBe(200);
    await waitFor("incident.unacknowledged", () => receiver.received.find((webhook) => webhook.body.event.event_type === "incident.unacknowledged"));
    expect(eventTypes(receiver.received)).toEqual(["incident.triggered", "incident.acknowledged", "incident.unacknowledged"]);
    expect((await api("GET", `/incidents/${id}`)).body.incident.status).toBe("triggered");
  });
});
