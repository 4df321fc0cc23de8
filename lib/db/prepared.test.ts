import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../tests/support/database";
import { prepared } from "./prepared";

let database: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});

afterAll(async () => {
  await client.end();
  await database.drop();
});

describe("prepared", () => {
  it("prepares one statement per text", async () => {
    const text = "SELECT $1::int + 1 AS next";
    expect(prepared(text, [1]).name).toBe(prepared(text, [2]).name);
    expect(prepared("SELECT 2").name).not.toBe(prepared("SELECT 3").name);

    expect((await client.query(prepared(text, [1]))).rows).toEqual([{ next: 2 }]);
    expect((await client.query(prepared(text, [41]))).rows).toEqual([{ next: 42 }]);
    const statements = await client.query<{ name: string }>("SELECT name FROM pg_prepared_statements");
    expect(statements.rows.map((row) => row.name)).toEqual([prepared(text).name]);
  });
});
