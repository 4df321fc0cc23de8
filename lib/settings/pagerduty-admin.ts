import { z } from "zod";
import { recordAudit, type AuditActor } from "../audit/record-audit";
import { getEnv } from "../config/env";
import type { PrismaClient } from "../db/generated/client";
import { AppError } from "../errors";
import { parseInput } from "../extensions/parse-input";
import { scopedLogger } from "../log";
import { PagerDutyApiError, PagerDutyClient } from "../pagerduty/client";
import { getPagerDutyClient } from "../pagerduty/connection";
import { getPagerDutySettings, storePagerDutySettings, type PagerDutySettings, type SettingSource } from "./pagerduty-settings";

const log = scopedLogger("settings");

/** The environment variable that sets each setting; a value there wins over the app's. */
export const SETTING_ENV_VARS = {
  apiToken: "PAGERDUTY_API_TOKEN",
  webhookSecret: "PAGERDUTY_WEBHOOK_SECRET",
  subdomain: "PAGERDUTY_SUBDOMAIN",
  defaultFromEmail: "PAGERDUTY_FROM_EMAIL",
} as const;

export type EditableSetting = keyof typeof SETTING_ENV_VARS;

export interface SettingView {
  source: SettingSource;
  /** The value as shown: secrets masked as "••••" and their last four characters. */
  display: string | null;
  /** The environment variable that would override the app's value. */
  envVar: string;
}

export interface PagerDutySettingsView {
  apiToken: SettingView;
  webhookSecret: SettingView;
  subdomain: SettingView;
  defaultFromEmail: SettingView;
  webhookSubscriptionId: string | null;
  /** The URL PagerDuty sends webhooks to: APP_URL/api/pagerduty/webhooks. */
  webhookUrl: string;
}

/** "••••" and the last four characters; short secrets show only the dots. */
export function maskSecret(value: string): string {
  return value.length > 8 ? `••••${value.slice(-4)}` : "••••";
}

export function webhookUrl(): string {
  return `${getEnv().appUrl}/api/pagerduty/webhooks`;
}

/** Reads the PagerDuty settings as Settings → PagerDuty shows them, secrets masked. */
export async function getPagerDutySettingsView(): Promise<PagerDutySettingsView> {
  const settings = await getPagerDutySettings();
  const view = (name: EditableSetting, secret: boolean): SettingView => {
    const value = settings[name].value;
    let display: string | null = null;
    if (value) display = secret ? maskSecret(value) : value;
    return { source: settings[name].source, display, envVar: SETTING_ENV_VARS[name] };
  };
  return {
    apiToken: view("apiToken", true),
    webhookSecret: view("webhookSecret", true),
    subdomain: view("subdomain", false),
    defaultFromEmail: view("defaultFromEmail", false),
    webhookSubscriptionId: settings.webhookSubscriptionId.value ?? null,
    webhookUrl: webhookUrl(),
  };
}

/** An empty string or null clears a setting; a missing field leaves it as it is. */
const clearable = <T extends z.ZodType<string>>(schema: T) => z.union([z.literal("").transform(() => null), z.null(), schema]).optional();

