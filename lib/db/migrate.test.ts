import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, MIGRATIONS_DIR, type TestDatabase } from "../../tests/support/database";
import { applyMigrations, hasOwnTransactionControl, MigrationError, readMigrationsDir } from "./migrate";

const quietLogger = pino({ level: "silent" });
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function emptyDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase({ migrate: false });
  cleanups.push(database.drop);
  return database;
}

/** Writes migrations in Prisma's layout to a new temporary folder. */
async function migrationsFolder(migrations: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "switchboard-migrations-"));
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.writeFile(path.join(dir, "migration_lock.toml"), 'provider = "postgresql"\n');
  for (const [name, sql] of Object.entries(migrations)) await writeMigration(dir, name, sql);
  return dir;
}

async function writeMigration(dir: string, name: string, sql: string): Promise<void> {
  await fs.mkdir(path.join(dir, name), { recursive: true });
  await fs.writeFile(path.join(dir, name, "migration.sql"), sql);
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

async function tableExists(url: string, table: string): Promise<boolean> {
  const rows = await query<{ exists: boolean }>(url, "SELECT to_regclass($1) IS NOT NULL AS exists", [table]);
  return rows[0]?.exists === true;
}

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

function migrationRows(url: string): Promise<MigrationRow[]> {
  return query<MigrationRow>(url, "SELECT * FROM _prisma_migrations ORDER BY started_at, migration_name");
}

async function expectMigrationError(promise: Promise<unknown>): Promise<MigrationError> {
  const error = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(MigrationError);
  return error as MigrationError;
}

describe("applyMigrations", () => {
  it("applies prisma/migrations to a fresh database", async () => {
    const database = await emptyDatabase();
    const local = await readMigrationsDir(MIGRATIONS_DIR);
    expect(local.length).toBeGreaterThan(0);

    const result = await applyMigrations({ connectionString: database.url, migrationsDir: MIGRATIONS_DIR, logger: quietLogger });

    expect(result.applied).toEqual(local.map((migration) => migration.name));
    const rows = await migrationRows(database.url);
    expect(rows.map((row) => row.migration_name)).toEqual(local.map((migration) => migration.name));
    for (const row of rows) {
      const bytes = await fs.readFile(path.join(MIGRATIONS_DIR, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(bytes).digest("hex"));
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    expect(await tableExists(database.url, "slack_workspace")).toBe(true);
  });

  it("creates _prisma_migrations with Prisma's columns", async () => {
    const database = await emptyDatabase();
    await applyMigrations({ connectionString: database.url, migrationsDir: MIGRATIONS_DIR, logger: quietLogger });

    const columns = await query(
      database.url,
      `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
         FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: "id", data_type: "character varying", character_maximum_length: 36, is_nullable: "NO", column_default: null },
      { column_name: "checksum", data_type: "character varying", character_maximum_length: 64, is_nullable: "NO", column_default: null },
      { column_name: "finished_at", data_type: "timestamp with time zone", character_maximum_length: null, is_nullable: "YES", column_default: null },
      { column_name: "migration_name", data_type: "character varying", character_maximum_length: 255, is_nullable: "NO", column_default: null },
      { column_name: "logs", data_type: "text", character_maximum_length: null, is_nullable: "YES", column_default: null },
      { column_name: "rolled_back_at", data_type: "timestamp with time zone", character_maximum_length: null, is_nullable: "YES", column_default: null },
      { column_name: "started_at", data_type: "timestamp with time zone", character_maximum_length: null, is_nullable: "NO", column_default: "now()" },
      { column_name: "applied_steps_count", data_type: "integer", character_maximum_length: null, is_nullable: "NO", column_default: "0" },
    ]);
    const primaryKey = await query(
      database.url,
      `SELECT conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint
        WHERE conrelid = '_prisma_migrations'::regclass AND contype = 'p'`,
    );
    expect(primaryKey).toEqual([{ conname: "_prisma_migrations_pkey", definition: "PRIMARY KEY (id)" }]);
  });

  it("applies nothing on a second run", async () => {
    const database = await emptyDatabase();
    await applyMigrations({ connectionString: database.url, migrationsDir: MIGRATIONS_DIR, logger: quietLogger });
    const rowsBefore = await migrationRows(database.url);

    const second = await applyMigrations({ connectionString: database.url, migrationsDir: MIGRATIONS_DIR, logger: quietLogger });

    expect(second.applied).toEqual([]);
    expect(await migrationRows(database.url)).toEqual(rowsBefore);
  });

  it("applies each migration once under concurrency", async () => {
    const database = await emptyDatabase();
    const dir = await migrationsFolder({
      // Keeps the first caller inside the lock long enough for the others to queue behind it.
      "00000000000000_slow": "SELECT pg_sleep(1);\n",
    });
    for (const migration of await readMigrationsDir(MIGRATIONS_DIR)) {
      await writeMigration(dir, migration.name, migration.script);
    }
    const names = (await readMigrationsDir(dir)).map((migration) => migration.name);

    const waitingMessages: string[] = [];
    const recordingLogger = pino(
      { level: "info" },
      { write: (line: string) => void waitingMessages.push(JSON.parse(line).msg as string) },
    );
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () =>
        applyMigrations({ connectionString: database.url, migrationsDir: dir, logger: recordingLogger }),
      ),
    );

    const rejected = results.filter((result) => result.status === "rejected");
    expect(rejected).toEqual([]);
    const appliedNames = results.flatMap((result) => (result.status === "fulfilled" ? result.value.applied : []));
    expect([...appliedNames].sort()).toEqual(names);
    const rows = await migrationRows(database.url);
    expect(rows.map((row) => row.migration_name).sort()).toEqual(names);
    for (const row of rows) expect(row.finished_at).toBeInstanceOf(Date);
    expect(waitingMessages).toContain("waiting for another process to finish applying migrations");
  });

  it("rejects an edited applied migration", async () => {
    const database = await emptyDatabase();
    const dir = await migrationsFolder({ "20240101000000_first": "CREATE TABLE first_table (id INTEGER);\n" });
    await applyMigrations({ connectionString: database.url, migrationsDir: dir, logger: quietLogger });
    await fs.appendFile(path.join(dir, "20240101000000_first", "migration.sql"), "CREATE INDEX ON first_table (id);\n");
    await writeMigration(dir, "20240102000000_second", "CREATE TABLE second_table (id INTEGER);\n");

    const error = await expectMigrationError(
      applyMigrations({ connectionString: database.url, migrationsDir: dir, logger: quietLogger }),
    );

    expect(error.code).toBe("checksum_mismatch");
    expect(error.migrationName).toBe("20240101000000_first");
    expect(error.message).toContain("20240101000000_first");
    expect(error.message).toContain("new migration");
    expect(await tableExists(database.url, "second_table")).toBe(false);
  });

  it("accepts CRLF line endings", async () => {
    const database = await emptyDatabase();
    const dir = await migrationsFolder({ "20240101000000_first": "CREATE TABLE first_table (id INTEGER);\nSELECT 1;\n" });
    await applyMigrations({ connectionString: database.url, migrationsDir: dir, logger: quietLogger });
    await fs.writeFile(
      path.join(dir, "20240101000000_first", "migration.sql"),
      "CREATE TABLE first_table (id INTEGER);\r\nSELECT 1;\r\n",
    );

    const result = await applyMigrations({ connectionString: database.url, migrationsDir: dir, logger: quietLogger });

    expect(result.applied).toEqual([]);
  });

  it("rejects an unfinished recorded migration", async () => {
    const database = await emptyDatabase();
    const dir = await migrationsFolder({ "20240101000000_first": "CREATE TABLE first_table (id INTEGER);\n" });
    await applyMigrations({ connectionString: database.url, migrationsDir: dir, logger: quietLogger });
    // What a process killed in the middle of a migration leaves behind.
    await writeMigration(dir, "20240102000000_second", "CREATE TABLE second_table (id INTEGER);\n");
    await query(
      database.url,
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs) VALUES ($1, $2, $3, NULL)`,
      ["6f1c1e8e-8a53-4d43-9a0f-0d8f1b0f6a11", "0".repeat(64), "20240102000000_second"],
    );
    await writeMigration(dir, "20240103000000_third", "CREATE TABLE third_table (id INTEGER);\n");

    const error = await expectMigrationError(
      applyMigrations({ connectionString: database.url, migrationsDir: dir, logger: quietLogger }),
    );

    expect(error.code).toBe("failed_migration_recorded");
    expect(error.migrationName).toBe("20240102000000_second");
    expect(error.message).toContain("20240102000000_second");
    expect(await tableExists(database.url, "third_table")).toBe(false);

    // The statement that the message gives resolves it.
    const resolution = /^UPDATE .*;$/m.exec(error.message)?.[0];
    expect(resolution).toBeDefined();
    await query(database.url, resolution!);
    const retry = await applyMigrations({ connectionString: database.url, migrationsDir: dir, logger: quietLogger });
    expect(retry.applied).toEqual(["20240102000000_second", "20240103000000_third"]);
  });

  it("rolls back and retries a failing migration", async () => {
    const database = await emptyDatabase();
    const dir = await migrationsFolder({
      "20240101000000_broken": "CREATE TABLE half_done (id INTEGER);\nSELECT 1 / 0;\n",
    });

    const error = await expectMigrationError(
      applyMigrations({ connectionString: database.url, migrationsDir: dir, logger: quietLogger }),
    );

    expect(error.code).toBe("migration_failed");
    expect(error.message).toContain("20240101000000_broken");
    expect(error.message).toContain("division by zero");
    expect(await tableExists(database.url, "half_done")).toBe(false);
    const [failed] = await migrationRows(database.url);
    expect(failed?.finished_at).toBeNull();
    expect(failed?.rolled_back_at).toBeInstanceOf(Date);
    expect(failed?.logs).toContain("Database error code: 22012");

    await writeMigration(dir, "20240101000000_broken", "CREATE TABLE half_done (id INTEGER);\n");
    const retry = await applyMigrations({ connectionString: database.url, migrationsDir: dir, logger: quietLogger });

    expect(retry.applied).toEqual(["20240101000000_broken"]);
    expect(await tableExists(database.url, "half_done")).toBe(true);
  });

  it("runs a migration with its own COMMIT", async () => {
    const database = await emptyDatabase();
    const dir = await migrationsFolder({
      "20240101000000_enum": "CREATE TYPE mood AS ENUM ('ok');\n",
      "20240102000000_rewrite":
        "BEGIN;\nCREATE TYPE mood_new AS ENUM ('ok', 'great');\nDROP TYPE mood;\nALTER TYPE mood_new RENAME TO mood;\nCOMMIT;\n",
    });

    const result = await applyMigrations({ connectionString: database.url, migrationsDir: dir, logger: quietLogger });

    expect(result.applied).toEqual(["20240101000000_enum", "20240102000000_rewrite"]);
    const labels = await query(database.url, "SELECT unnest(enum_range(NULL::mood))::text AS label");
    expect(labels).toEqual([{ label: "ok" }, { label: "great" }]);
    for (const row of await migrationRows(database.url)) {
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it("keeps a failed self-managed migration failed", async () => {
    const database = await emptyDatabase();
    const dir = await migrationsFolder({
      "20240101000000_own_transaction": "BEGIN;\nCREATE TABLE inside (id INTEGER);\nSELECT 1 / 0;\nCOMMIT;\n",
    });

    const error = await expectMigrationError(
      applyMigrations({ connectionString: database.url, migrationsDir: dir, logger: quietLogger }),
    );

    expect(error.code).toBe("migration_failed");
    expect(error.message).toContain("may be partly applied");
    const [failed] = await migrationRows(database.url);
    expect(failed?.finished_at).toBeNull();
    expect(failed?.rolled_back_at).toBeNull();
    const next = await expectMigrationError(
      applyMigrations({ connectionString: database.url, migrationsDir: dir, logger: quietLogger }),
    );
    expect(next.code).toBe("failed_migration_recorded");
  });

  it("rejects tables without migration history", async () => {
    const database = await emptyDatabase();
    await query(database.url, "CREATE TABLE someone_elses (id INTEGER)");

    const error = await expectMigrationError(
      applyMigrations({ connectionString: database.url, migrationsDir: MIGRATIONS_DIR, logger: quietLogger }),
    );

    expect(error.code).toBe("database_not_empty");
    expect(error.message).toContain("someone_elses");
    expect(await tableExists(database.url, "_prisma_migrations")).toBe(false);
  });

  it("rejects another provider's migrations", async () => {
    const database = await emptyDatabase();
    const dir = await migrationsFolder({});
    await fs.writeFile(path.join(dir, "migration_lock.toml"), 'provider = "mysql"\n');

    const error = await expectMigrationError(
      applyMigrations({ connectionString: database.url, migrationsDir: dir, logger: quietLogger }),
    );

    expect(error.code).toBe("provider_mismatch");
  });
});

describe("hasOwnTransactionControl", () => {
  it.each([
    ["BEGIN;\nALTER TYPE a RENAME TO b;\nCOMMIT;\n", true],
    ["-- AlterEnum\nbegin transaction;\nselect 1;\ncommit work;\n", true],
    ["START TRANSACTION;\nSELECT 1;\nCOMMIT;\n", true],
    ["CREATE TABLE a (id INTEGER);\n", false],
    ["DO $$\nBEGIN\n  PERFORM 1;\nEND;\n$$;\n", false],
    ["CREATE TABLE begin_log (id INTEGER);\n", false],
  ])("detects transaction control in %j", (script, expected) => {
    expect(hasOwnTransactionControl(script)).toBe(expected);
  });
});
