import os from "node:os";
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../tests/support/database";
import { lowerBackendPriority } from "./backend-priority";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

async function backendPid(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  return rows[0]!.pid;
}

describe.runIf(process.platform === "linux")("lowerBackendPriority", () => {
  it("lowers only its own pool's backends", async () => {
    const lowered = new pg.Pool({ connectionString: database.url, max: 2 });
    lowered.on("connect", lowerBackendPriority(7, pino({ level: "silent" })));
    const plain = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      const [first, second] = await Promise.all([lowered.connect(), lowered.connect()]);
      const pids = [await backendPid(first), await backendPid(second)];
      first.release();
      second.release();
      await expect.poll(() => pids.map((pid) => os.getPriority(pid)), { timeout: 5_000 }).toEqual([7, 7]);

      const other = await plain.connect();
      const otherPid = await backendPid(other);
      other.release();
      expect(os.getPriority(otherPid)).toBe(0);
    } finally {
      await Promise.all([lowered.end(), plain.end()]);
    }
  });
});
