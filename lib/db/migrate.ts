import { createHash, randomUUID } from "node:crypto";
import type { Dirent } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import type { Logger } from "pino";
import { scopedLogger } from "../log";

/**
 * Applies the SQL migrations in prisma/migrations without the Prisma CLI, recording them in
 * `_prisma_migrations` the way `prisma migrate deploy` does, so either tool can take over.
 *
 * Differences from `prisma migrate deploy` (Prisma 6 and 7):
 * - Each migration runs in a transaction together with the row update that marks it finished, unless
 *   its SQL has its own BEGIN/COMMIT (Prisma's enum rewrites do). A migration that fails inside the
 *   transaction is rolled back and recorded as rolled back, so the next start applies it again.
 * - A migration whose migration.sql changed after it was applied is rejected (Prisma only checks this
 *   in `migrate dev`).
 */

/** The advisory lock key of Prisma Migrate (prisma-engines, flavour/postgres.rs), so Switchboard and
 *  `prisma migrate deploy` never apply migrations to one database at the same time. */
export const MIGRATION_LOCK_KEY = 72707369;

export const MIGRATIONS_TABLE = "_prisma_migrations";

// Prisma's definition of the table, from prisma-engines (flavour/postgres.rs, create_migrations_table).
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);
`;

const DEFAULT_LOCK_TIMEOUT_MS = 10 * 60_000;

export type MigrationErrorCode =
  | "invalid_migrations_dir"
  | "provider_mismatch"
  | "database_not_empty"
  | "lock_timeout"
  | "failed_migration_recorded"
  | "checksum_mismatch"
  | "migration_failed";

export class MigrationError extends Error {
  readonly code: MigrationErrorCode;
  readonly migrationName: string | undefined;

  constructor(code: MigrationErrorCode, message: string, options: { migrationName?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "MigrationError";
    this.code = code;
    this.migrationName = options.migrationName;
  }
}

export interface ApplyMigrationsOptions {
  connectionString: string;
  /** Folder in Prisma's layout (`<name>/migration.sql`); defaults to prisma/migrations under the working directory. */
  migrationsDir?: string;
  logger?: Logger;
  /** How long to wait for another process that is applying migrations. Defaults to 10 minutes. */
  lockTimeoutMs?: number;
}

export interface LocalMigration {
  name: string;
  script: string;
  /** sha256 of the migration.sql bytes, lowercase hex, as Prisma stores it. */
  checksum: string;
}

interface MigrationRecord {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
}

/**
 * Applies the pending migrations of `migrationsDir` in name order and returns their names. Several
 * processes may call it at once: a session advisory lock lets one apply each migration while the
 * others wait, and they then find nothing left to apply.
 */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<{ applied: string[] }> {
  const log = options.logger ?? scopedLogger("migrate");
  const migrationsDir = path.resolve(options.migrationsDir ?? "prisma/migrations");
  const local = await readMigrationsDir(migrationsDir);

  const client = new pg.Client({ connectionString: options.connectionString, application_name: "switchboard-migrate" });
  // Without a listener, a connection error outside a query would end the process.
  client.on("error", (error) => log.error({ err: error }, "migration connection failed"));
  await client.connect();
  try {
    await acquireLock(client, options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, log);
    try {
      return { applied: await applyPending(client, local, log) };
    } finally {
      // Ending the session releases the lock too, so a failed unlock only needs a log line.
      await client
        .query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY])
        .catch((error: unknown) => log.warn({ err: error }, "could not release the migration lock"));
    }
  } finally {
    await client.end();
  }
}

/** Reads `<name>/migration.sql` of every folder in `migrationsDir`, sorted by name as Prisma sorts them. */
export async function readMigrationsDir(migrationsDir: string): Promise<LocalMigration[]> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(migrationsDir, { withFileTypes: true });
  } catch (error) {
    throw new MigrationError("invalid_migrations_dir", `Cannot read the migrations folder ${migrationsDir}.`, {
      cause: error,
    });
  }

  await checkLockFile(migrationsDir);

  // The default sort compares UTF-16 code units, which orders ASCII names as Prisma's byte-wise sort does.
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

  const migrations: LocalMigration[] = [];
  for (const name of names) {
    const file = path.join(migrationsDir, name, "migration.sql");
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(file);
    } catch (error) {
      throw new MigrationError("invalid_migrations_dir", `Migration ${name} has no readable ${file}.`, {
        migrationName: name,
        cause: error,
      });
    }
    migrations.push({ name, script: bytes.toString("utf8"), checksum: sha256Hex(bytes) });
  }
  return migrations;
}

async function checkLockFile(migrationsDir: string): Promise<void> {
  let text: string;
  try {
    text = await fs.readFile(path.join(migrationsDir, "migration_lock.toml"), "utf8");
  } catch {
    return;
  }
  const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(text)?.[1];
  if (provider !== undefined && provider !== "postgresql") {
    throw new MigrationError(
      "provider_mismatch",
      `${path.join(migrationsDir, "migration_lock.toml")} is for provider "${provider}", but Switchboard uses "postgresql".`,
    );
  }
}

async function acquireLock(client: pg.Client, timeoutMs: number, log: Logger): Promise<void> {
  const attempt = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [
    MIGRATION_LOCK_KEY,
  ]);
  if (attempt.rows[0]?.locked) return;

  log.info({ lockKey: MIGRATION_LOCK_KEY }, "waiting for another process to finish applying migrations");
  await client.query(`SET lock_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
  } catch (error) {
    // 55P03 lock_not_available: lock_timeout expired.
    if (error instanceof pg.DatabaseError && error.code === "55P03") {
      throw new MigrationError(
        "lock_timeout",
        `Another process held the migration lock (pg_advisory_lock(${MIGRATION_LOCK_KEY})) for more than ${timeoutMs} ms. ` +
          `Find it with: SELECT pid, application_name FROM pg_stat_activity JOIN pg_locks USING (pid) ` +
          `WHERE locktype = 'advisory' AND objid = ${MIGRATION_LOCK_KEY};`,
        { cause: error },
      );
    }
    throw error;
  } finally {
    await client.query("RESET lock_timeout");
  }
}

