import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../lib/db/embedded";

/**
 * Vitest globalSetup: starts one embedded PostgreSQL for the test run, in a fresh folder under the
 * system temp directory that is removed afterwards, and provides its admin connection string as
 * `inject("postgresAdminUrl")`. With TEST_DATABASE_URL set, that server is used instead; its user
 * needs CREATEDB, because every test creates its own database (tests/support/database.ts).
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const externalUrl = process.env.TEST_DATABASE_URL?.trim();
  if (externalUrl) {
    project.provide("postgresAdminUrl", externalUrl);
    return undefined;
  }

  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "switchboard-test-postgres-"));
  try {
    const server = await startEmbeddedPostgres({ dataDir });
    const adminUrl = new URL(server.connectionString);
    adminUrl.pathname = "/postgres";
    project.provide("postgresAdminUrl", adminUrl.toString());

    return async () => {
      await server.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    };
  } catch (error) {
    await fs.rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    /** Connection string of a PostgreSQL user that may create databases, for tests/support/database.ts. */
    postgresAdminUrl: string;
  }
}
