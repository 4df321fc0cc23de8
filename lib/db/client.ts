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
  /** The pool under the Prisma client. */
  prismaPool?: pg.Pool;
  pool?: pg.Pool;
  /** Called with each new connection of both clients; see onDatabaseConnect. */
  onConnect?: (client: pg.ClientBase) => void;
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

/**
 * Sets a listener for every connection the process's clients open from now on. The launcher uses
 * it to run the worker's database sessions at the worker's lower CPU priority.
 */
export function onDatabaseConnect(listener: (client: pg.ClientBase) => void): void {
  clients.onConnect = listener;
}

function newPool(): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl() });
  pool.on("connect", (client) => clients.onConnect?.(client));
  // An idle connection that breaks (for example when PostgreSQL restarts) is reported here, because
  // without a listener the error would end the process. The pool replaces the connection on next use.
  pool.on("error", (error) => scopedLogger("db").error({ err: error }, "idle database connection failed"));
  return pool;
}

/** Returns the process's Prisma client. */
export function getPrisma(): PrismaClient {
  if (!clients.prisma) {
    clients.prismaPool = newPool();
    clients.prisma = new PrismaClient({ adapter: new PrismaPg(clients.prismaPool) });
  }
  return clients.prisma;
}

/** Returns the process's pg pool, for raw SQL on hot paths. It connects to the same database as getPrisma(). */
export function getPool(): pg.Pool {
  clients.pool ??= newPool();
  return clients.pool;
}

/** Closes both clients if they were opened, for example at shutdown or at the end of a test file. */
export async function closeDatabaseClients(): Promise<void> {
  const { prisma, prismaPool, pool } = clients;
  clients.prisma = undefined;
  clients.prismaPool = undefined;
  clients.pool = undefined;
  await prisma?.$disconnect();
  // Prisma's adapter ends a pool it was given only when it disposes of it, which $disconnect may not do.
  await Promise.all([prismaPool && !prismaPool.ended ? prismaPool.end() : undefined, pool?.end()]);
}