async function applyPending(client: pg.Client, local: LocalMigration[], log: Logger): Promise<string[]> {
  await ensureMigrationsTable(client);
  const records = (
    await client.query<MigrationRecord>(
      `SELECT id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at
         FROM _prisma_migrations ORDER BY started_at, migration_name`,
    )
  ).rows;

  rejectFailedMigrations(records);
  rejectChangedMigrations(local, records);
  warnAboutUnknownMigrations(local, records, log);

  const applied = new Set(records.filter((record) => record.rolled_back_at === null).map((r) => r.migration_name));
  const pending = local.filter((migration) => !applied.has(migration.name));
  if (pending.length === 0) {
    log.debug({ migrations: local.length }, "database schema is up to date");
    return [];
  }

  const names: string[] = [];
  for (const migration of pending) {
    await applyOne(client, migration, log);
    names.push(migration.name);
  }
  return names;
}

/**
 * Creates `_prisma_migrations` in an empty schema. Like Prisma (error P3005), rejects a schema that
 * already has tables but no migration history, because the migrations would collide with them.
 */
async function ensureMigrationsTable(client: pg.Client): Promise<void> {
  const tables = (
    await client.query<{ name: string; schema: string | null }>(
      `SELECT c.relname AS name, current_schema() AS schema
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()`,
    )
  ).rows;
  if (tables.some((table) => table.name === MIGRATIONS_TABLE)) return;

  if (tables.length > 0) {
    const names = tables.map((table) => table.name).sort();
    throw new MigrationError(
      "database_not_empty",
      `Schema "${tables[0]?.schema}" already has tables (${names.slice(0, 5).join(", ")}${names.length > 5 ? ", …" : ""}) ` +
        `but no ${MIGRATIONS_TABLE} table. Give Switchboard its own empty database.`,
    );
  }
  await client.query(CREATE_MIGRATIONS_TABLE);
}

function rejectFailedMigrations(records: MigrationRecord[]): void {
  const failed = records.filter((record) => record.finished_at === null && record.rolled_back_at === null);
  const first = failed[0];
  if (!first) return;

  const details = failed
    .map((record) => {
      const logs = record.logs?.trim() ? ` with these logs:\n${record.logs.trim()}` : "";
      return `Migration ${record.migration_name} started at ${record.started_at.toISOString()} and did not finish${logs}`;
    })
    .join("\n");
  const ids = failed.map((record) => `'${record.id}'`).join(", ");
  throw new MigrationError(
    "failed_migration_recorded",
    `${details}\n` +
      `No further migrations are applied until this is resolved. Check whether its changes are in the database: ` +
      `a migration that Switchboard ran in a transaction left none, one with its own BEGIN/COMMIT or run by the ` +
      `Prisma CLI may be partly applied. Repair the database if needed, then mark the attempt rolled back so that ` +
      `it is applied again:\n` +
      `UPDATE "${MIGRATIONS_TABLE}" SET rolled_back_at = now() WHERE id IN (${ids});`,
    { migrationName: first.migration_name },
  );
}

function rejectChangedMigrations(local: LocalMigration[], records: MigrationRecord[]): void {
  for (const migration of local) {
    const finished = records.filter(
      (record) =>
        record.migration_name === migration.name && record.finished_at !== null && record.rolled_back_at === null,
    );
    if (finished.length === 0) continue;
    const matches = finished.some(
      (record) => record.checksum === migration.checksum || scriptMatchesChecksum(migration.script, record.checksum),
    );
    if (matches) continue;

    throw new MigrationError(
      "checksum_mismatch",
      `Migration ${migration.name} was modified after it was applied: the checksum of its migration.sql is ` +
        `${migration.checksum}, but the database recorded ${finished[0]?.checksum}. ` +
        `Restore the original migration.sql (for example with git checkout) and put the change in a new migration.`,
      { migrationName: migration.name },
    );
  }
}

