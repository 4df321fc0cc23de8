import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { WebClient } from "@slack/web-api";
import pg from "pg";
import pino from "pino";
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from "../../lib/db/embedded";
import { PEOPLE, SLACK_BOT, SLACK_TEAM } from "../../sandbox/seed";
import { CREATE_FLOOR_TABLE_SQL } from "../floors/ack-core.mjs";
import { benchServiceId } from "./payloads";
import { postgresPids, type ProcessGroups } from "./cpu";
import { descendantPids, startProcess, stopProcess, waitForHttp, type StartedProcess } from "./processes";

/** The Slack user who presses buttons in the delivery measurement: an owner, linked to PagerDuty. */
export const PRESSING_PERSON = PEOPLE.find((person) => person.key === "owner")!;

export interface BenchChannel {
  id: string;
  name: string;
  serviceId: string;
}

export interface BenchStack {
  root: string;
  workDir: string;
  databaseUrl: string;
  /** A small pool for the harness's own checks; the servers have their own. */
  pool: pg.Pool;
  secrets: { slackSigningSecret: string; pagerdutyWebhookSecret: string; slackBotToken: string; pagerdutyApiToken: string };
  /** The fake Slack: `url` is its origin (control API under /_sandbox/), `apiUrl` the Web API base. */
  slack: { url: string; apiUrl: string };
  pagerduty: { url: string };
  fakes: StartedProcess;
  channels: BenchChannel[];
  switchboard: { url: string; launcher: StartedProcess };
  floors: { node: { url: string; process: StartedProcess }; bolt: { url: string; process: StartedProcess }; next: { url: string; process: StartedProcess } };
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("The OS gave no free port"))));
    });
  });
}

/**
 * Starts everything the benchmark measures, on this machine only. That is an embedded PostgreSQL in
 * a temporary folder, and the fake Slack (responding at once, with `channelCount` channels) and fake
 * PagerDuty in a process of their own. The fake PagerDuty serves its REST API only, because the
 * benchmark sends the webhooks itself. Then Switchboard starts through its production launcher,
 * and the three ack floors beside it. Builds must exist (see builds.ts).
 */
