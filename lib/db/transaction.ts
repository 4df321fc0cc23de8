import type pg from "pg";
import type { SqlRunner } from "../queue/jobs";
import { prepared } from "./prepared";

export interface TransactionOptions {
  /**
   * False lets COMMIT return before PostgreSQL has flushed the transaction to disk
   * (synchronous_commit off): a crash of PostgreSQL may then lose it, whole. Only for work that
   * is redone from durable data after such a loss.
   */
  waitForFlush?: boolean;
}

export interface Transaction {
  /**
   * Runs `part` after a savepoint. When it throws, only its own statements are rolled back, the
   * transaction goes on, and the error is thrown again.
   */
  savepoint<R>(part: () => Promise<R>): Promise<R>;
}

/**
 * Runs `work` in one PostgreSQL transaction on a connection of `pool`, and commits when it returns.
 * The worker's hot paths use it instead of Prisma's interactive transactions, whose per-query
 * overhead was about 40 % of the worker's CPU for each incident. `work` gets a runner with the
 * `$queryRawUnsafe` signature, so that helpers written for Prisma's raw queries run on it too. Its
 * statements are prepared once per connection, so their SQL texts must be fixed.
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  work: (sql: SqlRunner, transaction: Transaction) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const client = await pool.connect();
  const sql: SqlRunner = {
    async $queryRawUnsafe<R = unknown>(query: string, ...values: unknown[]): Promise<R> {
      const result = await client.query(prepared(query, values));
      return result.rows as R;
    },
  };
  const transaction: Transaction = {
    async savepoint<R>(part: () => Promise<R>): Promise<R> {
      await client.query("SAVEPOINT part");
      try {
        const result = await part();
        await client.query("RELEASE SAVEPOINT part");
        return result;
      } catch (error) {
        await client.query("ROLLBACK TO SAVEPOINT part");
        throw error;
      }
    },
  };
  let broken = false;
  try {
    await client.query("BEGIN");
    if (options.waitForFlush === false) await client.query("SET LOCAL synchronous_commit = off");
    const result = await work(sql, transaction);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    // A connection that cannot even roll back is closed instead of going back to the pool.
    await client.query("ROLLBACK").catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Runs each statement on its own on a connection of `pool`, for helpers that take a SqlRunner. */
export function poolRunner(pool: pg.Pool): SqlRunner {
  return {
    async $queryRawUnsafe<R = unknown>(query: string, ...values: unknown[]): Promise<R> {
      const result = await pool.query(query, values);
      return result.rows as R;
    },
  };
}
