import Link from "next/link";
import type { ReactNode } from "react";
import { ListLink, ListNavigation, ListRows, ListStatus } from "@/components/ui/list-navigation";
import { PageLinks } from "@/components/ui/page-links";
import { EXTENSION_TYPE_LABELS, UPDATE_LABELS } from "@/lib/extensions/labels";
import type { ExtensionPage } from "@/lib/extensions/list-extensions";
import type { ListExtensionsQuery } from "@/lib/extensions/schema";
import { ExtensionSearch } from "./extension-search";
import { ExtensionStatus } from "./status";
import { buttonClasses, ChannelName } from "./ui";

type SortField = ListExtensionsQuery["sort"];

/** Returns the address of the Extensions list with `change` applied to the current search, sort and page. */
export function extensionsHref(query: ListExtensionsQuery, change: Partial<ListExtensionsQuery> = {}): string {
  const next = { ...query, ...change };
  const params = new URLSearchParams();
  if (next.query) params.set("q", next.query);
  if (next.sort !== "name") params.set("sort", next.sort);
  if (next.direction !== "asc") params.set("direction", next.direction);
  if (next.page > 1) params.set("page", String(next.page));
  return params.size > 0 ? `/extensions?${params.toString()}` : "/extensions";
}

/**
 * The Extensions table: one page of 25, searched, sorted and paged by the server from the address
 * (?q=, sort, direction, page). The search box and the sort and page links change the address.
 */
