import type { Metadata } from "next";
import Link from "next/link";
import { DateTime } from "@/components/auth/date-time";
import { buttonClasses, Notice, PageHeader } from "@/components/auth/ui";
import { requirePageUser } from "@/lib/auth/page-guard";
import { getPrisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { listAuditEntries } from "@/lib/users/list-audit-entries";
import { AuditFilters } from "./audit-filters";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit log" };

const DISABLED_PAGE_LINK =
  "inline-flex cursor-not-allowed items-center justify-center rounded-md border border-slate-200 bg-slate-50 px-4 py-2 text-sm font-medium text-slate-500";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function single(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
}

export default async function AuditLogPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requirePageUser("/audit-log");
  const header = (
    <PageHeader section="Configuration" title="Audit log" description="Every change to Switchboard's configuration: who made it, when, and what changed. Newest first." />
  );
  if (!viewer.isAdmin) {
    return (
      <div>
        {header}
        <Notice tone="info">
          <span className="font-semibold">Admins only. </span>
          {`${(viewer.readOnlyReason ?? "").replace(/\s*You can view this page\.$/, "")} The audit log is shown to admins only.`}
        </Notice>
      </div>
    );
  }

  const params = await searchParams;
  const action = single(params.action);
  const actor = single(params.actor);
  const requestedPage = Number.parseInt(single(params.page), 10);
  const log = await listAuditEntries({ prisma: getPrisma(), action: action || undefined, actor: actor || undefined, page: Number.isFinite(requestedPage) ? requestedPage : 1 });
  const pageCount = Math.max(1, Math.ceil(log.total / log.pageSize));
  const first = log.total === 0 ? 0 : (log.page - 1) * log.pageSize + 1;
  const last = Math.min(log.total, log.page * log.pageSize);
  const pageHref = (page: number) => {
    const query = new URLSearchParams({ ...(action ? { action } : {}), ...(actor ? { actor } : {}), ...(page > 1 ? { page: String(page) } : {}) }).toString();
    return query ? `/audit-log?${query}` : "/audit-log";
  };
  const filtered = Boolean(action || actor);

  return (
    <div>
      {header}
      <AuditFilters actions={log.actions} action={action} actor={actor} />
      {log.entries.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-700">
          {filtered
            ? "No entry matches these filters. Clear them to see the whole log."
            : log.page > 1
              ? "This page is past the end of the log."
              : "No change has been recorded yet. Changes made on these pages, through the API or by the configuration file appear here."}
        </p>
      ) : (
        <>
          <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table className="w-full min-w-[48rem] text-left text-sm">
              <caption className="sr-only">Audit log entries {first} to {last} of {log.total}, newest first</caption>
              <thead className="bg-slate-100 text-slate-800">
                <tr>
                  <th scope="col" className="px-4 py-2 font-semibold">Time</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Actor</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Action</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Target</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Details</th>
                </tr>
              </thead>
              <tbody>
                {log.entries.map((entry) => (
                  <tr key={entry.id} className="border-t border-slate-200 align-top">
                    <td className="whitespace-nowrap px-4 py-3 text-slate-800">
                      <DateTime iso={entry.createdAt} />
                    </td>
                    <td className="px-4 py-3 break-words text-slate-900">{entry.actorLabel}</td>
                    <td className="px-4 py-3">
                      <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-900">{entry.action}</code>
                    </td>
                    <td className="px-4 py-3 text-slate-800">
                      {entry.targetType}
                      {entry.targetId && <span className="block break-words font-mono text-xs text-slate-600">{entry.targetId}</span>}
                    </td>
                    <td className="min-w-64 px-4 py-3 text-slate-800">
                      <Details details={entry.details} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav aria-label="Audit log pages" className="mt-4 flex flex-col items-start gap-3 text-sm text-slate-700 sm:flex-row sm:items-center sm:justify-between">
            <p>
              Showing {first}–{last} of {log.total}
            </p>
            <div className="flex gap-2">
              {log.page > 1 ? (
                <Link href={pageHref(log.page - 1)} className={buttonClasses.secondary} rel="prev">
                  Previous
                </Link>
              ) : (
                <span aria-disabled="true" className={DISABLED_PAGE_LINK}>
                  Previous
                </span>
              )}
              <span className="self-center px-1">
                Page {log.page} of {pageCount}
              </span>
              {log.page < pageCount ? (
                <Link href={pageHref(log.page + 1)} className={buttonClasses.secondary} rel="next">
                  Next
                </Link>
              ) : (
                <span aria-disabled="true" className={DISABLED_PAGE_LINK}>
                  Next
                </span>
              )}
            </div>
          </nav>
        </>
      )}
    </div>
  );
}

/** An entry's details as "key: value" lines; nested values are shown as compact JSON. */
function Details({ details }: { details: Prisma.JsonValue }) {
  if (details === null || typeof details !== "object" || Array.isArray(details)) {
    return details === null ? null : <span className="font-mono text-xs">{JSON.stringify(details)}</span>;
  }
  const entries = Object.entries(details);
  if (entries.length === 0) return <span className="text-slate-500">None</span>;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-2 gap-y-0.5 text-xs">
      {entries.map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="whitespace-nowrap text-slate-600">{key}</dt>
          <dd className="text-slate-900 [overflow-wrap:anywhere]">{typeof value === "string" ? value : JSON.stringify(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
