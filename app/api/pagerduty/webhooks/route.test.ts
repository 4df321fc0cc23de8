import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signPagerDutyBody } from "@/lib/pagerduty/verify-signature";
import { installJobQueue } from "@/lib/queue/worker";
import { createTestDatabase, type TestDatabase } from "@/tests/support/database";

const secret = "route-test-webhook-secret";
let database: TestDatabase;
let pool: pg.Pool;
let POST: (request: Request) => Promise<Response>;

beforeAll(async () => {
  database = await createTestDatabase();
  await installJobQueue(database.url);
  process.env.DATABASE_URL = database.url;
  process.env.PAGERDUTY_WEBHOOK_SECRET = secret;
  ({ POST } = await import("./route"));
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
});

afterAll(async () => {
  const { closeDatabaseClients } = await import("@/lib/db/client");
  await closeDatabaseClients();
  await pool.end();
  await database.drop();
});

function envelope(eventType = "incident.triggered") {
  return JSON.stringify({
    event: {
      id: randomUUID(),
      event_type: eventType,
      resource_type: "incident",
      occurred_at: new Date().toISOString(),
      agent: null,
      client: null,
      data: { id: "PROUTE1", type: "incident" },
    },
  });
}

function request(body: string, signature: string | null, webhookId: string = randomUUID()): Request {
  const headers: Record<string, string> = { "Content-Type": "application/json", "X-Webhook-Id": webhookId };
  if (signature !== null) headers["X-PagerDuty-Signature"] = signature;
  return new Request("http://127.0.0.1/api/pagerduty/webhooks", { method: "POST", headers, body });
}

async function storedRows(eventId: string) {
  const result = await pool.query<{ status: string; delivery_id: string }>(
    `SELECT status::text AS status, delivery_id FROM inbound_event WHERE external_id = $1`,
    [eventId],
  );
  return result.rows;
}

/**
 * Counts the PagerDuty jobs that will apply the event: waiting jobs whose drain starts at or
 * before its id. A job lists the ids it was queued for; later events may rely on it instead of a
 * job of their own (coalescing in lib/inbox/store.ts).
 */
async function coveringJobs(eventId: string): Promise<number> {
  const result = await pool.query<{ count: string }>(
    `SELECT count(*)::text AS count
       FROM graphile_worker._private_jobs j
       JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id
       JOIN inbound_event e ON e.external_id = $1
      WHERE q.queue_name = 'pagerduty-events' AND j.locked_at IS NULL
        AND (SELECT min(listed::bigint) FROM json_array_elements_text(j.payload->'inboundEventIds') AS listed) <= e.id`,
    [eventId],
  );
  return Number(result.rows[0]!.count);
}

async function pagerDutyJobCount(): Promise<number> {
  const result = await pool.query<{ count: string }>(
    `SELECT count(*)::text AS count FROM graphile_worker._private_jobs j JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id WHERE q.queue_name = 'pagerduty-events'`,
  );
  return Number(result.rows[0]!.count);
}

describe("POST /api/pagerduty/webhooks", () => {
  it("stores and queues a signed incident event before answering 202", async () => {
    const body = envelope();
    const eventId = JSON.parse(body).event.id as string;
    const response = await POST(request(body, `v1=${signPagerDutyBody(secret, body)}`, "delivery-1"));
    expect(response.status).toBe(202);
    expect(await storedRows(eventId)).toEqual([{ status: "pending", delivery_id: "delivery-1" }]);
    expect(await coveringJobs(eventId)).toBeGreaterThanOrEqual(1);
  });

  it("answers a repeated event id with 202 and neither stores nor queues it again", async () => {
    const body = envelope();
    const eventId = JSON.parse(body).event.id as string;
    const signature = `v1=${signPagerDutyBody(secret, body)}`;
    const jobsBefore = await pagerDutyJobCount();
    expect((await POST(request(body, signature))).status).toBe(202);
    const jobsAfterFirst = await pagerDutyJobCount();
    for (let attempt = 0; attempt < 2; attempt++) {
      expect((await POST(request(body, signature))).status).toBe(202);
    }
    expect(await storedRows(eventId)).toHaveLength(1);
    expect(await coveringJobs(eventId)).toBeGreaterThanOrEqual(1);
    expect(jobsAfterFirst - jobsBefore).toBeLessThanOrEqual(1);
    expect(await pagerDutyJobCount()).toBe(jobsAfterFirst);
  });

  it("rejects a signature from another secret with 401 and stores nothing", async () => {
    const body = envelope();
    const eventId = JSON.parse(body).event.id as string;
    const response = await POST(request(body, `v1=${signPagerDutyBody("other-secret", body)}`));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: "invalid_signature", message: "X-PagerDuty-Signature did not verify (bad_signature)." } });
    expect(await storedRows(eventId)).toHaveLength(0);
  });

  it("rejects a missing signature with 401 and stores nothing", async () => {
    const body = envelope();
    const response = await POST(request(body, null));
    expect(response.status).toBe(401);
    expect(await storedRows(JSON.parse(body).event.id as string)).toHaveLength(0);
  });

  it("stores an unhandled event type as ignored, without a job", async () => {
    const body = envelope("service.updated");
    const eventId = JSON.parse(body).event.id as string;
    const jobsBefore = await pagerDutyJobCount();
    const response = await POST(request(body, `v1=${signPagerDutyBody(secret, body)}`));
    expect(response.status).toBe(202);
    expect(await storedRows(eventId)).toEqual([{ status: "ignored", delivery_id: expect.any(String) }]);
    expect(await pagerDutyJobCount()).toBe(jobsBefore);
  });

  it("answers 400 to a signed body without an event object", async () => {
    const body = JSON.stringify({ hello: "world" });
    const response = await POST(request(body, `v1=${signPagerDutyBody(secret, body)}`));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_envelope");
  });
});
