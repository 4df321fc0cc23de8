import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../tests/support/database";
import { closeDatabaseClients, getPool, getPrisma } from "./client";

describe("database clients", () => {
  const savedUrl = process.env.DATABASE_URL;
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  }, 60_000);

  afterEach(async () => {
    await closeDatabaseClients();
    // Assigning undefined would store the string "undefined".
    if (savedUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = savedUrl;
  });

  afterAll(async () => {
    await database.drop();
  });

  it("reject a missing DATABASE_URL", () => {
    process.env.DATABASE_URL = "";

    expect(() => getPrisma()).toThrow(/DATABASE_URL is not set/);
    expect(() => getPool()).toThrow(/DATABASE_URL is not set/);
  });

  it("are created once per process", () => {
    process.env.DATABASE_URL = database.url;

    expect(getPrisma()).toBe(getPrisma());
    expect(getPool()).toBe(getPool());
  });

  it("reach the same database", async () => {
    process.env.DATABASE_URL = database.url;

    await getPrisma().appSetting.create({ data: { key: "client-test", value: "written by Prisma" } });
    const result = await getPool().query<{ value: string }>("SELECT value FROM app_setting WHERE key = $1", [
      "client-test",
    ]);

    expect(result.rows).toEqual([{ value: "written by Prisma" }]);
  });
});
