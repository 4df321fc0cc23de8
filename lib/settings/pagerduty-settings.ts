import { decryptSecret, encryptSecret } from "../crypto/secret-box";
import { requireEncryptionKey } from "../crypto/keys";
import { getEnv } from "../config/env";
import { getPrisma } from "../db/client";
import type { Prisma } from "../db/generated/client";

/** The origin of a setting's value. The environment wins over what admins saved in the app. */
export type SettingSource = "environment" | "app" | "unset";

export interface Setting<T> {
  value: T | undefined;
  source: SettingSource;
}

export interface PagerDutySettings {
  apiToken: Setting<string>;
  webhookSecret: Setting<string>;
  /** The account's subdomain, as in https://<subdomain>.pagerduty.com. */
  subdomain: Setting<string>;
  /** The PagerDuty user in whose name Switchboard acts when no person does (the From of its notes). */
  defaultFromEmail: Setting<string>;
  webhookSubscriptionId: Setting<string>;
}

export const SETTING_KEYS = {
  apiToken: "pagerduty.api_token",
  webhookSecret: "pagerduty.webhook_secret",
  subdomain: "pagerduty.subdomain",
  defaultFromEmail: "pagerduty.default_from_email",
  webhookSubscriptionId: "pagerduty.webhook_subscription_id",
} as const;

/** Settings stored encrypted at rest. */
const SECRET_KEYS = new Set<string>([SETTING_KEYS.apiToken, SETTING_KEYS.webhookSecret]);

const CACHE_MS = 5_000;
let cache: { at: number; settings: PagerDutySettings } | undefined;

/**
 * Returns the PagerDuty settings in force. Values set in the environment win and are read-only in
 * the app. The result is cached for a few seconds, because the webhook route reads the secret on
 * every request.
 */
export async function getPagerDutySettings(): Promise<PagerDutySettings> {
  if (cache && Date.now() - cache.at < CACHE_MS) return cache.settings;
  const env = getEnv();
  const rows = await getPrisma().appSetting.findMany({ where: { key: { startsWith: "pagerduty." } } });
  const stored = new Map(rows.map((row) => [row.key, SECRET_KEYS.has(row.key) ? decryptSecret(row.value, requireEncryptionKey()) : row.value]));
  const pick = (fromEnv: string | undefined, key: string): Setting<string> => {
    if (fromEnv) return { value: fromEnv, source: "environment" };
    const value = stored.get(key);
    return value ? { value, source: "app" } : { value: undefined, source: "unset" };
  };
  const settings: PagerDutySettings = {
    apiToken: pick(env.pagerdutyApiToken, SETTING_KEYS.apiToken),
    webhookSecret: pick(env.pagerdutyWebhookSecret, SETTING_KEYS.webhookSecret),
    subdomain: pick(process.env.PAGERDUTY_SUBDOMAIN?.trim() || undefined, SETTING_KEYS.subdomain),
    defaultFromEmail: pick(process.env.PAGERDUTY_FROM_EMAIL?.trim() || undefined, SETTING_KEYS.defaultFromEmail),
    webhookSubscriptionId: pick(undefined, SETTING_KEYS.webhookSubscriptionId),
  };
  cache = { at: Date.now(), settings };
  return settings;
}

/** Stores settings that admins change in the app (secrets encrypted), in the caller's transaction. */
export async function storePagerDutySettings(
  tx: Prisma.TransactionClient,
  values: Partial<Record<keyof typeof SETTING_KEYS, string | null>>,
): Promise<void> {
  for (const [name, value] of Object.entries(values)) {
    const key = SETTING_KEYS[name as keyof typeof SETTING_KEYS];
    if (value === undefined) continue;
    if (value === null || value === "") {
      await tx.appSetting.deleteMany({ where: { key } });
      continue;
    }
    const stored = SECRET_KEYS.has(key) ? encryptSecret(value, requireEncryptionKey()) : value;
    await tx.appSetting.upsert({ where: { key }, create: { key, value: stored }, update: { value: stored } });
  }
  cache = undefined;
}

/** Clears the cached settings, so the next read returns a change made by this process. */
export function clearPagerDutySettingsCache(): void {
  cache = undefined;
}
