import type { Metadata } from "next";
import { PageHeader, ReadOnlyNotice } from "@/components/extensions/ui";
import { ApiKeysManager } from "@/components/settings/api-keys-manager";
import { listApiKeys } from "@/lib/api-keys/api-keys";
import { requirePageUser } from "@/lib/auth/page-guard";
import { getPrisma } from "@/lib/db/client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const user = await requirePageUser("/settings/api-keys");
  const apiKeys = await listApiKeys({ prisma: getPrisma() });
  return (
    <div>
      <PageHeader
        title="API keys"
        description="Bearer keys for the admin JSON API under /api/v1. A key acts with its creator's rights and stops working when its creator is disabled or is no longer a PagerDuty Account Owner or Global Admin."
      />
      {user.readOnlyReason && <ReadOnlyNotice reason={user.readOnlyReason} />}
      <ApiKeysManager apiKeys={apiKeys} canEdit={user.isAdmin} />
    </div>
  );
}
