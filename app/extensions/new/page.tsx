import type { Metadata } from "next";
import Link from "next/link";
import { ExtensionForm } from "@/components/extensions/extension-form";
import { buttonClasses, PageHeader, ReadOnlyNotice } from "@/components/extensions/ui";
import { requirePageUser } from "@/lib/auth/page-guard";
import { getPrisma } from "@/lib/db/client";
import { listWorkspaces } from "@/lib/extensions/workspaces";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "New Extension" };

export default async function NewExtensionPage() {
  const user = await requirePageUser("/extensions/new");
  if (!user.isAdmin) {
    return (
      <div>
        <PageHeader section="Configuration → Extensions" title="New Extension" />
        <ReadOnlyNotice reason={user.readOnlyReason ?? "You may not create extensions."} />
        <Link href="/extensions" className={buttonClasses.secondary}>
          Back to Extensions
        </Link>
      </div>
    );
  }
  const workspaces = await listWorkspaces({ prisma: getPrisma(), activeOnly: true });
  return (
    <div>
      <PageHeader section="Configuration → Extensions" title="New Extension" description="Post a PagerDuty service's incidents in a Slack channel." />
      <ExtensionForm mode="create" workspaces={workspaces} />
    </div>
  );
}
