"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { DateTime } from "./date-time";
import { apiFetch } from "@/components/extensions/api-fetch";
import { buttonClasses, inputClasses } from "@/components/extensions/ui";
import type { IncidentListPage } from "@/lib/incidents/list-incidents";
import { IncidentStatusBadge, Urgency } from "./incident-badges";

/** How often the list is read again, so it follows incidents as PagerDuty changes them. */
const REFRESH_MS = 5_000;
const PAGE_SIZE = 25;

export interface IncidentFilters {
  status: string;
  service: string;
  urgency: string;
  page: number;
}

/**
 * Lists incidents with filters by status, service and urgency, pages of 25 and a refresh every few
 * seconds. The filters are kept in the address, so a link or the back button keeps them.
 */
export function IncidentList({ initial }: { initial: IncidentFilters }) {
  const router = useRouter();
  const [filters, setFilters] = useState<IncidentFilters>(initial);

  const params = new URLSearchParams({ page: String(filters.page), pageSize: String(PAGE_SIZE) });
  if (filters.status) params.set("status", filters.status);
  if (filters.service) params.set("service", filters.service);
  if (filters.urgency) params.set("urgency", filters.urgency);

  const result = useQuery({
    queryKey: ["incidents", filters],
    queryFn: () => apiFetch<IncidentListPage>(`/api/admin/incidents?${params.toString()}`),
    placeholderData: keepPreviousData,
    refetchInterval: REFRESH_MS,
  });

  const update = (change: Partial<IncidentFilters>) => {
    const next = { ...filters, page: 1, ...change };
    setFilters(next);
    const address = new URLSearchParams();
    if (next.status) address.set("status", next.status);
    if (next.service) address.set("service", next.service);
    if (next.urgency) address.set("urgency", next.urgency);
    if (next.page > 1) address.set("page", String(next.page));
    const query = address.toString();
    router.replace(query ? `/incidents?${query}` : "/incidents", { scroll: false });
  };

  const data = result.data;
  const pageCount = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const first = data && data.total > 0 ? (data.page - 1) * data.pageSize + 1 : 0;
  const last = data ? Math.min(data.total, data.page * data.pageSize) : 0;
  const filtered = Boolean(filters.status || filters.service || filters.urgency);

  return (
    <div>
      <div className="mb-4 grid gap-3 sm:grid-cols-3 lg:max-w-3xl">
        <FilterSelect id="filter-status" label="Status" value={filters.status} onChange={(status) => update({ status })}>
          <option value="">All statuses</option>
          <option value="triggered">Triggered</option>
          <option value="acknowledged">Acknowledged</option>
          <option value="resolved">Resolved</option>
        </FilterSelect>
        <FilterSelect id="filter-service" label="Service" value={filters.service} onChange={(service) => update({ service })}>
          <option value="">All services</option>
          {(data?.services ?? []).map((service) => (
            <option key={service.id} value={service.id}>
              {service.name}
            </option>
          ))}
          {filters.service && !data?.services.some((service) => service.id === filters.service) && <option value={filters.service}>{filters.service}</option>}
        </FilterSelect>
        <FilterSelect id="filter-urgency" label="Urgency" value={filters.urgency} onChange={(urgency) => update({ urgency })}>
          <option value="">All urgencies</option>
          <option value="high">High</option>
          <option value="low">Low</option>
        </FilterSelect>
      </div>

      <p aria-live="polite" className="mb-2 text-sm text-slate-700">
        {listStatus(result.isFetching && !result.isPending, data?.total)}
      </p>

      {result.isError && !data ? (
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-5 text-red-900">
          <p className="font-semibold">The incidents could not be loaded.</p>
          <p className="mt-1 text-sm">{result.error.message}</p>
          <button type="button" className={`${buttonClasses.secondary} mt-3`} onClick={() => result.refetch()}>
            Try again
          </button>
        </div>
      ) : result.isPending ? (
        <div role="status" className="space-y-2">
          <span className="sr-only">Loading incidents…</span>
          {Array.from({ length: 5 }, (_, index) => (
            <div key={index} className="h-12 animate-pulse rounded bg-slate-200" />
          ))}
        </div>
      ) : data && data.items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-700">
          {filtered ? "No incident matches these filters. Choose All in a filter to see more." : "No incident has reached Switchboard yet. Incidents appear here as PagerDuty sends their webhooks."}
        </p>
      ) : data ? (
        <>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table className="w-full min-w-[48rem] text-left text-sm">
              <caption className="sr-only">Incidents, newest first</caption>
              <thead className="bg-slate-100 text-slate-800">
                <tr>
                  <th scope="col" className="px-4 py-2 font-semibold">Incident</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Status</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Urgency</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Priority</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Service</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Assigned to</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Channel</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Created</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((incident) => (
                  <tr key={incident.id} className="border-t border-slate-200 align-top">
                    <td className="px-4 py-3">
                      <Link href={`/incidents/${encodeURIComponent(incident.pagerdutyIncidentId)}`} className="font-medium text-emerald-800 underline-offset-2 hover:underline">
                        #{incident.number} {incident.title}
                      </Link>
                    </td>
                    <td className="px-4 py-3">
                      <IncidentStatusBadge status={incident.status} />
                    </td>
                    <td className="px-4 py-3">
                      <Urgency urgency={incident.urgency} />
                    </td>
                    <td className="px-4 py-3 text-slate-800">{incident.priority ?? "—"}</td>
                    <td className="px-4 py-3 text-slate-800">{incident.serviceName}</td>
                    <td className="px-4 py-3 text-slate-800">{incident.assignees.map((assignee) => assignee.summary).join(", ") || "Nobody"}</td>
                    <td className="px-4 py-3 text-slate-800">
                      {incident.channel ? `#${incident.channel.name}${incident.channel.status === "archived" ? " (archived)" : ""}` : "—"}
                    </td>
                    <td className="px-4 py-3 text-slate-700">
                      <DateTime iso={incident.createdAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav aria-label="Pages" className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-800">
            <span>
              {first}–{last} of {data.total}
            </span>
            <span className="flex items-center gap-2">
              <button type="button" className={buttonClasses.secondary} disabled={data.page <= 1} onClick={() => update({ page: data.page - 1 })}>
                Previous
              </button>
              <span>
                Page {data.page} of {pageCount}
              </span>
              <button type="button" className={buttonClasses.secondary} disabled={data.page >= pageCount} onClick={() => update({ page: data.page + 1 })}>
                Next
              </button>
            </span>
          </nav>
        </>
      ) : null}
      {result.isError && data && (
        <p role="alert" className="mt-3 text-sm text-red-900">
          The list could not be refreshed: {result.error.message} It shows the incidents as they were.
        </p>
      )}
    </div>
  );
}

function listStatus(updating: boolean, total: number | undefined): string {
  if (updating) return "Updating…";
  if (total === undefined) return "";
  return `${total} incident${total === 1 ? "" : "s"}`;
}

function FilterSelect(props: { id: string; label: string; value: string; onChange: (value: string) => void; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={props.id} className="mb-1 block text-sm font-medium text-slate-800">
        {props.label}
      </label>
      <select id={props.id} className={inputClasses} value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        {props.children}
      </select>
    </div>
  );
}

