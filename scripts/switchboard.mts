// Starts Switchboard. Modes:
//   start  production: the built app (npm run build first), the delivery worker, and the embedded
//          PostgreSQL when DATABASE_URL is unset. Talks to the Slack and PagerDuty of the
//          environment and never starts the sandbox.
//   demo   the sandbox (fake Slack and fake PagerDuty) plus everything `start` runs, wired to the
//          sandbox, building first if the build is missing or older than the sources.
//   dev    like demo, with `next dev` (hot reload) instead of a build.
// In every mode this process runs the embedded PostgreSQL and the delivery worker, and starts the
// Next.js server as a child process beside them.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, statSync, readdirSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";

type Mode = "start" | "demo" | "dev";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
process.env.NEXT_TELEMETRY_DISABLED = "1";

const log = pino({ level: process.env.LOG_LEVEL || "info", base: { app: "switchboard", scope: "launcher" } });

const mode = process.argv[2] as Mode;
if (!["start", "demo", "dev"].includes(mode)) {
  console.error("Usage: tsx scripts/switchboard.mts start|demo|dev");
  process.exit(2);
}

const cleanups: (() => Promise<void>)[] = [];
let shuttingDown = false;
/** The CPU priority of the worker and its database sessions: below the Next.js server, see lowerWorkerPriority. */
const WORKER_NICENESS = 10;

async function shutdown(code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => log.error({ err: error }, "Shutdown step failed"));
    }
  }
  process.exit(code);
}

process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  await main();
} catch (error) {
  if (error instanceof Error && (error.name === "EnvError" || error.name === "ConfigFileError")) {
    console.error(`\n${error.message}\n`);
  } else {
    log.fatal({ err: error }, "Switchboard failed to start");
  }
  await shutdown(1);
}

async function main(): Promise<void> {
  const { parseEnv } = await import("../lib/config/env.ts");
  // Validate what the operator set before anything starts, so a malformed value names itself.
  const operatorEnv = parseEnv(process.env);
  const dataDir = path.resolve(operatorEnv.dataDir);
  await mkdir(dataDir, { recursive: true });

  const { loadLocalSecrets } = await import("../lib/runtime/local-secrets.ts");
  const secrets = await loadLocalSecrets(dataDir);
  const port = operatorEnv.port;
  const host = mode === "start" ? (process.env.HOSTNAME || "0.0.0.0") : "127.0.0.1";
  const appUrl = operatorEnv.appUrl;

  const childEnv: Record<string, string> = { ...(process.env as Record<string, string>), PORT: String(port), APP_URL: appUrl };
  childEnv.ENCRYPTION_KEY ||= secrets.encryptionKey;
  childEnv.NEXTAUTH_SECRET ||= secrets.nextAuthSecret;
  childEnv.NEXTAUTH_URL ||= operatorEnv.nextAuthUrl;
  if (!process.env.ENCRYPTION_KEY && mode === "start") {
    log.warn({ file: path.join(dataDir, "secrets.json") }, "ENCRYPTION_KEY is not set; using the key generated under the data directory. Set it explicitly when several hosts share a database.");
  }

  let urls: Record<string, string> = {};
  if (mode !== "start") urls = await startSandboxFor({ appUrl, dataDir, secrets, childEnv });

  if (!operatorEnv.databaseUrl) {
    const { startEmbeddedPostgres } = await import("../lib/db/embedded.ts");
    const database = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres"), logger: log });
    cleanups.push(() => database.stop());
    childEnv.DATABASE_URL = database.connectionString;
  }
  Object.assign(process.env, childEnv);
  const env = parseEnv(process.env);

  // This process runs the worker. When PostgreSQL runs on this machine, the worker's database
  // sessions get the worker's lower priority too (see lowerWorkerPriority).
  const { lowerBackendPriority } = await import("../lib/db/backend-priority.ts");
  const { onDatabaseConnect } = await import("../lib/db/client.ts");
  const onConnect = lowerBackendPriority(WORKER_NICENESS, log);
  onDatabaseConnect(onConnect);

  const { applyMigrations } = await import("../lib/db/migrate.ts");
  const { installJobQueue, startWorker } = await import("../lib/queue/worker.ts");
  const migrations = await applyMigrations({ connectionString: childEnv.DATABASE_URL!, logger: log });
  if (migrations.applied.length > 0) log.info({ applied: migrations.applied }, "Database migrated");
  await installJobQueue(childEnv.DATABASE_URL!);

  if (env.configFile) {
    const { loadConfigFile } = await import("../lib/config-file/load.ts");
    const { applyConfigFile } = await import("../lib/config-file/apply.ts");
    const { getPrisma } = await import("../lib/db/client.ts");
    const config = await loadConfigFile(env.configFile);
    await applyConfigFile({ prisma: getPrisma(), config, encryptionKey: env.encryptionKey!, file: env.configFile, log });
  }

  if (mode === "demo") buildIfStale();
  if (mode === "start" && !existsSync(path.join(root, ".next", "BUILD_ID"))) {
    throw new Error("No production build found: run `npm run build` before `npm start`.");
  }

  const worker = await startWorker({ connectionString: childEnv.DATABASE_URL!, log: log.child({ scope: "worker" }), onConnect });
  cleanups.push(() => worker.stop());

  const next = startNext(mode === "dev" ? "dev" : "start", host, port, childEnv);
  cleanups.push(() => stopChild(next));
  await waitForHealth(`http://127.0.0.1:${port}/api/health`, next);
  lowerWorkerPriority();

  printBanner(appUrl, urls);
}

