import pg from "pg";
import { hashPassword } from "../lib/auth/password";
import { startTestStack } from "../tests/support/stack";

/**
 * Starts PostgreSQL, the sandbox and the built app for the browser tests, and creates the owner
 * account of that Switchboard, as the first start would, so that other people can sign in. The URLs
 * reach the tests through environment variables, which Playwright passes to its workers.
 */
export default async function globalSetup() {
  const stack = await startTestStack();
  process.env.E2E_APP_URL = stack.appUrl;
  process.env.E2E_SLACK_URL = stack.slackUrl;
  process.env.E2E_PAGERDUTY_URL = stack.pagerdutyUrl;
  process.env.E2E_DATABASE_URL = stack.databaseUrl;

  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO app_user (id, email, name, password_hash, is_owner, updated_at)
       VALUES (gen_random_uuid(), 'switchboard.owner@example.com', 'Switchboard Owner', $1, true, now())`,
      [await hashPassword(`owner-${Date.now()}-${Math.random()}`)],
    );
  } finally {
    await client.end();
  }
  return () => stack.stop();
}
