// Starts the embedded PostgreSQL of the folder given as first argument in a separate process, so
// that tests can see what a process leaves behind. The second argument picks what happens next:
//   serve (default)  print "ready <port>" and keep running until killed
//   exit-code        stop the server, set process.exitCode to 3 and let the process end
//   exit             print "ready <port>" and call process.exit(0) without stopping the server
import { startEmbeddedPostgres } from "../../lib/db/embedded.ts";

const [dataDir, mode = "serve"] = process.argv.slice(2);
if (!dataDir) {
  console.error("usage: embedded-postgres-child.mts DATA_DIR [serve|exit-code|exit]");
  process.exit(2);
}

const server = await startEmbeddedPostgres({ dataDir });
if (mode === "exit-code") {
  await server.stop();
  process.exitCode = 3;
} else if (mode === "exit") {
  console.log(`ready ${server.port}`);
  process.exit(0);
} else {
  console.log(`ready ${server.port}`);
  setInterval(() => undefined, 60_000);
}