export async function startBenchStack(input: { root: string; channelCount: number; log: pino.Logger; profileDir?: string }): Promise<BenchStack> {
  const { root, log } = input;
  const workDir = await mkdtemp(path.join(os.tmpdir(), "switchboard-bench-"));
  // As root, the embedded PostgreSQL runs as the "postgres" user, which must be able to enter this folder.
  await chmod(workDir, 0o711);
  const cleanups: (() => Promise<unknown>)[] = [() => rm(workDir, { recursive: true, force: true })];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => log.warn({ err: error }, "Benchmark cleanup step failed"));
  };

  try {
    const database: EmbeddedPostgresServer = await startEmbeddedPostgres({ dataDir: path.join(workDir, "postgres") });
    cleanups.push(() => database.stop());
    const pool = new pg.Pool({ connectionString: database.connectionString, max: 4 });
    // Idle connections break when PostgreSQL stops at the end; without a listener that would end the process.
    pool.on("error", (error) => log.warn({ err: error }, "Benchmark database connection failed"));
    cleanups.push(() => pool.end());
    await pool.query(CREATE_FLOOR_TABLE_SQL);

    const secrets = {
      slackSigningSecret: randomBytes(16).toString("hex"),
      pagerdutyWebhookSecret: randomBytes(24).toString("base64url"),
      slackBotToken: `xoxb-bench-${randomBytes(8).toString("hex")}`,
      pagerdutyApiToken: `pd-bench-${randomBytes(8).toString("hex")}`,
    };
    const [appPort, nodePort, boltPort, nextPort, slackPort, pagerdutyPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const appUrl = `http://127.0.0.1:${appPort}`;

    const fakes = startProcess({
      name: "fakes",
      command: process.execPath,
      args: ["--import", "tsx", path.join(root, "bench", "support", "fakes-process.mts")],
      cwd: root,
      logFile: path.join(workDir, "fakes.log"),
      env: {
        ...process.env,
        APP_URL: appUrl,
        SLACK_PORT: String(slackPort),
        PAGERDUTY_PORT: String(pagerdutyPort),
        SLACK_SIGNING_SECRET: secrets.slackSigningSecret,
        SLACK_BOT_TOKEN: secrets.slackBotToken,
        PAGERDUTY_API_TOKEN: secrets.pagerdutyApiToken,
      },
    });
    cleanups.push(() => stopProcess(fakes));
    const slack = { url: `http://127.0.0.1:${slackPort}`, apiUrl: `http://127.0.0.1:${slackPort}/api/` };
    const pagerduty = { url: `http://127.0.0.1:${pagerdutyPort}` };
    await waitForHttp(`${slack.url}/_sandbox/channels`, fakes);
    await waitForHttp(`${pagerduty.url}/_sandbox/incidents`, fakes);
    const channels = await createChannels(slack.apiUrl, secrets.slackBotToken, input.channelCount);

    const configFile = path.join(workDir, "switchboard.json");
    await writeFile(configFile, benchConfig(channels));
    const launcher = startProcess({
      name: "Switchboard",
      command: process.execPath,
      // With profileDir, the launcher (and so the delivery worker) writes a V8 CPU profile when it stops.
      // The heap limit is npm start's (package.json).
      args: [
        ...(input.profileDir ? ["--cpu-prof", `--cpu-prof-dir=${input.profileDir}`] : []),
        "--max-old-space-size=256",
        "--import",
        "tsx",
        path.join(root, "scripts", "switchboard.mts"),
        "start",
      ],
      cwd: root,
      logFile: path.join(workDir, "switchboard.log"),
      env: {
        ...process.env,
        NODE_ENV: "production" as const,
        NEXT_TELEMETRY_DISABLED: "1",
        PORT: String(appPort),
        HOSTNAME: "127.0.0.1",
        APP_URL: appUrl,
        DATABASE_URL: database.connectionString,
        SLACK_API_URL: slack.apiUrl,
        SLACK_SIGNING_SECRET: secrets.slackSigningSecret,
        PAGERDUTY_API_URL: pagerduty.url,
        PAGERDUTY_API_TOKEN: secrets.pagerdutyApiToken,
        PAGERDUTY_WEBHOOK_SECRET: secrets.pagerdutyWebhookSecret,
        ENCRYPTION_KEY: randomBytes(32).toString("base64"),
        SWITCHBOARD_CONFIG: configFile,
        SWITCHBOARD_DATA_DIR: path.join(workDir, "data"),
        BENCH_SLACK_BOT_TOKEN: secrets.slackBotToken,
        LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
      },
    });
    cleanups.push(() => stopProcess(launcher, 20_000));
    await waitForHttp(`${appUrl}/api/health`, launcher);
    log.info({ url: appUrl, log: launcher.logFile }, "Switchboard is up");

    const floorEnv = {
      ...process.env,
      NODE_ENV: "production" as const,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: database.connectionString,
      SLACK_SIGNING_SECRET: secrets.slackSigningSecret,
      PAGERDUTY_WEBHOOK_SECRET: secrets.pagerdutyWebhookSecret,
    };
    const startFloor = async (name: string, port: number, args: string[], healthPath: string) => {
      const started = startProcess({
        name,
        command: process.execPath,
        args,
        cwd: root,
        logFile: path.join(workDir, `${name.replace(/\W+/g, "-").toLowerCase()}.log`),
        env: { ...floorEnv, PORT: String(port) },
      });
      cleanups.push(() => stopProcess(started));
      const url = `http://127.0.0.1:${port}`;
      await waitForHttp(`${url}${healthPath}`, started);
      return { url, process: started };
    };
    const nodeFloor = await startFloor("node floor", nodePort, ["--import", "tsx", path.join(root, "bench", "floors", "node-floor.mts")], "/health");
    const boltFloor = await startFloor("Bolt floor", boltPort, ["--import", "tsx", path.join(root, "bench", "floors", "bolt-floor.mts")], "/health");
    const nextFloor = await startFloor(
      "Next.js floor",
      nextPort,
      [path.join(root, "node_modules", "next", "dist", "bin", "next"), "start", path.join(root, "bench", "floors", "next-floor"), "-H", "127.0.0.1", "-p", String(nextPort)],
      "/api/health",
    );

    return {
      root,
      workDir,
      databaseUrl: database.connectionString,
      pool,
      secrets,
      slack,
      pagerduty,
      fakes,
      channels,
      switchboard: { url: appUrl, launcher },
      floors: { node: nodeFloor, bolt: boltFloor, next: nextFloor },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Returns the processes whose CPU time and memory the benchmark reports, by name. */
export function benchProcessGroups(stack: BenchStack): ProcessGroups {
  const tree = (pid: number) => () => [pid, ...descendantPids(pid)];
  return {
    "Switchboard Next.js server": () => descendantPids(stack.switchboard.launcher.pid),
    "Switchboard launcher and worker": () => [stack.switchboard.launcher.pid],
    PostgreSQL: postgresPids,
    "Next.js floor": tree(stack.floors.next.process.pid),
    "node floor": tree(stack.floors.node.process.pid),
    "Bolt floor": tree(stack.floors.bolt.process.pid),
    "fake Slack and PagerDuty": tree(stack.fakes.pid),
    harness: { own: () => [process.pid] },
  };
}

/** Creates the channels through the fake's Web API as the bot, so the bot is in each of them. */
async function createChannels(apiUrl: string, botToken: string, count: number): Promise<BenchChannel[]> {
  const client = new WebClient(botToken, { slackApiUrl: apiUrl });
  const channels: BenchChannel[] = [];
  for (let index = 0; index < count; index++) {
    const name = `bench-${String(index).padStart(3, "0")}`;
    const created = await client.conversations.create({ name });
    const id = created.channel?.id;
    if (!id) throw new Error(`The fake Slack created no channel for ${name}: ${JSON.stringify(created)}`);
    await client.conversations.invite({ channel: id, users: PRESSING_PERSON.slackUserId });
    channels.push({ id, name, serviceId: benchServiceId(index) });
  }
  return channels;
}

/** Builds the SWITCHBOARD_CONFIG file: the sandbox workspace, one extension per channel, linked people. */
function benchConfig(channels: BenchChannel[]): string {
  return JSON.stringify({
    workspaces: [{ teamId: SLACK_TEAM.id, name: SLACK_TEAM.name, botToken: "${BENCH_SLACK_BOT_TOKEN}", botUserId: SLACK_BOT.userId }],
    extensions: channels.map((channel) => ({
      name: `Bench-${channel.name}`,
      serviceId: channel.serviceId,
      teamId: SLACK_TEAM.id,
      channelId: channel.id,
      channelName: channel.name,
      updates: ["escalate", "resolve", "acknowledge", "reassign", "notes"],
    })),
    userLinks: PEOPLE.filter((person) => person.slackUserId && person.pagerdutyUserId).map((person) => ({
      teamId: SLACK_TEAM.id,
      slackUserId: person.slackUserId,
      pagerdutyUserId: person.pagerdutyUserId,
      email: person.email,
    })),
  });
}