/**
 * Lowers this process's CPU priority (nice 10) once the Next.js server and PostgreSQL, started
 * earlier, keep theirs. When the CPU is saturated, acknowledging Slack and PagerDuty then wins over
 * the delivery worker, whose backlog the durable queue absorbs. In one trial of `npm run bench` on
 * two cores, webhook ingest went from about 30 % to 65 % of the Next.js floor's rate.
 */
function lowerWorkerPriority(): void {
  try {
    os.setPriority(0, WORKER_NICENESS);
  } catch (error) {
    log.info({ err: error }, "Could not lower the worker's CPU priority; it keeps the default");
  }
}

async function startSandboxFor(input: {
  appUrl: string;
  dataDir: string;
  secrets: Awaited<ReturnType<typeof import("../lib/runtime/local-secrets.ts").loadLocalSecrets>>;
  childEnv: Record<string, string>;
}): Promise<Record<string, string>> {
  const { startSandbox } = await import("../sandbox/index.ts");
  const { secrets, childEnv } = input;
  const sandbox = await startSandbox({
    appUrl: input.appUrl,
    slackPort: Number(process.env.SANDBOX_SLACK_PORT || 3100),
    pagerdutyPort: Number(process.env.SANDBOX_PAGERDUTY_PORT || 3200),
    slackSigningSecret: secrets.sandboxSlackSigningSecret,
    slackBotToken: secrets.sandboxSlackBotToken,
    slackClientId: secrets.sandboxSlackClientId,
    slackClientSecret: secrets.sandboxSlackClientSecret,
    pagerdutyApiToken: secrets.sandboxPagerdutyApiToken,
    pagerdutyWebhookSecret: secrets.sandboxPagerdutyWebhookSecret,
    logger: log.child({ scope: "sandbox" }),
  });
  cleanups.push(() => sandbox.close());

  Object.assign(childEnv, {
    SLACK_API_URL: sandbox.slack.apiUrl,
    SLACK_SIGNING_SECRET: secrets.sandboxSlackSigningSecret,
    SLACK_CLIENT_ID: secrets.sandboxSlackClientId,
    SLACK_CLIENT_SECRET: secrets.sandboxSlackClientSecret,
    PAGERDUTY_API_URL: sandbox.pagerduty.url,
    PAGERDUTY_API_TOKEN: secrets.sandboxPagerdutyApiToken,
    PAGERDUTY_WEBHOOK_SECRET: secrets.sandboxPagerdutyWebhookSecret,
    SANDBOX_SLACK_BOT_TOKEN: secrets.sandboxSlackBotToken,
  });
  // Switchboard writes its own notes to PagerDuty in the name of the seeded Account Owner.
  childEnv.PAGERDUTY_FROM_EMAIL ||= "olivia.owner@example.com";
  if (!process.env.SWITCHBOARD_CONFIG) {
    childEnv.SWITCHBOARD_CONFIG = await writeDemoConfig(input.dataDir);
  }
  return { "Fake Slack": `${sandbox.slack.url}/`, "Fake PagerDuty": `${sandbox.pagerduty.url}/` };
}

