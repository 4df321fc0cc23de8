import Link from "next/link";
import { AutoRefresh } from "@/components/ui/auto-refresh";
import { ListLink, ListNavigation, ListRows, ListStatus } from "@/components/ui/list-navigation";
import { PageLinks } from "@/components/ui/page-links";
import { buttonClasses } from "@/components/extensions/ui";
import type { IncidentListPage } from "@/lib/incidents/list-incidents";
import { DateTime } from "./date-time";
import { IncidentStatusBadge, Urgency } from "./incident-badges";
import { IncidentFilterBar } from "./incident-filters";
import { incidentsHref, type IncidentFilters } from "./incidents-href";

/** How often the list is rendered again, so it follows incidents as PagerDuty changes them. */
const REFRESH_MS = 5_000;

/**
 * Lists incidents with filters by status, service and urgency, pages of 25 and a refresh every few
 * seconds. The filters are kept in the address, so a link or the back button keeps them.
 */
export function IncidentList({ result, filters }: { result: IncidentListPage; filters: IncidentFilters }) {
  const pageCount = Math.max(1, Math.ceil(result.total / result.pageSize));
  const first = result.items.length > 0 ? (result.page - 1) * result.pageSize + 1 : 0;
  const last = result.items.length > 0 ? first + result.items.length - 1 : 0;
  const filtered = Boolean(filters.status || filters.service || filters.urgency);

  return (
    <ListNavigation>
      <IncidentFilterBar filters={filters} services={result.services} />

      <ListStatus className="mb-2 text-sm text-slate-700">
        {result.total} incident{result.total === 1 ? "" : "s"}
      </ListStatus>
      <div className="mb-3 empty:hidden">
        <AutoRefresh intervalMs={REFRESH_MS} staleMessage="It shows the incidents as they were." />
      </div>

      <ListRows>
        {result.items.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-700">
            {result.total > 0 ? (
              <>
                Page {result.page} is past the end of the list.{" "}
                <ListLink href={incidentsHref({ ...filters, page: 1 })} className={buttonClasses.link}>
                  Go to the first page
                </ListLink>
              </>
            ) : filtered ? (
              "No incident matches these filters. Choose All in a filter to see more."
            ) : (
              "No incident has reached Switchboard yet. Incidents appear here as PagerDuty sends their webhooks."
            )}
          </p>
        ) : (
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
                {result.items.map((incident) => (
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
        )}
      </ListRows>

      {result.items.length > 0 && (
        <nav aria-label="Pages" className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-800">
          <span>
            {first}–{last} of {result.total}
          </span>
          <PageLinks page={result.page} pageCount={pageCount} href={(page) => incidentsHref({ ...filters, page })} />
        </nav>
      )}
    </ListNavigation>
  );
}