function warnAboutUnknownMigrations(local: LocalMigration[], records: MigrationRecord[], log: Logger): void {
  const localNames = new Set(local.map((migration) => migration.name));
  const unknown = records.filter((record) => record.rolled_back_at === null && !localNames.has(record.migration_name));
  if (unknown.length > 0) {
    log.warn(
      { migrations: unknown.map((record) => record.migration_name) },
      "the database has migrations that this version of Switchboard does not know; it may be older than the database",
    );
  }
}

async function applyOne(client: pg.Client, migration: LocalMigration, log: Logger): Promise<void> {
  const id = randomUUID();
  const startedAt = Date.now();
  const ownTransaction = hasOwnTransactionControl(migration.script);
  log.info({ migration: migration.name, ownTransaction }, "applying migration");

  // Recorded before the script runs, outside its transaction, so that a process killed in the middle
  // leaves an unfinished row behind.
  await client.query(
    `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`,
    [id, migration.checksum, migration.name],
  );

  const markFinished = `UPDATE _prisma_migrations
      SET finished_at = clock_timestamp(), applied_steps_count = applied_steps_count + 1 WHERE id = $1`;
  try {
    if (ownTransaction) {
      await client.query(migration.script);
      await client.query(markFinished, [id]);
    } else {
      await client.query("BEGIN");
      await client.query(migration.script);
      await client.query(markFinished, [id]);
      await client.query("COMMIT");
    }
  } catch (error) {
    // Also ends a transaction that the script itself opened and left aborted.
    await client.query("ROLLBACK").catch(() => undefined);
    await recordFailure(client, id, error, !ownTransaction).catch((recordError: unknown) =>
      log.error({ err: recordError, migration: migration.name }, "could not record the failed migration"),
    );
    log.error({ err: error, migration: migration.name }, "migration failed");
    throw migrationFailedError(migration.name, id, error, !ownTransaction);
  }
  log.info({ migration: migration.name, durationMs: Date.now() - startedAt }, "applied migration");
}

async function recordFailure(client: pg.Client, id: string, error: unknown, rolledBack: boolean): Promise<void> {
  await client.query(
    `UPDATE _prisma_migrations SET logs = $2, rolled_back_at = CASE WHEN $3 THEN now() END WHERE id = $1`,
    [id, describeDatabaseError(error), rolledBack],
  );
}

function migrationFailedError(name: string, id: string, error: unknown, rolledBack: boolean): MigrationError {
  const reason = describeDatabaseError(error);
  const next = rolledBack
    ? `Its changes were rolled back. Fix the cause; the next start applies it again.`
    : `It manages its own transactions, so it may be partly applied. Repair the database, then mark the attempt ` +
      `rolled back so that it is applied again:\nUPDATE "${MIGRATIONS_TABLE}" SET rolled_back_at = now() WHERE id = '${id}';`;
  return new MigrationError("migration_failed", `Migration ${name} failed:\n${reason}\n${next}`, {
    migrationName: name,
    cause: error,
  });
}

/** Formats an error as Prisma writes it to the `logs` column. */
function describeDatabaseError(error: unknown): string {
  if (error instanceof pg.DatabaseError) {
    const position = error.position ? ` (at character ${error.position})` : "";
    return `Database error code: ${error.code}\n\nDatabase error:\n${error.message}${position}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Reports whether a script has top-level BEGIN, START TRANSACTION or COMMIT statements, which would
 * end a transaction opened around it. A COMMIT inside a procedure body also matches; such a script
 * then runs without the surrounding transaction, as the Prisma CLI runs every script.
 */
export function hasOwnTransactionControl(script: string): boolean {
  return /^\s*(?:BEGIN|START\s+TRANSACTION|COMMIT)(?:\s+(?:WORK|TRANSACTION))?\s*;/im.test(script);
}

function sha256Hex(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * Compares a script with a recorded checksum as Prisma does (schema-connector checksum.rs): line
 * endings may differ (git may check files out with CRLF), and old Prisma versions wrote checksums
 * without zero padding.
 */
function scriptMatchesChecksum(script: string, checksum: string): boolean {
  const variants = [script, script.replaceAll("\r\n", "\n"), script.replaceAll("\n", "\r\n")];
  return variants.some((variant) => {
    const digest = createHash("sha256").update(variant, "utf8").digest();
    const hex =
      checksum.length === 64
        ? digest.toString("hex")
        : Array.from(digest, (byte) => byte.toString(16)).join("");
    return hex === checksum;
  });
}
