// Runs the fake Slack and the fake PagerDuty in a process of their own, so that the harness's
// polling and bookkeeping never delay their responses. Usage (the harness starts it):
// node --import tsx bench/support/fakes-process.mts with APP_URL, SLACK_PORT, PAGERDUTY_PORT,
// SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN and PAGERDUTY_API_TOKEN in the environment.
import pino from "pino";
import { startFakePagerDuty } from "../../sandbox/pagerduty/server.ts";
import { startFakeSlack } from "../../sandbox/slack/server.ts";
import { requireEnv } from "./require-env.ts";

const env = requireEnv(["APP_URL", "SLACK_PORT", "PAGERDUTY_PORT", "SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "PAGERDUTY_API_TOKEN"]);
const logger = pino({ level: "warn" });

const slack = await startFakeSlack({
  port: Number(env.SLACK_PORT),
  appUrl: env.APP_URL,
  signingSecret: env.SLACK_SIGNING_SECRET,
  botToken: env.SLACK_BOT_TOKEN,
  logger,
});
// No webhook subscription: the harness sends the webhooks itself, so it knows when each was sent.
const pagerduty = await startFakePagerDuty({ port: Number(env.PAGERDUTY_PORT), apiToken: env.PAGERDUTY_API_TOKEN, logger });
console.log(JSON.stringify({ slackUrl: slack.url, pagerdutyUrl: pagerduty.url }));

process.on("SIGTERM", () => {
  void Promise.allSettled([slack.close(), pagerduty.close()]).finally(() => process.exit(0));
});
