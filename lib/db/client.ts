import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { scopedLogger } from "../log";
import { PrismaClient } from "./generated/client";

/**
 * The process's database clients, built on first use from DATABASE_URL. They are kept on globalThis
 * so that Next.js dev-mode reloads, which evaluate this module again, reuse them rather than opening
 * new connections on every edit.
 */

interface DatabaseClients {
  prisma?: PrismaClient;
  pool?: pg.Pool;
}

const globalKey = Symbol.for("switchboard.db.clients");
const clients: DatabaseClients = ((globalThis as Record<symbol, DatabaseClients | undefined>)[globalKey] ??= {});

function databaseUrl(): string {
  const url = process.env.DATABASE_URL?.trim();
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set: it must be the postgresql:// connection string of Switchboard's database.",
    );
  }
  return url;
}

/** Returns the process's Prisma client. */
export function getPrisma(): PrismaClient {
  clients.prisma ??= new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl() }) });
  return clients.prisma;
}

/** Returns the process's pg pool, for raw SQL on hot paths. It connects to the same database as getPrisma(). */
export function getPool(): pg.Pool {
  if (!clients.pool) {
    const pool = new pg.Pool({ connectionString: databaseUrl() });
    // An idle connection that breaks (for example when PostgreSQL restarts) is reported here, because
    // without a listener the error would end the process. The pool replaces the connection on next use.
    pool.on("error", (error) => scopedLogger("db").error({ err: error }, "idle database connection failed"));
    clients.pool = pool;
  }
  return clients.pool;
}

/** Closes both clients if they were opened, for example at shutdown or at the end of a test file. */
export async function closeDatabaseClients(): Promise<void> {
  const { prisma, pool } = clients;
  clients.prisma = undefined;
  clients.pool = undefined;
  await Promise.all([prisma?.$disconnect(), pool?.end()]);
}
