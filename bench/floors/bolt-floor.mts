// The Bolt floor: a minimal @slack/bolt app whose action listener stores the payload in one INSERT
// before ack(). authorize is static, so Bolt calls nothing outside this machine.
// Usage: node --import tsx bench/floors/bolt-floor.mts (PORT, DATABASE_URL, SLACK_SIGNING_SECRET).
import { App, LogLevel } from "@slack/bolt";
import pg from "pg";
import { INSERT_FLOOR_EVENT_SQL } from "./ack-core.mjs";
import { requireEnv } from "../support/require-env.ts";

const env = requireEnv(["PORT", "DATABASE_URL", "SLACK_SIGNING_SECRET"]);
const pool = new pg.Pool({ connectionString: env.DATABASE_URL });
pool.on("error", (error) => console.error("Bolt floor: idle database connection failed:", error.message));

const app = new App({
  signingSecret: env.SLACK_SIGNING_SECRET,
  authorize: async () => ({ botToken: "xoxb-bench-floor", botUserId: "U0BENCHBOT", botId: "B0BENCHBOT" }),
  logLevel: LogLevel.ERROR,
  customRoutes: [{ path: "/health", method: ["GET"], handler: (_request, response) => void response.writeHead(200).end("ok") }],
});

app.action(/.*/, async ({ ack, body }) => {
  const triggerId = "trigger_id" in body && typeof body.trigger_id === "string" ? body.trigger_id : null;
  if (triggerId) await pool.query({ ...INSERT_FLOOR_EVENT_SQL, values: ["bolt-slack", triggerId, JSON.stringify(body)] });
  await ack();
});

await app.start({ port: Number(env.PORT), host: "127.0.0.1" });
console.log(`Bolt floor listening on 127.0.0.1:${env.PORT}`);

process.on("SIGTERM", () => {
  void app
    .stop()
    .then(() => pool.end())
    .finally(() => process.exit(0));
});
