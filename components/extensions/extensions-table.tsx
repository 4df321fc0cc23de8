"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { EXTENSION_TYPE_LABELS, UPDATE_LABELS } from "@/lib/extensions/labels";
import type { ExtensionPage } from "@/lib/extensions/list-extensions";
import { apiFetch } from "./api-fetch";
import { ExtensionStatus } from "./status";
import { buttonClasses, ChannelName, inputClasses } from "./ui";
import { useDebounced } from "./use-debounced";

type SortField = "name" | "service" | "status";

const PAGE_SIZE = 25;

/** The Extensions table: search as you type, sort by name, service or status, and pages of 25, all done by the server. */
export function ExtensionsTable({ canCreate }: { canCreate: boolean }) {
  const [search, setSearch] = useState("");
  const [sort, setSort] = useState<SortField>("name");
  const [direction, setDirection] = useState<"asc" | "desc">("asc");
  const [page, setPage] = useState(1);
  const query = useDebounced(search.trim());

  const params = new URLSearchParams({ query, sort, direction, page: String(page), pageSize: String(PAGE_SIZE) });
  const result = useQuery({
    queryKey: ["extensions", query, sort, direction, page],
    queryFn: () => apiFetch<ExtensionPage>(`/api/admin/extensions?${params.toString()}`),
    placeholderData: keepPreviousData,
  });

  const changeSort = (field: SortField) => {
    if (field === sort) setDirection(direction === "asc" ? "desc" : "asc");
    else {
      setSort(field);
      setDirection("asc");
    }
    setPage(1);
  };

  const data = result.data;
  const pageCount = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const first = data && data.total > 0 ? (data.page - 1) * data.pageSize + 1 : 0;
  const last = data ? Math.min(data.total, data.page * data.pageSize) : 0;
  let countText = "";
  if (result.isFetching && !result.isPending) countText = "Updating…";
  else if (data) countText = `${data.total} extension${data.total === 1 ? "" : "s"}`;

  return (
    <div>
      <div className="mb-4 flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
        <div className="w-full sm:max-w-sm">
          <label htmlFor="extension-search" className="sr-only">
            Search extensions
          </label>
          <input
            id="extension-search"
            type="search"
            className={inputClasses}
            placeholder="Search by name, service, channel or workspace"
            value={search}
            onChange={(event) => {
              setSearch(event.target.value);
              setPage(1);
            }}
          />
        </div>
        <p aria-live="polite" className="text-sm text-slate-700">
          {countText}
        </p>
      </div>

      {result.isError ? (
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-5 text-red-900">
          <p className="font-semibold">The extensions could not be loaded.</p>
          <p className="mt-1 text-sm">{result.error.message}</p>
          <button type="button" className={`${buttonClasses.secondary} mt-3`} onClick={() => result.refetch()}>
            Try again
          </button>
        </div>
      ) : result.isPending ? (
        <TableSkeleton />
      ) : data && data.items.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center">
          {query ? (
            <p className="text-slate-700">No extension matches “{query}”.</p>
          ) : (
            <>
              <p className="font-medium text-slate-900">No extensions yet</p>
              <p className="mt-1 text-sm text-slate-700">An extension posts one PagerDuty service&apos;s incidents in a Slack channel.</p>
              {canCreate && (
                <Link href="/extensions/new" className={`${buttonClasses.primary} mt-4`}>
                  + New Extension
                </Link>
              )}
            </>
          )}
        </div>
      ) : (
        <>
          <ul aria-label="Service extensions" className="space-y-3 sm:hidden">
            {data?.items.map((extension) => (
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
              <caption className="sr-only">Service extensions, sorted by {sort} {direction === "asc" ? "ascending" : "descending"}</caption>
              <thead className="bg-slate-100 text-slate-800">
                <tr>
                  <SortableHeader field="name" label="Name" sort={sort} direction={direction} onSort={changeSort} />
                  <th scope="col" className="px-4 py-2 font-semibold">Type</th>
                  <SortableHeader field="service" label="Service" sort={sort} direction={direction} onSort={changeSort} />
                  <th scope="col" className="px-4 py-2 font-semibold">Workspace and channel</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Updates sent</th>
                  <SortableHeader field="status" label="Status" sort={sort} direction={direction} onSort={changeSort} />
                </tr>
              </thead>
              <tbody className={result.isFetching ? "opacity-70" : undefined}>
                {data?.items.map((extension) => (
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

      {data && data.total > 0 && (
        <nav aria-label="Pages" className="mt-4 flex flex-wrap items-center justify-between gap-2 text-sm text-slate-700">
          <span>
            Showing {first}–{last} of {data.total}
          </span>
          <span className="flex items-center gap-2">
            <button type="button" className={buttonClasses.secondary} disabled={page <= 1} onClick={() => setPage(page - 1)}>
              Previous
            </button>
            <span>
              Page {data.page} of {pageCount}
            </span>
            <button type="button" className={buttonClasses.secondary} disabled={page >= pageCount} onClick={() => setPage(page + 1)}>
              Next
            </button>
          </span>
        </nav>
      )}
    </div>
  );
}

function SortableHeader(props: { field: SortField; label: string; sort: SortField; direction: "asc" | "desc"; onSort: (field: SortField) => void }) {
  const active = props.sort === props.field;
  const order = props.direction === "asc" ? "ascending" : "descending";
  let arrow = "↕";
  if (active) arrow = props.direction === "asc" ? "▲" : "▼";
  return (
    <th scope="col" aria-sort={active ? order : "none"} className="px-4 py-2 font-semibold">
      <button type="button" onClick={() => props.onSort(props.field)} className="inline-flex items-center gap-1 rounded hover:text-slate-950">
        {props.label}
        <span aria-hidden="true" className="text-xs text-slate-600">
          {arrow}
        </span>
        <span className="sr-only">{active ? `, sorted ${order}; press to reverse` : ", press to sort"}</span>
      </button>
    </th>
  );
}

function TableSkeleton() {
  return (
    <div role="status" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
      <span className="sr-only">Loading extensions…</span>
      {Array.from({ length: 5 }, (_, index) => (
        <div key={index} className="h-10 animate-pulse rounded bg-slate-100" />
      ))}
    </div>
  );
}
