import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

/**
 * Development tooling, not used at run time: prints the SQL that turns one database schema into
 * another, exactly as Prisma generates migrations.
 *
 * The Prisma 7 CLI needs a native schema engine that it downloads, so this runs `prisma migrate diff`
 * of Prisma 6.19 (the `prisma-diff` npm alias devDependency) with its WebAssembly schema engine
 * (`engine: "js"` in a generated prisma.config). That engine reads the server version through
 * @prisma/adapter-pg, so it needs a PostgreSQL connection, but it changes nothing there.
 *
 * NOTE: a live database cannot be the source. Prisma 6.19 rejects `--from-url` with an adapter, and
 * `--from-migrations` fails to read the shadow database ("Column type 'char' could not be deserialized"),
 * so a new migration is the diff from the previous schema file.
 */

export type DiffSource =
  /** An empty database: the SQL creates the whole schema. */
  | { kind: "empty" }
  /** Another Prisma schema file, for example the previous version of prisma/schema.prisma. */
  | { kind: "schema"; path: string };

export interface DiffSchemaSqlOptions {
  from: DiffSource;
  /** The Prisma schema to reach. */
  schemaPath: string;
  /** A PostgreSQL server whose version the schema engine reads. */
  connectionString: string;
  timeoutMs?: number;
}

const projectRequire = createRequire(import.meta.url);

// The generated config reads the connection from the environment, so no password is written to disk.
// A short idle timeout lets the CLI exit as soon as it is done, instead of after pg's default 10 s.
const CONFIG_SOURCE = `import { createRequire } from "node:module";
const { PrismaPg } = createRequire(process.env.SCHEMA_DIFF_RESOLVE_FROM)("@prisma/adapter-pg");
const poolConfig = { connectionString: process.env.DATABASE_URL, idleTimeoutMillis: 100 };
export default {
  experimental: { adapter: true },
  engine: "js",
  schema: "to.prisma",
  adapter: async () => new PrismaPg(poolConfig),
};
`;

/** Runs Prisma 6.19's `migrate diff --script` and returns the SQL it prints. */
export async function diffSchemaSql(options: DiffSchemaSqlOptions): Promise<string> {
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), "switchboard-schema-diff-"));
  try {
    await fs.writeFile(path.join(workDir, "prisma.config.mjs"), CONFIG_SOURCE);
    await writeSchemaWithUrl(options.schemaPath, path.join(workDir, "to.prisma"));

    const fromArguments = await sourceArguments(options.from, workDir);
    const cli = projectRequire.resolve("prisma-diff/build/index.js");
    const cliArguments = [
      cli,
      "migrate",
      "diff",
      "--config",
      path.join(workDir, "prisma.config.mjs"),
      ...fromArguments,
      "--to-schema-datamodel",
      path.join(workDir, "to.prisma"),
      "--script",
    ];
    return await runCli(cliArguments, workDir, options.connectionString, options.timeoutMs ?? 120_000);
  } finally {
    await fs.rm(workDir, { recursive: true, force: true });
  }
}

async function sourceArguments(source: DiffSource, workDir: string): Promise<string[]> {
  switch (source.kind) {
    case "empty":
      return ["--from-empty"];
    case "schema": {
      const fromPath = path.join(workDir, "from.prisma");
      await writeSchemaWithUrl(source.path, fromPath);
      return ["--from-schema-datamodel", fromPath];
    }
  }
}

/**
 * Copies a Prisma 7 schema for Prisma 6.19, which requires a `url` in the datasource block: Prisma 7
 * reads it from prisma.config.ts instead.
 */
async function writeSchemaWithUrl(sourcePath: string, targetPath: string): Promise<void> {
  const schema = await fs.readFile(sourcePath, "utf8");
  const datasource = /datasource\s+\w+\s*\{[^}]*\}/.exec(schema);
  if (!datasource) throw new Error(`${sourcePath} has no datasource block`);

  const block = datasource[0];
  const patched = /^\s*url\s*=/m.test(block) ? block : block.replace(/\}$/, '  url = env("DATABASE_URL")\n}');
  await fs.writeFile(targetPath, schema.replace(block, patched));
}

function runCli(cliArguments: string[], cwd: string, connectionString: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArguments, {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        DATABASE_URL: connectionString,
        SCHEMA_DIFF_RESOLVE_FROM: projectRequire.resolve("@prisma/adapter-pg"),
        CHECKPOINT_DISABLE: "1",
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
        // Prisma 6.19 downloads native engines at start unless these name existing files. With
        // engine "js", `migrate diff` loads neither, so any existing file does.
        PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
        PRISMA_QUERY_ENGINE_LIBRARY: process.execPath,
      },
    });

    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));

    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve(Buffer.concat(stdout).toString("utf8"));
        return;
      }
      const reason = timedOut ? `timed out after ${timeoutMs} ms` : `exited with ${signal ?? `code ${code}`}`;
      const output = Buffer.concat(stderr).toString("utf8").trim();
      reject(new Error(`prisma migrate diff ${reason}:\n${output}`));
    });
  });
}