export function ExtensionsTable({ result, query, canCreate }: { result: ExtensionPage; query: ListExtensionsQuery; canCreate: boolean }) {
  const pageCount = Math.max(1, Math.ceil(result.total / result.pageSize));
  const first = result.items.length > 0 ? (result.page - 1) * result.pageSize + 1 : 0;
  const last = result.items.length > 0 ? first + result.items.length - 1 : 0;
  const sortHref = (field: SortField) =>
    extensionsHref(query, { sort: field, direction: field === query.sort && query.direction === "asc" ? "desc" : "asc", page: 1 });

  return (
    <ListNavigation>
      <div className="mb-4 flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
        <ExtensionSearch query={query.query} />
        <ListStatus className="text-sm text-slate-700">
          {result.total} extension{result.total === 1 ? "" : "s"}
        </ListStatus>
      </div>

      <ListRows>
        {result.items.length === 0 ? (
          <EmptyState query={query} total={result.total} canCreate={canCreate} />
        ) : (
          <>
            <ul aria-label="Service extensions" className="space-y-3 sm:hidden">
              {result.items.map((extension) => (
                <li key={extension.id} className="rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm">
                  <div className="flex items-start justify-between gap-3">
                    <Link href={`/extensions/${extension.id}`} className={`${buttonClasses.link} break-all`}>
                      {extension.name}
                    </Link>
                    <span className="shrink-0 text-xs text-slate-700">{EXTENSION_TYPE_LABELS[extension.type]}</span>
                  </div>
                  <p className="mt-1 text-slate-800">
                    {extension.service.name ?? extension.service.id} → <ChannelName name={extension.channel.name} isPrivate={extension.channel.isPrivate} />
                    <span className="text-slate-600"> ({extension.workspace.name})</span>
                  </p>
                  <p className="mt-1 text-slate-700">Updates: {extension.updates.length > 0 ? extension.updates.map((kind) => UPDATE_LABELS[kind]).join(", ") : "None"}</p>
                  <div className="mt-2">
                    <ExtensionStatus status={extension.status} reason={extension.statusReason} />
                  </div>
                </li>
              ))}
            </ul>
            <div className="relative hidden overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm sm:block">
              <table className="w-full min-w-[760px] text-left text-sm">
                <caption className="sr-only">
                  Service extensions, sorted by {query.sort} {query.direction === "asc" ? "ascending" : "descending"}
                </caption>
                <thead className="bg-slate-100 text-slate-800">
                  <tr>
                    <SortableHeader field="name" label="Name" query={query} href={sortHref("name")} />
                    <th scope="col" className="px-4 py-2 font-semibold">Type</th>
                    <SortableHeader field="service" label="Service" query={query} href={sortHref("service")} />
                    <th scope="col" className="px-4 py-2 font-semibold">Workspace and channel</th>
                    <th scope="col" className="px-4 py-2 font-semibold">Updates sent</th>
                    <SortableHeader field="status" label="Status" query={query} href={sortHref("status")} />
                  </tr>
                </thead>
                <tbody>
                  {result.items.map((extension) => (
                    <tr key={extension.id} className="border-t border-slate-200 align-top">
                      <td className="px-4 py-3">
                        <Link href={`/extensions/${extension.id}`} className={buttonClasses.link}>
                          {extension.name}
                        </Link>
                        {extension.managedByConfig && <p className="mt-1 text-xs text-slate-600">Managed by the configuration file</p>}
                      </td>
                      <td className="px-4 py-3 whitespace-nowrap text-slate-800">{EXTENSION_TYPE_LABELS[extension.type]}</td>
                      <td className="px-4 py-3">
                        {extension.service.name && <span className="text-slate-900">{extension.service.name}</span>}
                        <span className="block font-mono text-xs text-slate-600">{extension.service.id}</span>
                      </td>
                      <td className="px-4 py-3">
                        <span className="text-slate-900">
                          <ChannelName name={extension.channel.name} isPrivate={extension.channel.isPrivate} />
                        </span>
                        <span className="block text-xs text-slate-600">{extension.workspace.name}</span>
                      </td>
                      <td className="px-4 py-3 text-slate-800">{extension.updates.length > 0 ? extension.updates.map((kind) => UPDATE_LABELS[kind]).join(", ") : "None"}</td>
                      <td className="px-4 py-3">
                        <ExtensionStatus status={extension.status} reason={extension.statusReason} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </ListRows>

      {result.total > 0 && (
        <nav aria-label="Pages" className="mt-4 flex flex-wrap items-center justify-between gap-2 text-sm text-slate-700">
          <span>{first > 0 ? `Showing ${first}–${last} of ${result.total}` : `${result.total} in all`}</span>
          <PageLinks page={result.page} pageCount={pageCount} href={(page) => extensionsHref(query, { page })} />
        </nav>
      )}
    </ListNavigation>
  );
}

function EmptyState({ query, total, canCreate }: { query: ListExtensionsQuery; total: number; canCreate: boolean }) {
  let content: ReactNode;
  if (total > 0) {
    content = (
      <p className="text-slate-700">
        Page {query.page} is past the end of the list.{" "}
        <ListLink href={extensionsHref(query, { page: 1 })} className={buttonClasses.link}>
          Go to the first page
        </ListLink>
      </p>
    );
  } else if (query.query) {
    content = <p className="text-slate-700">No extension matches “{query.query}”.</p>;
  } else {
    content = (
      <>
        <p className="font-medium text-slate-900">No extensions yet</p>
        <p className="mt-1 text-sm text-slate-700">An extension posts one PagerDuty service&apos;s incidents in a Slack channel.</p>
        {canCreate && (
          <Link href="/extensions/new" className={`${buttonClasses.primary} mt-4`}>
            + New Extension
          </Link>
        )}
      </>
    );
  }
  return <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center">{content}</div>;
}

function SortableHeader(props: { field: SortField; label: string; query: ListExtensionsQuery; href: string }) {
  const active = props.query.sort === props.field;
  const order = props.query.direction === "asc" ? "ascending" : "descending";
  let arrow = "↕";
  if (active) arrow = props.query.direction === "asc" ? "▲" : "▼";
  return (
    <th scope="col" aria-sort={active ? order : "none"} className="px-4 py-2 font-semibold">
      <ListLink href={props.href} className="inline-flex items-center gap-1 rounded hover:text-slate-950">
        {props.label}
        <span aria-hidden="true" className="text-xs text-slate-600">
          {arrow}
        </span>
        <span className="sr-only">{active ? `, sorted ${order}; press to reverse` : ", press to sort"}</span>
      </ListLink>
    </th>
  );
}
