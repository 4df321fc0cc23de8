import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installJobQueue } from "@/lib/queue/worker";
import { signSlackRequest } from "@/lib/slack/verify-signature";
import { createTestDatabase, type TestDatabase } from "@/tests/support/database";

const secret = "route-test-signing-secret";
let database: TestDatabase;
let pool: pg.Pool;
let POST: (request: Request) => Promise<Response>;

beforeAll(async () => {
  database = await createTestDatabase();
  await installJobQueue(database.url);
  process.env.DATABASE_URL = database.url;
  process.env.SLACK_SIGNING_SECRET = secret;
  ({ POST } = await import("./route"));
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
});

afterAll(async () => {
  const { closeDatabaseClients } = await import("@/lib/db/client");
  await closeDatabaseClients();
  await pool.end();
  await database.drop();
});

function eventBody(type: string, eventId = `Ev${randomBytes(6).toString("hex")}`): string {
  return JSON.stringify({
    token: "verification-token",
    team_id: "T0ROUTE001",
    api_app_id: "A0ROUTE",
    event: { type, event_ts: "1764583200.000100" },
    type: "event_callback",
    event_id: eventId,
    event_time: 1764583200,
  });
}

function request(body: string, options: { signature?: string | null; timestamp?: number; headers?: Record<string, string> } = {}): Request {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = { "Content-Type": "application/json", "X-Slack-Request-Timestamp": timestamp, ...options.headers };
  const signature = options.signature === undefined ? signSlackRequest(secret, timestamp, body) : options.signature;
  if (signature !== null) headers["X-Slack-Signature"] = signature;
  return new Request("http://127.0.0.1/api/slack/events", { method: "POST", headers, body });
}

async function stored(eventId: string) {
  const result = await pool.query<{ status: string; event_type: string }>(
    `SELECT status::text AS status, event_type FROM inbound_event WHERE source = 'slack_event' AND external_id = $1`,
    [eventId],
  );
  return result.rows;
}

async function jobsFor(eventId: string): Promise<number> {
  const result = await pool.query<{ count: string }>(
    `SELECT count(*)::text AS count FROM graphile_worker._private_jobs j JOIN inbound_event e ON (j.payload::jsonb->'inboundEventIds') ? e.id::text WHERE e.external_id = $1`,
    [eventId],
  );
  return Number(result.rows[0]!.count);
}

describe("POST /api/slack/events", () => {
  it("answers url_verification with its challenge", async () => {
    const body = JSON.stringify({ token: "verification-token", challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", type: "url_verification" });
    const response = await POST(request(body));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" });
  });

  it("rejects an unsigned url_verification", async () => {
    const body = JSON.stringify({ token: "t", challenge: "abc", type: "url_verification" });
    const response = await POST(request(body, { signature: null }));
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain("abc");
  });

  it("stores and queues a signed event before answering 200", async () => {
    const body = eventBody("app_uninstalled");
    const eventId = JSON.parse(body).event_id as string;
    const response = await POST(request(body));
    expect(response.status).toBe(200);
    expect(await stored(eventId)).toEqual([{ status: "pending", event_type: "app_uninstalled" }]);
    expect(await jobsFor(eventId)).toBe(1);
  });

  it("acknowledges a retry without storing or queueing it again", async () => {
    const body = eventBody("tokens_revoked");
    const eventId = JSON.parse(body).event_id as string;
    expect((await POST(request(body))).status).toBe(200);
    for (const retryNum of ["1", "2", "3"]) {
      const response = await POST(request(body, { headers: { "X-Slack-Retry-Num": retryNum, "X-Slack-Retry-Reason": "http_timeout" } }));
      expect(response.status).toBe(200);
    }
    expect(await stored(eventId)).toHaveLength(1);
    expect(await jobsFor(eventId)).toBe(1);
  });

  it("stores an event type it does not handle as ignored", async () => {
    const body = eventBody("reaction_added");
    const eventId = JSON.parse(body).event_id as string;
    expect((await POST(request(body))).status).toBe(200);
    expect(await stored(eventId)).toEqual([{ status: "ignored", event_type: "reaction_added" }]);
    expect(await jobsFor(eventId)).toBe(0);
  });

  const signedAt = (body: string, offsetSeconds: number) => {
    const timestamp = Math.floor(Date.now() / 1000) + offsetSeconds;
    return { timestamp, signature: signSlackRequest(secret, String(timestamp), body) };
  };
  it.each([
    ["a wrong signature", (_body: string) => ({ signature: `v0=${"0".repeat(64)}` })],
    ["no signature", (_body: string) => ({ signature: null })],
    ["a timestamp six minutes old", (body: string) => signedAt(body, -360)],
    ["a timestamp six minutes ahead", (body: string) => signedAt(body, 360)],
  ])("rejects %s with 401 and stores nothing", async (_case, optionsFor) => {
    const body = eventBody("app_uninstalled");
    const eventId = JSON.parse(body).event_id as string;
    const response = await POST(request(body, optionsFor(body)));
    expect(response.status).toBe(401);
    expect(await stored(eventId)).toEqual([]);
    expect(await jobsFor(eventId)).toBe(0);
  });

  it("rejects a body that is not JSON", async () => {
    const response = await POST(request("not json"));
    expect(response.status).toBe(400);
    expect(response.headers.get("x-slack-no-retry")).toBe("1");
  });

  it("rejects an event_callback without an event_id", async () => {
    const body = JSON.stringify({ type: "event_callback", team_id: "T0ROUTE001", event: { type: "app_uninstalled" }, event_time: 1764583200 });
    const response = await POST(request(body));
    expect(response.status).toBe(400);
    expect((await pool.query(`SELECT 1 FROM inbound_event WHERE raw_body = $1`, [body])).rowCount).toBe(0);
  });

  it("acknowledges app_rate_limited without storing it", async () => {
    const body = JSON.stringify({ token: "t", type: "app_rate_limited", team_id: "T0ROUTE001", minute_rate_limited: 1518467820, api_app_id: "A0ROUTE" });
    const before = (await pool.query(`SELECT count(*)::int AS count FROM inbound_event`)).rows[0].count as number;
    expect((await POST(request(body))).status).toBe(200);
    expect((await pool.query(`SELECT count(*)::int AS count FROM inbound_event`)).rows[0].count).toBe(before);
  });
});
