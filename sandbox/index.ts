import type { Logger } from "pino";
import { startFakePagerDuty, type FakePagerDuty } from "./pagerduty/server";
import { startFakeSlack, type FakeSlack } from "./slack/server";

export interface SandboxOptions {
  /** Switchboard's base URL: where the fakes send webhooks, interactions, events and commands. */
  appUrl: string;
  slackPort?: number;
  pagerdutyPort?: number;
  slackSigningSecret: string;
  slackBotToken: string;
  slackClientId?: string;
  slackClientSecret?: string;
  pagerdutyApiToken: string;
  pagerdutyWebhookSecret: string;
  logger?: Logger;
}

export interface Sandbox {
  slack: FakeSlack;
  pagerduty: FakePagerDuty;
  close(): Promise<void>;
}

/** Starts the fake Slack and the fake PagerDuty on 127.0.0.1, wired to send to Switchboard. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const slack = await startFakeSlack({
    port: options.slackPort ?? 0,
    appUrl: options.appUrl,
    signingSecret: options.slackSigningSecret,
    botToken: options.slackBotToken,
    clientId: options.slackClientId,
    clientSecret: options.slackClientSecret,
    logger: options.logger,
  });
  let pagerduty: FakePagerDuty;
  try {
    pagerduty = await startFakePagerDuty({
      port: options.pagerdutyPort ?? 0,
      apiToken: options.pagerdutyApiToken,
      webhookUrl: `${options.appUrl}/api/pagerduty/webhooks`,
      webhookSecret: options.pagerdutyWebhookSecret,
      logger: options.logger,
    });
  } catch (error) {
    await slack.close();
    throw error;
  }
  return {
    slack,
    pagerduty,
    async close() {
      await Promise.allSettled([slack.close(), pagerduty.close()]);
    },
  };
}
