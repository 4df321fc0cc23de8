// Starts the sandbox alone: the fake Slack and the fake PagerDuty on 127.0.0.1, with the secrets kept
// in .data/secrets.json (the same ones `npm run demo` uses). It prints the environment that points a
// separately started Switchboard at the fakes.
import path from "node:path";
import pino from "pino";
import { parseEnv } from "../lib/config/env.ts";
import { loadLocalSecrets } from "../lib/runtime/local-secrets.ts";
import { startSandbox } from "./index.ts";

const log = pino({ level: process.env.LOG_LEVEL || "info", base: { app: "switchboard", scope: "sandbox" } });

const env = parseEnv(process.env);
const secrets = await loadLocalSecrets(path.resolve(env.dataDir));
const sandbox = await startSandbox({
  appUrl: env.appUrl,
  slackPort: Number(process.env.SANDBOX_SLACK_PORT || 3100),
  pagerdutyPort: Number(process.env.SANDBOX_PAGERDUTY_PORT || 3200),
  slackSigningSecret: secrets.sandboxSlackSigningSecret,
  slackBotToken: secrets.sandboxSlackBotToken,
  slackClientId: secrets.sandboxSlackClientId,
  slackClientSecret: secrets.sandboxSlackClientSecret,
  pagerdutyApiToken: secrets.sandboxPagerdutyApiToken,
  pagerdutyWebhookSecret: secrets.sandboxPagerdutyWebhookSecret,
  logger: log,
});

console.log(`
Fake Slack        ${sandbox.slack.url}/
Fake PagerDuty    ${sandbox.pagerduty.url}/
Sending to        ${env.appUrl}

Point Switchboard at the sandbox with:
  SLACK_API_URL=${sandbox.slack.apiUrl}
  SLACK_SIGNING_SECRET=<sandboxSlackSigningSecret in .data/secrets.json>
  PAGERDUTY_API_URL=${sandbox.pagerduty.url}
  PAGERDUTY_API_TOKEN=<sandboxPagerdutyApiToken in .data/secrets.json>
  PAGERDUTY_WEBHOOK_SECRET=<sandboxPagerdutyWebhookSecret in .data/secrets.json>
(npm run demo and npm run dev do this for you.) Press Ctrl+C to stop.
`);

const stop = async () => {
  await sandbox.close();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
