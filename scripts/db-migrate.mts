// Applies the pending migrations of prisma/migrations to the database in DATABASE_URL and prints
// their names. Run with `npm run db:migrate`.
import path from "node:path";
import { applyMigrations, MigrationError } from "../lib/db/migrate.ts";
import { scopedLogger } from "../lib/log.ts";

const connectionString = process.env.DATABASE_URL?.trim();
if (!connectionString) {
  console.error(
    "DATABASE_URL is not set. Set it to the postgresql:// connection string of Switchboard's database, for example:\n" +
      "  DATABASE_URL=postgresql://switchboard:PASSWORD@127.0.0.1:5432/switchboard npm run db:migrate",
  );
  process.exit(1);
}

const migrationsDir = path.resolve(import.meta.dirname, "../prisma/migrations");
try {
  const { applied } = await applyMigrations({ connectionString, migrationsDir, logger: scopedLogger("migrate") });
  if (applied.length === 0) {
    console.log("No pending migrations: the database is up to date.");
  } else {
    console.log(`Applied ${applied.length} migration(s):\n${applied.map((name) => `  ${name}`).join("\n")}`);
  }
} catch (error) {
  if (!(error instanceof MigrationError)) throw error;
  console.error(error.message);
  process.exit(1);
}
