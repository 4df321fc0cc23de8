import { getEnv } from "../config/env";

/**
 * Builds a link that opens a channel in Slack. Against Slack itself that is Slack's app_redirect
 * URL; when SLACK_API_URL points at a local fake Slack, it is that fake's page for the channel.
 */
export function slackChannelUrl(input: { slackTeamId: string; slackChannelId: string }, slackApiUrl = getEnv().slackApiUrl): string {
  const api = new URL(slackApiUrl);
  const channel = encodeURIComponent(input.slackChannelId);
  if (api.hostname === "slack.com" || api.hostname.endsWith(".slack.com")) {
    return `https://slack.com/app_redirect?team=${encodeURIComponent(input.slackTeamId)}&channel=${channel}`;
  }
  return `${api.origin}/client/${channel}`;
}
