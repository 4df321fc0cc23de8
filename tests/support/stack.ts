import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../../lib/db/embedded";
import { startSandbox } from "../../sandbox/index";
import { CHANNELS, DEMO_EXTENSION, PEOPLE, SLACK_BOT, SLACK_TEAM } from "../../sandbox/seed";

export interface TestStack {
  appUrl: string;
  slackUrl: string;
  pagerdutyUrl: string;
  databaseUrl: string;
  slackSigningSecret: string;
  pagerdutyApiToken: string;
  pagerdutyWebhookSecret: string;
  /** The end of what Switchboard wrote to stdout and stderr so far, to print when a test fails. */
  outputTail(characters?: number): string;
  stop(): Promise<void>;
}

/**
 * Starts what integration and end-to-end tests talk to over real HTTP: an embedded PostgreSQL, the
 * sandbox's fake Slack and fake PagerDuty, and the built Switchboard (`npm run build` first) through
 * the same launcher as `npm start`, configured by a SWITCHBOARD_CONFIG file unless `withConfigFile` is
 * false (an empty Switchboard, as on a first start). Switchboard logs at `logLevel` (warn unless
 * given), and LOG_LEVEL in the environment wins.
 */
export async function startTestStack(options: { withConfigFile?: boolean; logLevel?: string } = {}): Promise<TestStack> {
  const root = path.resolve(import.meta.dirname, "..", "..");
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    throw new Error("Integration tests run against the built app: run `npm run build` first.");
  }
  const workDir = await mkdtemp(path.join(os.tmpdir(), "switchboard-it-"));
  // As root, the embedded PostgreSQL runs as the "postgres" user, which must be able to enter this folder.
  await chmod(workDir, 0o711);
  const database = await startEmbeddedPostgres({ dataDir: path.join(workDir, "postgres") });

  const secrets = {
    slackSigningSecret: randomBytes(16).toString("hex"),
    slackBotToken: `xoxb-test-${randomBytes(8).toString("hex")}`,
    pagerdutyApiToken: `pd-test-${randomBytes(8).toString("hex")}`,
    pagerdutyWebhookSecret: randomBytes(24).toString("base64url"),
    encryptionKey: randomBytes(32).toString("base64"),
    slackClientId: `1000000000.${Date.now()}`,
    slackClientSecret: randomBytes(16).toString("hex"),
  };
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const sandbox = await startSandbox({
    appUrl,
    slackSigningSecret: secrets.slackSigningSecret,
    slackBotToken: secrets.slackBotToken,
    pagerdutyApiToken: secrets.pagerdutyApiToken,
    pagerdutyWebhookSecret: secrets.pagerdutyWebhookSecret,
    slackClientId: secrets.slackClientId,
    slackClientSecret: secrets.slackClientSecret,
  });

  const configFile = options.withConfigFile === false ? undefined : path.join(workDir, "switchboard.yaml");
  if (configFile) await writeFile(configFile, testConfig());

  const app = spawn(process.execPath, [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), path.join(root, "scripts", "switchboard.mts"), "start"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      // The app runs in a time zone unlike the test machine's and the seeded users', so that times
      // shown to a user can only be right when they are converted to that user's zone.
      TZ: "Pacific/Auckland",
      PORT: String(appPort),
      HOSTNAME: "127.0.0.1",
      APP_URL: appUrl,
      DATABASE_URL: database.connectionString,
      SLACK_API_URL: sandbox.slack.apiUrl,
      SLACK_SIGNING_SECRET: secrets.slackSigningSecret,
      SLACK_CLIENT_ID: secrets.slackClientId,
      SLACK_CLIENT_SECRET: secrets.slackClientSecret,
      PAGERDUTY_API_URL: sandbox.pagerduty.url,
      PAGERDUTY_API_TOKEN: secrets.pagerdutyApiToken,
      PAGERDUTY_WEBHOOK_SECRET: secrets.pagerdutyWebhookSecret,
      ENCRYPTION_KEY: secrets.encryptionKey,
      SWITCHBOARD_CONFIG: configFile ?? "",
      SWITCHBOARD_DATA_DIR: path.join(workDir, "data"),
      TEST_SLACK_BOT_TOKEN: secrets.slackBotToken,
      LOG_LEVEL: process.env.LOG_LEVEL ?? options.logLevel ?? "warn",
    },
  });
  const output: string[] = [];
  app.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  app.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));

  try {
    await waitForHealth(`${appUrl}/api/health`, app);
  } catch (error) {
    await stop(app);
    await sandbox.close();
    await database.stop();
    throw new Error(`${(error as Error).message}\nApp output:\n${output.join("").slice(-8000)}`);
  }

  return {
    appUrl,
    slackUrl: sandbox.slack.url,
    pagerdutyUrl: sandbox.pagerduty.url,
    databaseUrl: database.connectionString,
    slackSigningSecret: secrets.slackSigningSecret,
    pagerdutyApiToken: secrets.pagerdutyApiToken,
    pagerdutyWebhookSecret: secrets.pagerdutyWebhookSecret,
    outputTail(characters = 12_000) {
      return output.join("").slice(-characters);
    },
    async stop() {
      await stop(app);
      await sandbox.close();
      await database.stop();
      if (process.env.KEEP_TEST_OUTPUT) console.log(output.join(""));
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

function testConfig(): string {
  const links = PEOPLE.filter((person) => person.slackUserId && person.pagerdutyUserId).map((person) => ({
    teamId: SLACK_TEAM.id,
    slackUserId: person.slackUserId,
    pagerdutyUserId: person.pagerdutyUserId,
    email: person.email,
  }));
  return JSON.stringify({
    workspaces: [{ teamId: SLACK_TEAM.id, name: SLACK_TEAM.name, botToken: "${TEST_SLACK_BOT_TOKEN}", botUserId: SLACK_BOT.userId }],
    extensions: [
      { ...DEMO_EXTENSION, updates: [...DEMO_EXTENSION.updates], teamId: SLACK_TEAM.id },
      {
        name: "SlackV2-Platform-Core",
        serviceId: "P0SVCPLT",
        teamId: SLACK_TEAM.id,
        channelId: CHANNELS.platform.id,
        channelName: CHANNELS.platform.name,
        updates: ["resolve"],
      },
    ],
    userLinks: links,
  });
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Switchboard exited with code ${child.exitCode} before it became healthy`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Switchboard did not become healthy at ${url}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
