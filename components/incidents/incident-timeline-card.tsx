import { Card } from "@/components/extensions/ui";
import { getPrisma } from "@/lib/db/client";
import { getIncidentTimeline, type IncidentTimeline } from "@/lib/incidents/incident-timeline";
import { scopedLogger } from "@/lib/log";
import { DateTime } from "./date-time";

const log = scopedLogger("incidents");

/**
 * PagerDuty's log is read live, so the page, which renders itself every few seconds, reuses a read
 * of up to this age instead of asking PagerDuty each time.
 */
const PAGERDUTY_MAX_AGE_MS = 15_000;

export function TimelineLoading() {
  return (
    <Card>
      <h2 className="text-lg font-semibold text-slate-900">Timeline</h2>
      <div role="status" className="mt-3 space-y-2">
        <span className="sr-only">Loading the timeline…</span>
        <div className="h-6 animate-pulse rounded bg-slate-200" />
        <div className="h-6 animate-pulse rounded bg-slate-200" />
      </div>
    </Card>
  );
}

/** Shows the timeline of changes and notes, newest first, with Switchboard's channel actions among them. */
export async function IncidentTimelineCard({ pagerdutyIncidentId }: { pagerdutyIncidentId: string }) {
  let timeline: IncidentTimeline;
  try {
    timeline = await getIncidentTimeline(getPrisma(), { pagerdutyIncidentId, maxAgeMs: PAGERDUTY_MAX_AGE_MS });
  } catch (error) {
    log.error({ err: error, pagerdutyIncidentId }, "Reading the incident timeline failed");
    return (
      <Card>
        <h2 className="text-lg font-semibold text-slate-900">Timeline</h2>
        <p role="alert" className="mt-3 text-sm text-red-900">
          The timeline could not be loaded. The page tries again in a few seconds; the server log has the details.
        </p>
      </Card>
    );
  }

  return (
    <Card>
      <h2 className="text-lg font-semibold text-slate-900">Timeline</h2>
      {timeline.pagerdutyProblem && (
        <p role="note" className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-950">
          {timeline.pagerdutyProblem}
        </p>
      )}
      {timeline.entries.length === 0 ? (
        <p className="mt-3 text-sm text-slate-700">Nothing has happened on this incident yet.</p>
      ) : (
        <ol className="mt-3 space-y-3 border-l-2 border-slate-200 pl-4">
          {timeline.entries.map((entry) => (
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
    </Card>
  );
}
