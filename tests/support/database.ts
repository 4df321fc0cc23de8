import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import pino from "pino";
import { inject } from "vitest";
import { applyMigrations } from "../../lib/db/migrate";

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");

export interface TestDatabase {
  /** Connection string of the new database. */
  url: string;
  /** Drops the database, closing connections that are still open to it. */
  drop(): Promise<void>;
}

/**
 * Creates a database with a unique name on the test run's PostgreSQL server and, unless
 * `migrate: false`, applies prisma/migrations to it.
 */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = inject("postgresAdminUrl");
  if (!adminUrl) {
    throw new Error("No test PostgreSQL: add tests/support/postgres-global-setup.ts to this vitest project's globalSetup.");
  }

  const name = `test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));

  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database: TestDatabase = {
    url: url.toString(),
    drop: async () => {
      await withAdminClient(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`),
      );
    },
  };

  if (options.migrate !== false) {
    try {
      await applyMigrations({
        connectionString: database.url,
        migrationsDir: MIGRATIONS_DIR,
        logger: pino({ level: "warn" }),
      });
    } catch (error) {
      await database.drop();
      throw error;
    }
  }
  return database;
}

async function withAdminClient<T>(adminUrl: string, action: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}
