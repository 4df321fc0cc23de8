import { getEnv } from "../config/env";
import { getPagerDutySettings } from "../settings/pagerduty-settings";
import { PagerDutyClient } from "./client";

let cached: { token: string; client: PagerDutyClient } | undefined;

/**
 * The client for the configured PagerDuty account (API token from PAGERDUTY_API_TOKEN, or as saved
 * in Settings → PagerDuty), or null when no token is configured.
 */
export async function getPagerDutyClient(): Promise<PagerDutyClient | null> {
  const token = (await getPagerDutySettings()).apiToken.value;
  if (!token) return null;
  if (cached?.token !== token) cached = { token, client: new PagerDutyClient({ apiUrl: getEnv().pagerdutyApiUrl, apiToken: token }) };
  return cached.client;
}
