import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebClient } from "@slack/web-api";
import pino from "pino";
import { startFakePagerDuty, type FakePagerDuty } from "../../sandbox/pagerduty/server";
import { PEOPLE, SLACK_BOT, SLACK_TEAM } from "../../sandbox/seed";
import { startFakeSlack, type FakeSlack } from "../../sandbox/slack/server";
import { silentSlackLogger } from "../../sandbox/slack/test-support";
import { createTestDatabase, type TestDatabase } from "../../tests/support/database";
import type { PrismaClient, SlackWorkspace } from "../db/generated/client";

/**
 * A test bench for incident channel code. It has a migrated database with the job queue, the fake
 * Slack behind a small proxy that can make chosen methods fail as Slack would, and the fake
 * PagerDuty. The environment points the app's clients at them.
 */
export interface ChannelBench {
  prisma: PrismaClient;
  slack: FakeSlack;
  pagerduty: FakePagerDuty;
  /** The bot's WebClient, talking to the fake Slack directly. */
  botClient: WebClient;
  workspace: SlackWorkspace;
  /** Makes the next `times` calls of a Web API method return `{ ok: false, error, ...extra }`. */
  failNext(method: string, error: string, options?: { times?: number; extra?: Record<string, unknown> }): void;
  close(): Promise<void>;
}

const BOT_TOKEN = `xoxb-bench-${randomBytes(6).toString("hex")}`;
const PAGERDUTY_TOKEN = `pd-bench-${randomBytes(6).toString("hex")}`;

export async function startChannelBench(): Promise<ChannelBench> {
  const database: TestDatabase = await createTestDatabase();
  const logger = pino({ level: "silent" });
  const slack = await startFakeSlack({ appUrl: "http://127.0.0.1:9", signingSecret: "bench-signing-secret", botToken: BOT_TOKEN, logger });
  const pagerduty = await startFakePagerDuty({ port: 0, apiToken: PAGERDUTY_TOKEN, logger });

  const failures = new Map<string, { error: string; times: number; extra: Record<string, unknown> }>();
  const proxy = await startFailingProxy(slack.apiUrl, failures);

  process.env.DATABASE_URL = database.url;
  process.env.SLACK_API_URL = proxy.url;
  process.env.PAGERDUTY_API_URL = pagerduty.url;
  process.env.PAGERDUTY_API_TOKEN = PAGERDUTY_TOKEN;
  process.env.ENCRYPTION_KEY = randomBytes(32).toString("base64");
  process.env.LOG_LEVEL = "silent";

  // Imported after the environment is set: these modules read it once.
  const { installJobQueue } = await import("../queue/worker");
  const { getPrisma } = await import("../db/client");
  const { encryptSecret } = await import("../crypto/secret-box");
  const { requireEncryptionKey } = await import("../crypto/keys");
  await installJobQueue(database.url);
  const prisma = getPrisma();

  const workspace = await prisma.slackWorkspace.create({
    data: {
      slackTeamId: SLACK_TEAM.id,
      name: SLACK_TEAM.name,
      slackBotUserId: SLACK_BOT.userId,
      botTokenEncrypted: encryptSecret(BOT_TOKEN, requireEncryptionKey()),
      scopes: [],
    },
  });
  await prisma.linkedUser.createMany({
    data: PEOPLE.filter((person) => person.slackUserId && person.pagerdutyUserId).map((person) => ({
      slackTeamId: SLACK_TEAM.id,
      slackUserId: person.slackUserId,
      pagerdutyUserId: person.pagerdutyUserId,
      pagerdutyEmail: person.email,
    })),
  });

  return {
    prisma,
    slack,
    pagerduty,
    botClient: new WebClient(BOT_TOKEN, { slackApiUrl: slack.apiUrl, logger: silentSlackLogger, retryConfig: { retries: 0 } }),
    workspace,
    failNext(method, error, options = {}) {
      failures.set(method, { error, times: options.times ?? 1, extra: options.extra ?? {} });
    },
    async close() {
      const { closeDatabaseClients } = await import("../db/client");
      await closeDatabaseClients();
      await new Promise<void>((resolve) => proxy.server.close(() => resolve()));
      await Promise.allSettled([slack.close(), pagerduty.close()]);
      await database.drop();
    },
  };
}

/**
 * Forwards Web API calls to the fake Slack, except the methods set to fail, which get Slack's
 * error body (HTTP 200, ok false) without reaching the fake.
 */
async function startFailingProxy(
  targetApiUrl: string,
  failures: Map<string, { error: string; times: number; extra: Record<string, unknown> }>,
): Promise<{ url: string; server: Server }> {
  const server = createServer(async (request, response) => {
    const method = (request.url ?? "").replace(/^\/api\//, "").split("?")[0] ?? "";
    const failure = failures.get(method);
    if (failure && failure.times > 0) {
      failure.times -= 1;
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end(JSON.stringify({ ok: false, error: failure.error, ...failure.extra }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const name of ["authorization", "content-type"]) {
      const value = request.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    const upstream = await fetch(new URL((request.url ?? "/").replace(/^\/api\//, ""), targetApiUrl), {
      method: request.method,
      headers,
      body: request.method === "GET" ? undefined : Buffer.concat(chunks),
    });
    response.writeHead(upstream.status, { "Content-Type": upstream.headers.get("content-type") ?? "application/json" });
    response.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api/`, server };
}

/** Stores an incident as a webhook would have, with the given fields over sensible defaults. */
export async function createTestIncident(
  prisma: PrismaClient,
  fields: Partial<{ pagerdutyIncidentId: string; number: number; title: string; status: string; urgency: string; priority: string | null; assignees: { id: string; summary: string }[] }> = {},
) {
  const number = fields.number ?? Math.floor(Math.random() * 900_000) + 1000;
  return prisma.incident.create({
    data: {
      pagerdutyIncidentId: fields.pagerdutyIncidentId ?? `PT${randomUUID().replace(/-/g, "").slice(0, 12).toUpperCase()}`,
      number,
      title: fields.title ?? `Checkout latency ${number}`,
      status: fields.status ?? "triggered",
      urgency: fields.urgency ?? "high",
      priority: fields.priority ?? null,
      pagerdutyServiceId: "P0SVCCHK",
      serviceName: "Checkout API",
      assignees: fields.assignees ?? [{ id: "P0ROSA1", summary: "Rosa Responder" }],
      htmlUrl: `https://example.pagerduty.com/incidents/${number}`,
      lastChangeAt: new Date(),
    },
  });
}
