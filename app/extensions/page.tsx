import type { Metadata } from "next";
import Link from "next/link";
import { ExtensionsTable } from "@/components/extensions/extensions-table";
import { buttonClasses, PageHeader, ReadOnlyNotice } from "@/components/extensions/ui";
import { requirePageUser } from "@/lib/auth/page-guard";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Extensions" };

export default async function ExtensionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageUser("/extensions");
  const { deleted } = await searchParams;
  return (
    <div>
      <PageHeader
        section="Configuration"
        title="Extensions"
        description="Service extensions post a PagerDuty service's incidents in a Slack channel, with buttons to act on them."
        action={
          user.isAdmin ? (
            <Link href="/extensions/new" className={buttonClasses.primary}>
              + New Extension
            </Link>
          ) : undefined
        }
      />
      {user.readOnlyReason && <ReadOnlyNotice reason={user.readOnlyReason} />}
      {typeof deleted === "string" && (
        <p role="status" className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-950">
          Deleted the extension {deleted}.
        </p>
      )}
      <ExtensionsTable canCreate={user.isAdmin} />
    </div>
  );
}