/** The demo's configuration: the sandbox workspace, one extension and every seeded person linked. */
async function writeDemoConfig(dataDir: string): Promise<string> {
  const { SLACK_TEAM, SLACK_BOT, PEOPLE, DEMO_EXTENSION } = await import("../sandbox/seed.ts");
  const YAML = (await import("yaml")).default;
  const config = {
    workspaces: [{ teamId: SLACK_TEAM.id, name: SLACK_TEAM.name, botToken: "${SANDBOX_SLACK_BOT_TOKEN}", botUserId: SLACK_BOT.userId }],
    extensions: [{ ...DEMO_EXTENSION, updates: [...DEMO_EXTENSION.updates], teamId: SLACK_TEAM.id }],
    userLinks: PEOPLE.filter((person) => person.slackUserId && person.pagerdutyUserId).map((person) => ({
      teamId: SLACK_TEAM.id,
      slackUserId: person.slackUserId,
      pagerdutyUserId: person.pagerdutyUserId,
      email: person.email,
    })),
  };
  const file = path.join(dataDir, "demo-config.yaml");
  await writeFile(file, `# Written by npm run demo: the sandbox workspace, one extension and linked users.\n${YAML.stringify(config)}`);
  return file;
}

function newestSourceTime(): number {
  let newest = 0;
  const visit = (entry: string) => {
    if (!existsSync(entry)) return;
    const stats = statSync(entry);
    if (stats.isDirectory()) {
      for (const child of readdirSync(entry)) if (child !== "generated" && child !== "node_modules") visit(path.join(entry, child));
    } else {
      newest = Math.max(newest, stats.mtimeMs);
    }
  };
  for (const entry of ["app", "components", "lib", "public", "next.config.mjs", "package-lock.json", "postcss.config.mjs"]) visit(path.join(root, entry));
  return newest;
}

function buildIfStale(): void {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= newestSourceTime()) return;
  // Written straight to stdout so it comes before the build's own output.
  process.stdout.write("Building Switchboard (next build); this takes a minute or two the first time.\n");
  const result = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], { stdio: "inherit", env: process.env });
  if (result.status !== 0) throw new Error("next build failed; see the output above.");
}

/**
 * Gives the production server a V8 heap limit of 192 MiB. Left alone, V8 sizes its heap from the
 * machine's memory (about 4 GiB here) and lets garbage pile up under load; the server's live data
 * is far smaller, so the limit keeps its resident size under 400 MB at the cost of more frequent,
 * short collections. At 256 MiB it still peaked at 386 MiB in the benchmark. NODE_OPTIONS with its
 * own --max-old-space-size wins.
 */
function nextEnv(command: "start" | "dev", env: Record<string, string>): Record<string, string> {
  const heapLimitMb = 192;
  const options = env.NODE_OPTIONS ?? "";
  if (command === "dev" || options.includes("--max-old-space-size")) return env;
  return { ...env, NODE_OPTIONS: `${options} --max-old-space-size=${heapLimitMb}`.trim() };
}

function startNext(command: "start" | "dev", host: string, port: number, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), command, "-H", host, "-p", String(port)], {
    stdio: ["ignore", "inherit", "inherit"],
    env: nextEnv(command, env) as NodeJS.ProcessEnv,
  });
  child.on("exit", (code, signal) => {
    if (!shuttingDown) {
      log.error({ code, signal }, "The Next.js server exited");
      void shutdown(code ?? 1);
    }
  });
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timeout = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timeout);
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error("The Next.js server exited before it became healthy");
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Switchboard did not become healthy at ${url} within two minutes`);
}

function printBanner(appUrl: string, urls: Record<string, string>): void {
  const lines = [`Switchboard       ${appUrl}/`, ...Object.entries(urls).map(([name, url]) => `${name.padEnd(17)} ${url}`)];
  const hint =
    mode === "start"
      ? "Press Ctrl+C to stop."
      : "Trigger an incident on the fake PagerDuty page, then watch it in #incidents on the fake Slack page. Press Ctrl+C to stop.";
  console.log(`\n${lines.join("\n")}\n\n${hint}\n`);
}
