import { startTestStack } from "../tests/support/stack";

/**
 * Starts PostgreSQL, the sandbox and the built app for the browser tests. The URLs reach the tests
 * through environment variables, which Playwright passes to its workers.
 */
export default async function globalSetup() {
  const stack = await startTestStack();
  process.env.E2E_APP_URL = stack.appUrl;
  process.env.E2E_SLACK_URL = stack.slackUrl;
  process.env.E2E_PAGERDUTY_URL = stack.pagerdutyUrl;
  process.env.E2E_DATABASE_URL = stack.databaseUrl;
  return () => stack.stop();
}
