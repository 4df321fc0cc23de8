// The node floor: node:http doing only what an ack must do (raw body, signature check, one INSERT,
// respond). Usage: node --import tsx bench/floors/node-floor.mts (PORT, DATABASE_URL,
// SLACK_SIGNING_SECRET and PAGERDUTY_WEBHOOK_SECRET in the environment).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import pg from "pg";
import { INSERT_FLOOR_EVENT_SQL, isPagerDutyRequestValid, isSlackRequestValid, pagerDutyEventId, slackTriggerId } from "./ack-core.mjs";
import { requireEnv } from "../support/require-env.ts";

const env = requireEnv(["PORT", "DATABASE_URL", "SLACK_SIGNING_SECRET", "PAGERDUTY_WEBHOOK_SECRET"]);
const pool = new pg.Pool({ connectionString: env.DATABASE_URL });
pool.on("error", (error) => console.error("node floor: idle database connection failed:", error.message));

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method === "GET" && request.url === "/health") {
    response.writeHead(200).end("ok");
    return;
  }
  if (request.method !== "POST" || (request.url !== "/slack" && request.url !== "/pagerduty")) {
    response.writeHead(404).end();
    return;
  }
  const rawBody = await readBody(request);
  if (request.url === "/slack") {
    const valid = isSlackRequestValid(env.SLACK_SIGNING_SECRET, header(request, "x-slack-request-timestamp"), header(request, "x-slack-signature"), rawBody);
    if (!valid) return void response.writeHead(401).end();
    const text = rawBody.toString("utf8");
    const triggerId = slackTriggerId(text);
    if (!triggerId) return void response.writeHead(400).end();
    await pool.query({ ...INSERT_FLOOR_EVENT_SQL, values: ["node-slack", triggerId, text] });
    response.writeHead(200).end();
    return;
  }
  if (!isPagerDutyRequestValid(env.PAGERDUTY_WEBHOOK_SECRET, header(request, "x-pagerduty-signature"), rawBody)) {
    return void response.writeHead(401).end();
  }
  const text = rawBody.toString("utf8");
  const eventId = pagerDutyEventId(text);
  if (!eventId) return void response.writeHead(400).end();
  await pool.query({ ...INSERT_FLOOR_EVENT_SQL, values: ["node-pagerduty", eventId, text] });
  response.writeHead(202).end();
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const server = createServer((request, response) => {
  handle(request, response).catch((error: unknown) => {
    console.error("node floor: request failed:", error);
    if (!response.headersSent) response.writeHead(500);
    response.end();
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(env.PORT), "127.0.0.1", () => console.log(`node floor listening on 127.0.0.1:${env.PORT}`));

process.on("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  void pool.end().finally(() => process.exit(0));
});
