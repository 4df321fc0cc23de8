import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../tests/support/database";
import { diffSchemaSql } from "./schema-diff";

/**
 * Proves that prisma/migrations builds the database that prisma/schema.prisma describes: the SQL
 * that Prisma generates for the schema is applied to an empty database, and a catalog dump of it
 * must equal the dump of a database built by the migrations.
 */

const SCHEMA_PATH = path.resolve(import.meta.dirname, "../../prisma/schema.prisma");
const databases: TestDatabase[] = [];

async function withClient<T>(url: string, action: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

async function databaseFromSql(sql: string): Promise<TestDatabase> {
  const database = await createTestDatabase({ migrate: false });
  databases.push(database);
  await withClient(database.url, (client) => client.query(sql));
  return database;
}

/**
 * Lists the schema objects of the current schema as sorted text lines: enums with their labels in
 * order, columns with type, nullability and default, constraints (primary, unique, foreign keys with
 * their actions, checks), indexes and sequences. Prisma's own _prisma_migrations table is left out.
 */
async function dumpCatalog(url: string): Promise<string[]> {
  return withClient(url, async (client) => {
    const lines: string[] = [];
    const enums = await client.query<{ name: string; labels: string[] }>(
      `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
         FROM pg_type t
         JOIN pg_enum e ON e.enumtypid = t.oid
         JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = current_schema()
        GROUP BY t.typname`,
    );
    for (const row of enums.rows) lines.push(`enum ${row.name} (${row.labels.join(", ")})`);

    const columns = await client.query(
      `SELECT table_name, ordinal_position, column_name, data_type, udt_name, character_maximum_length,
              numeric_precision, numeric_scale, datetime_precision, is_nullable, column_default, is_identity
         FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations'`,
    );
    for (const row of columns.rows) lines.push(`column ${JSON.stringify(row)}`);

    const constraints = await client.query<{ table: string; name: string; type: string; definition: string }>(
      `SELECT c.conrelid::regclass::text AS table, c.conname AS name, c.contype AS type,
              pg_get_constraintdef(c.oid) AS definition
         FROM pg_constraint c
         JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE n.nspname = current_schema() AND c.conrelid <> 0 AND c.conrelid::regclass::text <> '_prisma_migrations'`,
    );
    for (const row of constraints.rows) {
      lines.push(`constraint ${row.table}.${row.name} ${row.type} ${row.definition}`);
    }

    const indexes = await client.query<{ name: string; definition: string }>(
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
        WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`,
    );
    for (const row of indexes.rows) lines.push(`index ${row.name} ${row.definition}`);

    const sequences = await client.query(
      `SELECT sequence_name, data_type, start_value, increment FROM information_schema.sequences
        WHERE sequence_schema = current_schema()`,
    );
    for (const row of sequences.rows) lines.push(`sequence ${JSON.stringify(row)}`);

    return lines.sort();
  });
}

describe("prisma/migrations", () => {
  let schemaSql: string;
  let expectedCatalog: string[];

  beforeAll(async () => {
    schemaSql = await diffSchemaSql({
      from: { kind: "empty" },
      schemaPath: SCHEMA_PATH,
      connectionString: inject("postgresAdminUrl"),
    });
    expectedCatalog = await dumpCatalog((await databaseFromSql(schemaSql)).url);
  }, 120_000);

  afterAll(async () => {
    for (const database of databases.splice(0)) await database.drop();
  });

  it("builds the database that schema.prisma describes", async () => {
    const migrated = await createTestDatabase();
    databases.push(migrated);

    const actualCatalog = await dumpCatalog(migrated.url);

    expect(expectedCatalog.length).toBeGreaterThan(50);
    expect(actualCatalog).toEqual(expectedCatalog);
  });

  // Each change must show in the dump; otherwise the comparison above could miss that kind of drift.
  it.each([
    ["a missing index", `DROP INDEX "incident_status_idx"`],
    ["another column default", `ALTER TABLE "slack_extension" ALTER COLUMN "notify_notes" SET DEFAULT false`],
    ["another nullability", `ALTER TABLE "incident" ALTER COLUMN "priority" SET NOT NULL`],
    ["another column type", `ALTER TABLE "incident" ALTER COLUMN "number" TYPE BIGINT`],
    ["another timestamp precision", `ALTER TABLE "incident" ALTER COLUMN "last_change_at" TYPE TIMESTAMPTZ(6)`],
    ["an extra enum value", `ALTER TYPE "DeliveryStatus" ADD VALUE 'cancelled'`],
    [
      "another foreign key action",
      `ALTER TABLE "thread_reply" DROP CONSTRAINT "thread_reply_incident_message_id_fkey",
       ADD CONSTRAINT "thread_reply_incident_message_id_fkey" FOREIGN KEY ("incident_message_id")
       REFERENCES "incident_message"("id") ON DELETE RESTRICT ON UPDATE CASCADE`,
    ],
    ["a unique index made plain", `DROP INDEX "linked_user_slack_team_id_slack_user_id_key";
       CREATE INDEX "linked_user_slack_team_id_slack_user_id_key" ON "linked_user"("slack_team_id", "slack_user_id")`],
  ])("notices %s", async (_change, alteration) => {
    const altered = await databaseFromSql(schemaSql);
    await withClient(altered.url, (client) => client.query(alteration));

    expect(await dumpCatalog(altered.url)).not.toEqual(expectedCatalog);
  });
});
