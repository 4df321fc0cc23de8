import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from "./embedded";

const CHILD_SCRIPT = path.resolve(import.meta.dirname, "../../tests/support/embedded-postgres-child.mts");
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function temporaryDataDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "switchboard-embedded-test-"));
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

async function start(dataDir: string, options: { port?: number; messages?: string[] } = {}) {
  const logger = pino({ level: "info" }, { write: (line: string) => void options.messages?.push(JSON.parse(line).msg) });
  const server = await startEmbeddedPostgres({ dataDir, port: options.port, logger });
  cleanups.push(() => server.stop());
  return server;
}

async function query<T extends pg.QueryResultRow>(server: EmbeddedPostgresServer, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: server.connectionString });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function postmasterPid(dataDir: string): Promise<number> {
  const text = await fs.readFile(path.join(dataDir, "pgdata", "postmaster.pid"), "utf8");
  return Number.parseInt(text.split("\n")[0] ?? "", 10);
}

function spawnChild(dataDir: string, mode: "serve" | "exit-code" | "exit") {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD_SCRIPT, dataDir, mode], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return child;
}

function exitCodeOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

/** Starts the embedded server in another process and resolves once it printed its port. */
function startInChildProcess(dataDir: string): Promise<ChildProcess> {
  const child = spawnChild(dataDir, "serve");
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (/^ready \d+$/m.test(output)) resolve(child);
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.once("exit", (code) => reject(new Error(`child process exited with code ${code}:\n${output}`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

describe("startEmbeddedPostgres", () => {
  it("keeps data across a restart without initdb", { timeout: 60_000 }, async () => {
    const dataDir = await temporaryDataDir();
    const messages: string[] = [];
    const first = await start(dataDir, { messages });
    await query(first, "CREATE TABLE kept (value TEXT); INSERT INTO kept VALUES ('hello')");
    const versionFile = await fs.stat(path.join(dataDir, "pgdata", "PG_VERSION"));
    const firstPid = await postmasterPid(dataDir);
    expect(messages).toContain("initializing a new PostgreSQL cluster");

    await first.stop();

    expect(isAlive(firstPid)).toBe(false);
    await expect(query(first, "SELECT 1")).rejects.toThrow(/ECONNREFUSED/);

    messages.length = 0;
    const second = await start(dataDir, { messages });

    expect(messages).not.toContain("initializing a new PostgreSQL cluster");
    expect(messages).toContain("embedded PostgreSQL started");
    expect(second.port).toBe(first.port);
    expect(second.connectionString).toBe(first.connectionString);
    expect((await fs.stat(path.join(dataDir, "pgdata", "PG_VERSION"))).mtimeMs).toBe(versionFile.mtimeMs);
    expect(await query(second, "SELECT value FROM kept")).toEqual([{ value: "hello" }]);
  });

  describe("a started server", () => {
    let dataDir: string;
    let server: EmbeddedPostgresServer;

    beforeAll(async () => {
      dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "switchboard-embedded-test-"));
      server = await startEmbeddedPostgres({ dataDir });
    }, 60_000);

    afterAll(async () => {
      await server?.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    });

    it("serves the switchboard database on 127.0.0.1", async () => {
      const [row] = await query<{ database: string; user: string; address: string }>(
        server,
        "SELECT current_database() AS database, current_user AS user, inet_server_addr()::text AS address",
      );

      expect(row?.database).toBe("switchboard");
      expect(row?.user).toBe("switchboard");
      expect(row?.address).toBe("127.0.0.1/32");
      expect(new URL(server.connectionString).hostname).toBe("127.0.0.1");
    });

    it("keeps the password in a private file", async () => {
      const stateFile = path.join(dataDir, "server.json");

      const stat = await fs.stat(stateFile);
      const state = JSON.parse(await fs.readFile(stateFile, "utf8")) as { password: string };

      expect(stat.mode & 0o777).toBe(0o600);
      expect(state.password.length).toBeGreaterThanOrEqual(32);
      expect(decodeURIComponent(new URL(server.connectionString).password)).toBe(state.password);
    });
  });

  it("listens on the requested port", { timeout: 60_000 }, async () => {
    const dataDir = await temporaryDataDir();
    const port = await freePort();

    const server = await start(dataDir, { port });

    expect(server.port).toBe(port);
    expect(new URL(server.connectionString).port).toBe(String(port));
    expect(await query(server, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
  });

  it("removes a stale postmaster.pid", { timeout: 60_000 }, async () => {
    const dataDir = await temporaryDataDir();
    const first = await start(dataDir);
    await first.stop();
    const exited = spawn(process.execPath, ["-e", ""]);
    const deadPid = await new Promise<number>((resolve) => exited.once("exit", () => resolve(exited.pid ?? 0)));
    const pidFile = path.join(dataDir, "pgdata", "postmaster.pid");
    await fs.writeFile(pidFile, `${deadPid}\n${path.join(dataDir, "pgdata")}\n0\n${first.port}\n\n127.0.0.1\n`);
    const messages: string[] = [];

    const second = await start(dataDir, { messages });

    expect(messages).toContain("removing postmaster.pid of a PostgreSQL server that is no longer running");
    expect(await query(second, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
    expect(await postmasterPid(dataDir)).not.toBe(deadPid);
  });

  it("takes over from a killed process", { timeout: 90_000 }, async () => {
    const dataDir = await temporaryDataDir();
    const child = await startInChildProcess(dataDir);
    const orphanPid = await postmasterPid(dataDir);

    await expect(start(dataDir)).rejects.toThrow(`is in use by process ${child.pid}`);

    child.kill("SIGKILL");
    await waitUntil(() => child.exitCode !== null || child.signalCode !== null, 10_000, "the child process to exit");
    expect(isAlive(orphanPid)).toBe(true);
    const messages: string[] = [];

    const server = await start(dataDir, { messages });

    expect(messages).toContain("shutting down a PostgreSQL server left running by a process that was killed");
    expect(isAlive(orphanPid)).toBe(false);
    expect(await postmasterPid(dataDir)).not.toBe(orphanPid);
    expect(await query(server, "SELECT current_database() AS database")).toEqual([{ database: "switchboard" }]);
  });

  it("keeps the exit code of its process", { timeout: 60_000 }, async () => {
    const dataDir = await temporaryDataDir();

    const child = spawnChild(dataDir, "exit-code");

    expect(await exitCodeOf(child)).toBe(3);
  });

  it("stops the server when its process exits", { timeout: 60_000 }, async () => {
    const dataDir = await temporaryDataDir();
    const pidFile = path.join(dataDir, "pgdata", "postmaster.pid");
    cleanups.push(async () => {
      // Ends a server that the child process left running, so a failure here leaves nothing behind.
      const pid = await postmasterPid(dataDir).catch(() => undefined);
      if (pid !== undefined && isAlive(pid)) process.kill(pid, "SIGKILL");
    });

    const child = spawnChild(dataDir, "exit");

    expect(await exitCodeOf(child)).toBe(0);
    // PostgreSQL removes postmaster.pid when it has shut down.
    await waitUntil(
      async () => !(await fs.stat(pidFile).then(() => true, () => false)),
      10_000,
      "PostgreSQL to shut down and remove postmaster.pid",
    );
  });
});
