import type { Provider } from "next-auth/providers/index";

/**
 * "Sign in with Slack" (OpenID Connect), available when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are
 * set. Its authorize and OpenID URLs derive from SLACK_API_URL's origin, so the fake Slack serves them.
 * Returns null when no Slack app is configured.
 */
export function slackSignInProvider(): Provider | null {
  // TODO: implement with the sign-in pages.
  return null;
}
