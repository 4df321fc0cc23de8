import pg from "pg";

let pool;

/** Returns the floor's pg pool, with pg's default size of 10 connections, as Switchboard's getPool(). */
export function getPool() {
  pool ??= new pg.Pool({ connectionString: process.env.DATABASE_URL });
  return pool;
}
