"use client";

import { useQuery } from "@tanstack/react-query";
import { DateTime } from "./date-time";
import { apiFetch } from "@/components/extensions/api-fetch";
import { buttonClasses, Card } from "@/components/extensions/ui";
import type { IncidentTimeline } from "@/lib/incidents/incident-timeline";

/** PagerDuty's log is read live, so it refreshes less often than the stored incident. */
const REFRESH_MS = 15_000;

/** Shows the timeline of changes and notes, newest first, with Switchboard's channel actions among them. */
export function IncidentTimelineCard({ pagerdutyIncidentId }: { pagerdutyIncidentId: string }) {
  const result = useQuery({
    queryKey: ["incident-timeline", pagerdutyIncidentId],
    queryFn: () => apiFetch<IncidentTimeline>(`/api/admin/incidents/${encodeURIComponent(pagerdutyIncidentId)}/timeline`),
    refetchInterval: REFRESH_MS,
  });

  return (
    <Card>
      <h2 className="text-lg font-semibold text-slate-900">Timeline</h2>
      {result.isPending ? (
        <div role="status" className="mt-3 space-y-2">
          <span className="sr-only">Loading the timeline…</span>
          <div className="h-6 animate-pulse rounded bg-slate-200" />
          <div className="h-6 animate-pulse rounded bg-slate-200" />
        </div>
      ) : result.isError && !result.data ? (
        <div role="alert" className="mt-3 text-sm text-red-900">
          <p>The timeline could not be loaded: {result.error.message}</p>
          <button type="button" className={`${buttonClasses.secondary} mt-2`} onClick={() => result.refetch()}>
            Try again
          </button>
        </div>
      ) : (
        <>
          {result.data.pagerdutyProblem && (
            <p role="note" className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-950">
              {result.data.pagerdutyProblem}
            </p>
          )}
          {result.data.entries.length === 0 ? (
            <p className="mt-3 text-sm text-slate-700">Nothing has happened on this incident yet.</p>
          ) : (
            <ol className="mt-3 space-y-3 border-l-2 border-slate-200 pl-4">
              {result.data.entries.map((entry) => (
                <li key={entry.id} className="text-sm">
                  <p className="text-slate-900">
                    <span className="font-medium">{entry.summary}</span>
                    {entry.by && <span className="text-slate-700"> · {entry.by}</span>}
                    {entry.source === "switchboard" && <span className="ml-1 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">Switchboard</span>}
                  </p>
                  {entry.content && <p className="mt-1 whitespace-pre-wrap rounded bg-slate-50 px-3 py-2 text-slate-800">{entry.content}</p>}
                  <p className="text-xs text-slate-600">
                    <DateTime iso={entry.at} />
                  </p>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </Card>
  );
}
