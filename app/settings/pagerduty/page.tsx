import type { Metadata } from "next";
import { PageHeader, ReadOnlyNotice } from "@/components/extensions/ui";
import { ConnectionTest } from "@/components/settings/connection-test";
import { PagerDutySettingsForm } from "@/components/settings/pagerduty-settings-form";
import { WebhookSubscriptionCard } from "@/components/settings/webhook-subscription";
import { requirePageUser } from "@/lib/auth/page-guard";
import { getPagerDutySettingsView } from "@/lib/settings/pagerduty-admin";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "PagerDuty settings" };

export default async function PagerDutySettingsPage() {
  const user = await requirePageUser("/settings/pagerduty");
  const settings = await getPagerDutySettingsView();
  return (
    <div>
      <PageHeader title="PagerDuty" description="How Switchboard reaches your PagerDuty account. A value set in the environment wins over one saved here and is shown read-only." />
      {user.readOnlyReason && <ReadOnlyNotice reason={user.readOnlyReason} />}
      <div className="space-y-6">
        <PagerDutySettingsForm settings={settings} canEdit={user.isAdmin} />
        {user.isAdmin && <ConnectionTest />}
        <WebhookSubscriptionCard
          webhookUrl={settings.webhookUrl}
          subscriptionId={settings.webhookSubscriptionId}
          secretFromEnvironment={settings.webhookSecret.source === "environment"}
          canEdit={user.isAdmin}
        />
      </div>
    </div>
  );
}
