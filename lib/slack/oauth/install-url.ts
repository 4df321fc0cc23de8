import { BOT_SCOPE_NAMES } from "./scopes";

/** Returns the OAuth redirect URL to register in the Slack app ("Redirect URLs" under OAuth & Permissions). */
export function installRedirectUri(appUrl: string): string {
  return `${appUrl.replace(/\/+$/, "")}/api/slack/oauth/callback`;
}

/**
 * Builds Slack's "Add to Slack" URL. It lives on the origin of the Web API base
 * (https://slack.com/api/ gives https://slack.com/oauth/v2/authorize), so a fake Slack serves it too.
 */
export function buildInstallUrl(input: {
  slackApiUrl: string;
  clientId: string;
  redirectUri: string;
  state: string;
  scopes?: readonly string[];
}): string {
  const url = new URL("/oauth/v2/authorize", new URL(input.slackApiUrl).origin);
  url.searchParams.set("client_id", input.clientId);
  url.searchParams.set("scope", (input.scopes ?? BOT_SCOPE_NAMES).join(","));
  url.searchParams.set("redirect_uri", input.redirectUri);
  url.searchParams.set("state", input.state);
  return url.toString();
}
