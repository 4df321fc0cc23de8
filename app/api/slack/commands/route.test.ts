import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signSlackRequest } from "@/lib/slack/verify-signature";
import { installJobQueue } from "@/lib/queue/worker";
import { createTestDatabase, type TestDatabase } from "@/tests/support/database";

const secret = "commands-route-test-secret";
let database: TestDatabase;
let pool: pg.Pool;
let POST: (request: Request) => Promise<Response>;
let triggerCounter = 0;

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

function commandBody(text: string, fields: Record<string, string> = {}): { body: string; triggerId: string } {
  triggerCounter += 1;
  const triggerId = `1000.${Date.now()}.${triggerCounter}`;
  const body = new URLSearchParams({
    token: "deprecated",
    team_id: "T0ROUTE01",
    team_domain: "route",
    channel_id: "C0ROUTE01",
    channel_name: "incidents",
    user_id: "U0ROUTE01",
    user_name: "route",
    command: "/pd",
    text,
    response_url: "https://hooks.slack.com/commands/T0ROUTE01/1/abc",
    trigger_id: triggerId,
    ...fields,
  }).toString();
  return { body, triggerId };
}

function request(body: string, options: { timestamp?: number; signature?: string } = {}): Request {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  return new Request("http://127.0.0.1/api/slack/commands", {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      "X-Slack-Request-Timestamp": timestamp,
      "X-Slack-Signature": options.signature ?? signSlackRequest(secret, timestamp, body),
    },
    body,
  });
}

async function stored(triggerId: string) {
  const result = await pool.query<{ event_type: string; status: string; jobs: string }>(
    `SELECT e.event_type, e.status::text AS status,
       (SELECT count(*)::text FROM graphile_worker._private_jobs j WHERE (j.payload::jsonb->'inboundEventIds') ? e.id::text) AS jobs
     FROM inbound_event e WHERE e.source = 'slack_command' AND e.external_id = $1`,
    [triggerId],
  );
  return result.rows;
}

describe("POST /api/slack/commands", () => {
  it("answers /pd help in the response and stores nothing", async () => {
    const { body, triggerId } = commandBody("help");
    const response = await POST(request(body));
    expect(response.status).toBe(200);
    const reply = (await response.json()) as { response_type: string; text: string };
    expect(reply.response_type).toBe("ephemeral");
    expect(reply.text).toContain("/pd trigger");
    expect(await stored(triggerId)).toEqual([]);
  });

  it("shows help for an unknown subcommand", async () => {
    const { body } = commandBody("page everyone");
    const reply = (await (await POST(request(body))).json()) as { text: string };
    expect(reply.text).toContain("Switchboard does not know `/pd page`");
    expect(reply.text).toContain("/pd oncall");
  });

  it("stores and queues /pd trigger with an empty answer", async () => {
    const { body, triggerId } = commandBody("trigger");
    const response = await POST(request(body));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    expect(await stored(triggerId)).toEqual([{ event_type: "command.trigger", status: "pending", jobs: "1" }]);
  });

  it("stores a repeated command once", async () => {
    const { body, triggerId } = commandBody("oncall");
    expect((await POST(request(body))).status).toBe(200);
    expect((await POST(request(body))).status).toBe(200);
    expect(await stored(triggerId)).toHaveLength(1);
  });

  it("rejects a stale or forged command with 401 and stores nothing", async () => {
    const { body, triggerId } = commandBody("unlink");
    const stale = await POST(request(body, { timestamp: Math.floor(Date.now() / 1000) - 301 }));
    expect(stale.status).toBe(401);
    const forged = await POST(request(body, { signature: "v0=" + "0".repeat(64) }));
    expect(forged.status).toBe(401);
    expect(await stored(triggerId)).toEqual([]);
  });

  it("verifies the body exactly as received", async () => {
    const { body, triggerId } = commandBody("oncall Checkout On-Call");
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = signSlackRequest(secret, timestamp, body);
    // The same fields encoded differently ("+" for spaces becomes "%20") no longer match the signature.
    const reencoded = body.replace(/\+/g, "%20");
    expect(reencoded).not.toBe(body);
    const response = await POST(
      new Request("http://127.0.0.1/api/slack/commands", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature },
        body: reencoded,
      }),
    );
    expect(response.status).toBe(401);
    expect(await stored(triggerId)).toEqual([]);
  });

  it("answers Slack's ssl_check with 200", async () => {
    const response = await POST(new Request("http://127.0.0.1/api/slack/commands", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "ssl_check=1&token=x" }));
    expect(response.status).toBe(200);
  });
});
