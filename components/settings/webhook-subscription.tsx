"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { apiFetch } from "@/components/extensions/api-fetch";
import { buttonClasses, Card } from "@/components/extensions/ui";
import type { CreatedSubscription } from "@/lib/settings/webhook-subscription";

/** "Create webhook subscription": creates the V3 subscription in PagerDuty and stores its secret. */
export function WebhookSubscriptionCard(props: { webhookUrl: string; subscriptionId: string | null; secretFromEnvironment: boolean; canEdit: boolean }) {
  const router = useRouter();
  const [created, setCreated] = useState<CreatedSubscription | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const create = () => {
    setError(null);
    startTransition(async () => {
      try {
        const result = await apiFetch<{ subscription: CreatedSubscription }>("/api/admin/settings/pagerduty/webhook-subscription", { method: "POST" });
        setCreated(result.subscription);
      } catch (failure) {
        setError(failure instanceof Error ? failure.message : "Creating the subscription failed. Try again.");
        return;
      }
      router.refresh();
    });
  };
  return (
    <Card>
      <h2 className="text-lg font-semibold text-slate-900">Webhook subscription</h2>
      <p className="mt-1 text-sm text-slate-700">
        PagerDuty sends incident events to <code className="rounded bg-slate-100 px-1 font-mono text-xs">{props.webhookUrl}</code> through a V3 webhook subscription covering the whole account.
      </p>
      <p className="mt-2 text-sm text-slate-800">{props.subscriptionId ? `Subscription ${props.subscriptionId} was created from this page.` : "No subscription has been created from this page."}</p>
      {props.secretFromEnvironment && (
        <p className="mt-2 rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-800">
          The webhook secret is set by the environment (PAGERDUTY_WEBHOOK_SECRET), so a subscription created here could not use its own secret. Create it in PagerDuty and put its secret in that variable.
        </p>
      )}
      {props.canEdit && !props.secretFromEnvironment && (
        <button type="button" className={`${buttonClasses.primary} mt-4`} onClick={create} disabled={pending} aria-busy={pending}>
          {pending ? "Creating…" : "Create webhook subscription"}
        </button>
      )}
      <div aria-live="polite" className="mt-3 text-sm">
        {error && (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-900">
            {error}
          </p>
        )}
        {created && (
          <p className="rounded-md bg-emerald-50 px-3 py-2 text-emerald-950">
            Created subscription {created.id} for {created.events.length} incident event types. Its secret is stored encrypted.
          </p>
        )}
      </div>
    </Card>
  );
}
