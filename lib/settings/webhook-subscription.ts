import { recordAudit, type AuditActor } from "../audit/record-audit";
import { getEnv } from "../config/env";
import type { PrismaClient } from "../db/generated/client";
import { AppError } from "../errors";
import { pagerDutyFailure, requirePagerDutyClient } from "../extensions/pagerduty-services";
import { scopedLogger } from "../log";
import { PagerDutyApiError, type PagerDutyClient } from "../pagerduty/client";
import { HANDLED_EVENT_TYPES } from "../pagerduty/webhook-event";
import { SETTING_ENV_VARS, webhookUrl } from "./pagerduty-admin";
import { getPagerDutySettings, storePagerDutySettings } from "./pagerduty-settings";

const log = scopedLogger("settings");

/** A V3 webhook subscription as PagerDuty's REST API returns it (the fields used here). */
export interface WebhookSubscription {
  id: string;
  active: boolean;
  description?: string;
  events: string[];
  filter: { type: string; id?: string };
  delivery_method: { type: string; url: string; secret?: string | null; temporarily_disabled?: boolean };
}

/**
 * Finds the subscription that delivers to this Switchboard: the stored one if it still exists, otherwise
 * any subscription whose URL is APP_URL/api/pagerduty/webhooks. Null when there is none.
 */
export async function findSwitchboardSubscription(client: PagerDutyClient, storedId: string | undefined): Promise<WebhookSubscription | null> {
  if (storedId) {
    try {
      const { webhook_subscription: subscription } = await client.request<{ webhook_subscription: WebhookSubscription }>("GET", `/webhook_subscriptions/${encodeURIComponent(storedId)}`);
      return subscription;
    } catch (error) {
      if (!(error instanceof PagerDutyApiError && error.status === 404)) throw error;
    }
  }
  const url = webhookUrl();
  const all = await client.listAll<WebhookSubscription>("/webhook_subscriptions", "webhook_subscriptions");
  return all.find((subscription) => subscription.delivery_method?.url === url) ?? null;
}

export interface CreatedSubscription {
  id: string;
  url: string;
  events: string[];
}

/**
 * Creates the account-wide V3 webhook subscription for the incident events Switchboard handles,
 * delivering to APP_URL/api/pagerduty/webhooks, and stores its secret (encrypted) and id, audited.
 * Rejected when PAGERDUTY_WEBHOOK_SECRET is set, because the new secret could not take effect, and
 * when a subscription to this URL already exists.
 */
export async function createWebhookSubscription(input: { prisma: PrismaClient; actor: AuditActor }): Promise<CreatedSubscription> {
  const settings = await getPagerDutySettings();
  if (settings.webhookSecret.source === "environment") {
    throw new AppError(
      "conflict",
      `The webhook secret is set by the environment (${SETTING_ENV_VARS.webhookSecret}), so the secret of a new subscription would not be used. Create the subscription in PagerDuty and put its secret in ${SETTING_ENV_VARS.webhookSecret}, or unset it and restart Switchboard.`,
    );
  }
  const client = await requirePagerDutyClient();
  const url = webhookUrl();

  let existing: WebhookSubscription | null;
  try {
    existing = await findSwitchboardSubscription(client, settings.webhookSubscriptionId.value);
  } catch (error) {
    throw pagerDutyFailure(error, "reading webhook subscriptions");
  }
  if (existing) {
    throw new AppError(
      "conflict",
      `PagerDuty already has subscription ${existing.id} sending webhooks to ${existing.delivery_method.url}. PagerDuty shows a subscription's secret only when it is created: delete that subscription in PagerDuty first to create a new one here.`,
    );
  }

  let created: WebhookSubscription;
  try {
    ({ webhook_subscription: created } = await client.request<{ webhook_subscription: WebhookSubscription }>("POST", "/webhook_subscriptions", {
      body: {
        webhook_subscription: {
          type: "webhook_subscription",
          delivery_method: { type: "http_delivery_method", url },
          description: `Switchboard at ${getEnv().appUrl}`,
          events: [...HANDLED_EVENT_TYPES],
          filter: { type: "account_reference" },
          active: true,
        },
      },
    }));
  } catch (error) {
    throw pagerDutyFailure(error, "creating the webhook subscription");
  }
  const secret = created.delivery_method.secret;
  if (!secret) throw new AppError("upstream_failed", `PagerDuty created subscription ${created.id} but returned no secret: delete it in PagerDuty and try again.`);

  await input.prisma.$transaction(async (tx) => {
    await storePagerDutySettings(tx, { webhookSecret: secret, webhookSubscriptionId: created.id });
    await recordAudit(tx, {
      actor: input.actor,
      action: "settings.pagerduty.create_webhook_subscription",
      targetType: "settings",
      targetId: "pagerduty",
      details: { subscriptionId: created.id, url, events: created.events },
    });
  });
  log.info({ subscriptionId: created.id, url }, "PagerDuty webhook subscription created");
  return { id: created.id, url, events: created.events };
}