const saveSchema = z.strictObject({
  apiToken: clearable(z.string().trim().regex(/^\S{8,200}$/, "must be 8 to 200 characters without spaces")),
  webhookSecret: clearable(z.string().trim().regex(/^\S{8,500}$/, "must be 8 to 500 characters without spaces")),
  subdomain: clearable(
    z
      .string()
      .trim()
      .toLowerCase()
      // Accept "acme", "acme.pagerduty.com" or "https://acme.pagerduty.com/".
      .transform((value) => value.replace(/^https?:\/\//, "").replace(/\.pagerduty\.com\/?$/, "").replace(/\/+$/, ""))
      .pipe(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be the account's subdomain, as in https://<subdomain>.pagerduty.com")),
  ),
  defaultFromEmail: clearable(z.string().trim().toLowerCase().pipe(z.email("must be an email address"))),
});

export type SavePagerDutySettingsInput = z.input<typeof saveSchema>;

/** PagerDuty roles that may not write, so PagerDuty rejects their email in the From header of incident writes. */
const READ_ONLY_ROLES = new Set(["observer", "read_only_user", "read_only_limited_user"]);

async function checkToken(token: string): Promise<void> {
  const client = new PagerDutyClient({ apiUrl: getEnv().pagerdutyApiUrl, apiToken: token, maxRetries: 0 });
  try {
    await client.request("GET", "/users", { query: { limit: 1 } });
  } catch (error) {
    if (error instanceof PagerDutyApiError && (error.status === 401 || error.status === 403)) {
      const message = `PagerDuty rejected this token (${error.status}): create a General Access REST API key with read and write access.`;
      throw new AppError("invalid_input", message, { apiToken: message });
    }
    // Unreachable PagerDuty does not block saving; Test connection reports it.
    log.warn({ err: error }, "Could not check the new PagerDuty API token");
  }
}

async function checkFromEmail(client: PagerDutyClient, email: string): Promise<void> {
  const users = await client.listAll<{ email: string; role: string; name: string }>("/users", "users", { query: email });
  const user = users.find((candidate) => candidate.email.toLowerCase() === email);
  if (!user) {
    const message = `No PagerDuty user has the email ${email}: choose one of the account's users.`;
    throw new AppError("invalid_input", message, { defaultFromEmail: message });
  }
  if (READ_ONLY_ROLES.has(user.role)) {
    const message = `${user.name} (${email}) has a read-only PagerDuty role, so PagerDuty would reject notes and changes in their name: choose a user who can write.`;
    throw new AppError("invalid_input", message, { defaultFromEmail: message });
  }
}

/**
 * Saves the settings an admin changed, audited. A setting that the environment sets is rejected on
 * its field, because the environment's value would win anyway. A new API token is checked against
 * PagerDuty, and the default From user must exist there and be able to write.
 */
export async function savePagerDutySettings(input: { prisma: PrismaClient; actor: AuditActor; input: unknown }): Promise<PagerDutySettingsView> {
  const values = parseInput(saveSchema, input.input);
  const current = await getPagerDutySettings();
  const changes: Partial<Record<EditableSetting, string | null>> = {};
  for (const name of Object.keys(SETTING_ENV_VARS) as EditableSetting[]) {
    const value = values[name];
    if (value === undefined) continue;
    if (current[name].source === "environment") {
      const message = `is set by the environment (${SETTING_ENV_VARS[name]}): change it there`;
      throw new AppError("invalid_input", `Invalid input: ${name} ${message}.`, { [name]: message });
    }
    if ((value ?? undefined) !== current[name].value) changes[name] = value;
  }
  if (Object.keys(changes).length === 0) return getPagerDutySettingsView();

  if (changes.apiToken) await checkToken(changes.apiToken);
  if (changes.defaultFromEmail) {
    const token = changes.apiToken ?? current.apiToken.value;
    const client = token ? new PagerDutyClient({ apiUrl: getEnv().pagerdutyApiUrl, apiToken: token }) : await getPagerDutyClient();
    if (client) {
      try {
        await checkFromEmail(client, changes.defaultFromEmail);
      } catch (error) {
        if (error instanceof AppError) throw error;
        log.warn({ err: error }, "Could not check the default From user in PagerDuty");
      }
    }
  }

  await input.prisma.$transaction(async (tx) => {
    await storePagerDutySettings(tx, changes);
    const details: Record<string, string | null> = {};
    for (const [name, value] of Object.entries(changes)) {
      // Secrets are never written to the audit log, only that they changed.
      details[name] = name === "apiToken" || name === "webhookSecret" ? (value ? "changed" : "cleared") : value;
    }
    await recordAudit(tx, { actor: input.actor, action: "settings.pagerduty.update", targetType: "settings", targetId: "pagerduty", details });
  });
  log.info({ fields: Object.keys(changes) }, "PagerDuty settings saved");
  return getPagerDutySettingsView();
}

export type { PagerDutySettings };
