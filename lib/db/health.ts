import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Pool } from "pg";

export type HealthResult = { ok: true } | { ok: false; reason: string };

/** The migrations this build expects, from prisma/migrations beside the app. */
async function expectedMigrations(): Promise<string[]> {
  const entries = await readdir(path.join(process.cwd(), "prisma", "migrations"), { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}

/** Healthy once the database answers, every migration is applied and the job queue is installed. */
export async function checkHealth(pool: Pool): Promise<HealthResult> {
  try {
    const expected = await expectedMigrations();
    const applied = await pool.query<{ migration_name: string }>(
      `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const done = new Set(applied.rows.map((row) => row.migration_name));
    const missing = expected.filter((name) => !done.has(name));
    if (missing.length > 0) return { ok: false, reason: `Migrations not applied yet: ${missing.join(", ")}` };
    const queue = await pool.query<{ installed: boolean }>(`SELECT to_regproc('graphile_worker.add_job') IS NOT NULL AS installed`);
    if (!queue.rows[0]?.installed) return { ok: false, reason: "The job queue schema is not installed yet" };
    return { ok: true };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "42P01") return { ok: false, reason: "Migrations not applied yet" };
    return { ok: false, reason: `Database unreachable: ${error instanceof Error ? error.message : String(error)}` };
  }
}
