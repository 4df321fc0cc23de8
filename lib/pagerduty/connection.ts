import { getEnv } from "../config/env";
import { PagerDutyClient } from "./client";

let cached: { token: string; client: PagerDutyClient } | undefined;

/** The client for the configured PagerDuty account, or null when no API token is configured. */
export function getPagerDutyClient(): PagerDutyClient | null {
  const env = getEnv();
  const token = env.pagerdutyApiToken;
  if (!token) return null;
  if (cached?.token !== token) cached = { token, client: new PagerDutyClient({ apiUrl: env.pagerdutyApiUrl, apiToken: token }) };
  return cached.client;
}
