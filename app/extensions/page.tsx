import type { Metadata } from "next";
import Link from "next/link";
import { ExtensionsTable } from "@/components/extensions/extensions-table";
import { buttonClasses, PageHeader, ReadOnlyNotice } from "@/components/extensions/ui";
import { requirePageUser } from "@/lib/auth/page-guard";
import { getPrisma } from "@/lib/db/client";
import { listExtensions } from "@/lib/extensions/list-extensions";
import { fillServiceNames } from "@/lib/extensions/pagerduty-services";
import { listExtensionsQuerySchema } from "@/lib/extensions/schema";
import { parseListParams, singleParam, type PageSearchParams } from "@/lib/http/list-params";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Extensions" };

const PAGE_SIZE = 25;

export default async function ExtensionsPage({ searchParams }: { searchParams: Promise<PageSearchParams> }) {
  const user = await requirePageUser("/extensions");
  const params = await searchParams;
  const deleted = singleParam(params, "deleted");
  const query = parseListParams(listExtensionsQuerySchema, {
    query: singleParam(params, "q"),
    sort: singleParam(params, "sort"),
    direction: singleParam(params, "direction"),
    page: singleParam(params, "page"),
    pageSize: String(PAGE_SIZE),
  });
  const prisma = getPrisma();
  const result = await listExtensions({ prisma, query });
  const items = await fillServiceNames(prisma, result.items);

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
      {deleted !== undefined && (
        <p role="status" className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-950">
          Deleted the extension {deleted}.
        </p>
      )}
      <ExtensionsTable result={{ ...result, items }} query={query} canCreate={user.isAdmin} />
    </div>
  );
}
