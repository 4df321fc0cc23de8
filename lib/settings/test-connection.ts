import { scopedLogger } from "../log";
import { PagerDutyApiError, type PagerDutyClient } from "../pagerduty/client";
import { getPagerDutyClient } from "../pagerduty/connection";
import { SETTING_ENV_VARS, webhookUrl } from "./pagerduty-admin";
import { getPagerDutySettings } from "./pagerduty-settings";
import { findSwitchboardSubscription } from "./webhook-subscription";

const log = scopedLogger("settings");

export type CheckStatus = "ok" | "warning" | "failed" | "skipped";

export interface ConnectionCheck {
  key: "api_token" | "services" | "users" | "from_user" | "webhook_secret" | "webhook_subscription";
  label: string;
  status: CheckStatus;
  detail: string;
}

function describe(error: unknown): string {
  if (error instanceof PagerDutyApiError) {
    if (error.status === 401) return "PagerDuty rejected the API token (401)";
    if (error.status === 403) return "PagerDuty denied access (403): the token needs read and write access";
    if (error.status === 0) return `PagerDuty could not be reached: ${error.message}`;
    return `PagerDuty returned ${error.status}: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

async function countOf(client: PagerDutyClient, path: string, key: string): Promise<number> {
  const page = await client.request<Record<string, unknown>>("GET", path, { query: { limit: 1, total: true } });
  const total = page.total;
  return typeof total === "number" ? total : ((page[key] as unknown[] | undefined)?.length ?? 0);
}

/**
 * Checks what Switchboard needs from PagerDuty, each check on its own, so that the page shows what
 * works and what does not: the token, listing services and users, the default From user, the
 * webhook secret and the webhook subscription.
 */
export async function testPagerDutyConnection(): Promise<ConnectionCheck[]> {
  const settings = await getPagerDutySettings();
  const checks: ConnectionCheck[] = [];
  const client = await getPagerDutyClient();

  if (!client) {
    checks.push({ key: "api_token", label: "API token", status: "failed", detail: `No API token: save one here or set ${SETTING_ENV_VARS.apiToken}.` });
  } else {
    let tokenWorks = false;
    try {
      const users = await countOf(client, "/users", "users");
      tokenWorks = true;
      checks.push({ key: "api_token", label: "API token", status: "ok", detail: `PagerDuty accepted the token (${settings.apiToken.source === "environment" ? "set by the environment" : "saved here"}).` });
      checks.push({ key: "users", label: "List users", status: "ok", detail: `${users} user${users === 1 ? "" : "s"} in the account.` });
    } catch (error) {
      checks.push({ key: "api_token", label: "API token", status: "failed", detail: describe(error) });
    }
    if (tokenWorks) {
      try {
        const services = await countOf(client, "/services", "services");
        checks.push({ key: "services", label: "List services", status: services > 0 ? "ok" : "warning", detail: services > 0 ? `${services} service${services === 1 ? "" : "s"} in the account.` : "The account has no services yet." });
      } catch (error) {
        checks.push({ key: "services", label: "List services", status: "failed", detail: describe(error) });
      }
    }
  }

  checks.push(await checkFromUser(client, settings.defaultFromEmail.value));

  checks.push(
    settings.webhookSecret.value
      ? { key: "webhook_secret", label: "Webhook secret", status: "ok", detail: settings.webhookSecret.source === "environment" ? "Set by the environment." : "Saved here." }
      : { key: "webhook_secret", label: "Webhook secret", status: "failed", detail: "No webhook secret: every webhook is rejected until one is set. Create the webhook subscription below, which stores its secret." },
  );

  checks.push(await checkSubscription(client, settings.webhookSubscriptionId.value));
  log.info({ results: checks.map((check) => `${check.key}:${check.status}`) }, "PagerDuty connection tested");
  return checks;
}

async function checkFromUser(client: PagerDutyClient | null, email: string | undefined): Promise<ConnectionCheck> {
  const base = { key: "from_user" as const, label: "Default From user" };
  if (!email) return { ...base, status: "warning", detail: "Not set: Switchboard cannot add notes or act in PagerDuty when no person is acting." };
  if (!client) return { ...base, status: "skipped", detail: `Set to ${email}; not checked without an API token.` };
  try {
    const users = await client.listAll<{ email: string; role: string; name: string }>("/users", "users", { query: email });
    const user = users.find((candidate) => candidate.email.toLowerCase() === email.toLowerCase());
    if (!user) return { ...base, status: "failed", detail: `No PagerDuty user has the email ${email}.` };
    if (["observer", "read_only_user", "read_only_limited_user"].includes(user.role)) {
      return { ...base, status: "failed", detail: `${user.name} has a read-only role, so PagerDuty rejects changes in their name.` };
    }
    return { ...base, status: "ok", detail: `${user.name} (${email}).` };
  } catch (error) {
    return { ...base, status: "failed", detail: describe(error) };
  }
}

async function checkSubscription(client: PagerDutyClient | null, storedId: string | undefined): Promise<ConnectionCheck> {
  const base = { key: "webhook_subscription" as const, label: "Webhook subscription" };
  if (!client) return { ...base, status: "skipped", detail: "Not checked without an API token." };
  try {
    const subscription = await findSwitchboardSubscription(client, storedId);
    if (!subscription) return { ...base, status: "failed", detail: `No subscription sends webhooks to ${webhookUrl()}: create one below.` };
    if (!subscription.active) return { ...base, status: "failed", detail: `Subscription ${subscription.id} exists but is not active: enable it in PagerDuty.` };
    if (subscription.delivery_method.temporarily_disabled) {
      return { ...base, status: "failed", detail: `Subscription ${subscription.id} is temporarily disabled after failed deliveries: enable it in PagerDuty once Switchboard is reachable.` };
    }
    return { ...base, status: "ok", detail: `Subscription ${subscription.id} is active and sends ${subscription.events.length} event types to ${subscription.delivery_method.url}.` };
  } catch (error) {
    return { ...base, status: "failed", detail: describe(error) };
  }
}
