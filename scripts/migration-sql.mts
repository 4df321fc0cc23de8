// Prints the SQL of a migration for prisma/schema.prisma, as Prisma generates it, or writes it as a
// new migration folder. Run with `npm run db:diff -- [options]` (the script is tsx scripts/migration-sql.mts).
//
// To add a migration after changing prisma/schema.prisma:
//   1. npm run db:diff -- --from-git HEAD --name add_something
//      writes prisma/migrations/<UTC timestamp>_add_something/migration.sql with the SQL that turns
//      the committed schema into the working copy. Use an older revision if the schema change is
//      already committed.
//   2. Read the SQL. Prisma warns in comments where a change may lose data.
//   3. npx vitest run --project unit lib/db/schema-matches.test.ts
//      proves that the migrations build exactly the database that the schema describes.
// Switchboard applies new migrations at start and with `npm run db:migrate`. Never edit a migration
// that a database has already applied, because Switchboard then stops with a checksum error.
//
// Options:
//   --from-empty          from an empty database, so the SQL creates the whole schema (the default)
//   --from-git REV        from the schema file as committed at git revision REV
//   --from-schema FILE    from another Prisma schema file
//   --schema FILE         the schema to reach (default: prisma/schema.prisma)
//   --name NAME           write prisma/migrations/<timestamp>_NAME/migration.sql instead of printing
//   --database-url URL    a PostgreSQL server whose version Prisma reads (default: a temporary
//                         embedded PostgreSQL, started and removed by this script)
//
// It runs Prisma 6.19's `migrate diff` with its WebAssembly engine (lib/db/schema-diff.ts), because
// the Prisma 7 CLI needs a native engine that it downloads.
import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startEmbeddedPostgres } from "../lib/db/embedded.ts";
import { diffSchemaSql, type DiffSource } from "../lib/db/schema-diff.ts";

const EMPTY_MIGRATION = "-- This is an empty migration.";
const repoRoot = path.resolve(import.meta.dirname, "..");

const { values } = parseArgs({
  options: {
    "from-empty": { type: "boolean" },
    "from-git": { type: "string" },
    "from-schema": { type: "string" },
    schema: { type: "string", default: path.join(repoRoot, "prisma/schema.prisma") },
    name: { type: "string" },
    "database-url": { type: "string" },
  },
});
const schemaPath = path.resolve(values.schema);

/** An error in the command line or its inputs: printed without a stack trace. */
class UsageError extends Error {}

try {
  await main();
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}

async function main(): Promise<void> {
  const sourceCount = [values["from-empty"], values["from-git"], values["from-schema"]].filter(Boolean).length;
  if (sourceCount > 1) throw new UsageError("Give at most one of --from-empty, --from-git and --from-schema.");
  if (values.name !== undefined && !/^[A-Za-z0-9_]+$/.test(values.name)) {
    throw new UsageError(
      `Invalid --name "${values.name}": use letters, digits and underscores, for example add_incident_notes.`,
    );
  }

  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), "switchboard-migration-sql-"));
  let stopServer: (() => Promise<void>) | undefined;
  try {
    const from = await diffSource(workDir);
    let connectionString = values["database-url"];
    if (!connectionString) {
      console.error("Starting a temporary PostgreSQL for Prisma's schema engine…");
      // As root, PostgreSQL runs as the "postgres" system user, which must be able to enter workDir.
      await fs.chmod(workDir, 0o711);
      const server = await startEmbeddedPostgres({ dataDir: path.join(workDir, "postgres") });
      stopServer = server.stop;
      connectionString = server.connectionString;
    }

    const sql = await diffSchemaSql({ from, schemaPath, connectionString });
    if (values.name === undefined) {
      process.stdout.write(sql);
    } else {
      await writeMigration(values.name, sql);
    }
  } finally {
    await stopServer?.();
    await fs.rm(workDir, { recursive: true, force: true });
  }
}

async function diffSource(dir: string): Promise<DiffSource> {
  if (values["from-schema"]) return { kind: "schema", path: path.resolve(values["from-schema"]) };

  const revision = values["from-git"];
  if (!revision) return { kind: "empty" };
  const relativeSchemaPath = path.relative(repoRoot, schemaPath).split(path.sep).join("/");
  let committed: string;
  try {
    committed = execFileSync("git", ["show", `${revision}:${relativeSchemaPath}`], { cwd: repoRoot, encoding: "utf8" });
  } catch {
    throw new UsageError(`Cannot read ${relativeSchemaPath} at git revision "${revision}".`);
  }
  const file = path.join(dir, "from.prisma");
  await fs.writeFile(file, committed);
  return { kind: "schema", path: file };
}

async function writeMigration(name: string, sql: string): Promise<void> {
  if (sql.trim() === EMPTY_MIGRATION || sql.trim() === "") {
    throw new UsageError("The schemas do not differ, so no migration was written.");
  }
  // Prisma's folder names: the UTC time as YYYYMMDDHHMMSS, an underscore, the name.
  const timestamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const folder = path.join(repoRoot, "prisma/migrations", `${timestamp}_${name}`);
  await fs.mkdir(folder);
  await fs.writeFile(path.join(folder, "migration.sql"), sql);
  console.log(`Wrote ${path.relative(process.cwd(), path.join(folder, "migration.sql"))}`);
}
