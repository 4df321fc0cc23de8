import type { TestProject } from "vitest/node";
import { startTestStack } from "../support/stack";

/** Starts PostgreSQL, the sandbox and the built app once for all integration tests. */
export default async function setup(project: TestProject) {
  const stack = await startTestStack();
  project.provide("appUrl", stack.appUrl);
  project.provide("slackUrl", stack.slackUrl);
  project.provide("pagerdutyUrl", stack.pagerdutyUrl);
  project.provide("databaseUrl", stack.databaseUrl);
  project.provide("slackSigningSecret", stack.slackSigningSecret);
  project.provide("pagerdutyApiToken", stack.pagerdutyApiToken);
  project.provide("pagerdutyWebhookSecret", stack.pagerdutyWebhookSecret);
  return () => stack.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    appUrl: string;
    slackUrl: string;
    pagerdutyUrl: string;
    databaseUrl: string;
    slackSigningSecret: string;
    pagerdutyApiToken: string;
    pagerdutyWebhookSecret: string;
  }
}
