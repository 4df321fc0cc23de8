import { readFile } from "node:fs/promises";
import os from "node:os";
import type pg from "pg";
import type { Logger } from "pino";

/**
 * Returns a pool "connect" listener that gives the PostgreSQL backend process of each new
 * connection the CPU priority `niceness`. The launcher uses it for the worker's connections: a
 * worker at a lower priority whose queries ran in backends at the normal one would still take CPU
 * from the acknowledgements when the machine is saturated.
 *
 * Only a backend on this machine can be changed, and only one that is provably this connection's:
 * PostgreSQL's process title names the client's address and port, which must be this socket's. A
 * server on another host, in another container or behind a Unix socket is left alone.
 */
export function lowerBackendPriority(niceness: number, log: Logger): (client: pg.ClientBase) => void {
  let reported = false;
  return (client) => {
    // Both come from the connection itself (the backend's key data and the socket), so no query runs
    // on a client that the pool is about to hand out.
    const connection = client as unknown as { processID?: number; connection?: { stream?: { localPort?: number } } };
    const pid = connection.processID;
    const localPort = connection.connection?.stream?.localPort;
    if (!pid || !localPort || process.platform !== "linux") return;
    void readFile(`/proc/${pid}/cmdline`, "utf8")
      .catch(() => "")
      .then((title) => {
        if (!title.startsWith("postgres") || !title.includes(`(${localPort})`)) return;
        os.setPriority(pid, niceness);
      })
      .catch((error: unknown) => {
        if (reported) return;
        reported = true;
        log.info({ err: error }, "Could not lower the CPU priority of the worker's database sessions, so they keep the default");
      });
  };
}
