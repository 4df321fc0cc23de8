import type { Metadata } from "next";
import { PageHeader, ReadOnlyNotice } from "@/components/extensions/ui";
import { QueryProvider } from "@/components/providers";
import { ApiKeysManager } from "@/components/settings/api-keys-manager";
import { requirePageUser } from "@/lib/auth/page-guard";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const user = await requirePageUser("/settings/api-keys");
  return (
    <div>
      <PageHeader
        title="API keys"
        description="Bearer keys for the admin JSON API under /api/v1. A key acts with its creator's rights and stops working when its creator is disabled or is no longer a PagerDuty Account Owner or Global Admin."
      />
      {user.readOnlyReason && <ReadOnlyNotice reason={user.readOnlyReason} />}
      <QueryProvider>
        <ApiKeysManager canEdit={user.isAdmin} />
      </QueryProvider>
    </div>
  );
}
