import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, inject } from "vitest";
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

/**
 * Registers hooks that give the test file a migrated database as the app's own (DATABASE_URL):
 * `seed` fills it first, and after the file's tests the app's clients close and it is dropped.
 */
export function useAppDatabase(seed: (client: pg.Client) => Promise<void>): void {
  let database: TestDatabase | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await seed(client);
    } finally {
      await client.end();
    }
    process.env.DATABASE_URL = database.url;
  });

  afterAll(async () => {
    const { closeDatabaseClients } = await import("../../lib/db/client");
    await closeDatabaseClients();
    await database?.drop();
  });
}

/**
 * Registers hooks that give the test file a migrated database with graphile-worker's schema, and
 * returns a pool on it once the hooks have run. The pool ends and the database is dropped after
 * the file's tests.
 */
export function useJobQueueDatabase(options: { maxConnections?: number } = {}): { readonly pool: pg.Pool; readonly url: string } {
  let database: TestDatabase | undefined;
  let pool: pg.Pool | undefined;

  beforeAll(async () => {
    const { installJobQueue } = await import("../../lib/queue/worker");
    database = await createTestDatabase();
    await installJobQueue(database.url);
    pool = new pg.Pool({ connectionString: database.url, max: options.maxConnections ?? 2 });
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  const created = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("The test database is created in beforeAll: use it inside a test or hook.");
    return value;
  };
  return {
    get pool() {
      return created(pool);
    },
    get url() {
      return created(database).url;
    },
  };
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
