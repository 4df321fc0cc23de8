import Link from "next/link";
import { Suspense, type ReactNode } from "react";
import { Card } from "@/components/extensions/ui";
import { AutoRefresh } from "@/components/ui/auto-refresh";
import type { SetChannelContext } from "@/lib/incident-channels/web-actions";
import type { IncidentDetail } from "@/lib/incidents/incident-detail";
import { DateTime } from "./date-time";
import { IncidentOutcomeNotice, IncidentOutcomeProvider, SetChannelButton } from "./incident-actions";
import { capitalize, IncidentStatusBadge, Urgency } from "./incident-badges";
import { IncidentChannelCard } from "./incident-channel-card";
import { IncidentMessages } from "./incident-messages";
import { IncidentTimelineCard, TimelineLoading } from "./incident-timeline-card";

/** How often the page is rendered again, so it follows the incident as PagerDuty and Slack change it. */
const REFRESH_MS = 5_000;

/** Renders the incident page: its state, channel, Slack messages and timeline, refreshed every few seconds. */
export function IncidentDetailView({ detail, setChannel }: { detail: IncidentDetail; setChannel: SetChannelContext }) {
  const { incident } = detail;
  return (
    <IncidentOutcomeProvider>
      <div className="space-y-6">
        <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
          <div>
            <p className="text-sm font-medium text-slate-700">
              <Link href="/incidents" className="text-emerald-800 underline-offset-2 hover:underline">
                Incidents
              </Link>{" "}
              / #{incident.number}
            </p>
            <h1 className="mt-1 text-2xl font-semibold text-slate-900">
              #{incident.number} {incident.title}
            </h1>
            <p className="mt-2 flex flex-wrap items-center gap-2 text-sm text-slate-700">
              <IncidentStatusBadge status={incident.status} />
              <span>{incident.serviceName}</span>
            </p>
          </div>
          {setChannel.canSetChannel && <SetChannelButton pagerdutyIncidentId={incident.pagerdutyIncidentId} context={setChannel} currentChannel={detail.channel} />}
        </div>

        {!setChannel.canSetChannel && setChannel.reason && (
          <p role="note" className="rounded-md border border-slate-300 bg-slate-100 px-4 py-3 text-sm text-slate-800">
            <span className="font-semibold">You can view this incident but not set its channel. </span>
            {setChannel.reason}
          </p>
        )}
        {setChannel.canSetChannel && setChannel.workspaces.length === 0 && (
          <p role="note" className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-950">
            No Slack workspace is mapped and active, so no channel can be set. An admin can install the app under Slack Workspace Mapping.
          </p>
        )}
        <IncidentOutcomeNotice />
        <AutoRefresh intervalMs={REFRESH_MS} staleMessage="It shows the incident as it was." />

        <Card>
          <h2 className="text-lg font-semibold text-slate-900">Details</h2>
          <dl className="mt-3 grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-3">
            <Fact label="Status">
              <IncidentStatusBadge status={incident.status} />
            </Fact>
            <Fact label="Urgency">
              <Urgency urgency={incident.urgency} />
            </Fact>
            <Fact label="Priority">{incident.priority ?? "None"}</Fact>
            <Fact label="Service">{incident.serviceName}</Fact>
            <Fact label="Assigned to">{incident.assignees.map((assignee) => assignee.summary).join(", ") || "Nobody"}</Fact>
            <Fact label="Escalation policy">{incident.escalationPolicyName ?? "None"}</Fact>
            <Fact label="Created">
              <DateTime iso={incident.createdAt} />
            </Fact>
            <Fact label="Last action">
              {incident.lastAction ? (
                <>
                  {capitalize(incident.lastAction.replace(/_/g, " "))}
                  {incident.lastActionByName ? ` by ${incident.lastActionByName}` : ""}
                  {incident.lastActionAt && (
                    <>
                      {" · "}
                      <DateTime iso={incident.lastActionAt} />
                    </>
                  )}
                </>
              ) : (
                "None"
              )}
            </Fact>
            <Fact label="In PagerDuty">
              <a href={incident.htmlUrl} className="font-medium text-emerald-800 underline-offset-2 hover:underline" rel="noreferrer">
                Open incident {incident.pagerdutyIncidentId}
              </a>
            </Fact>
          </dl>
        </Card>

        <IncidentChannelCard
          pagerdutyIncidentId={incident.pagerdutyIncidentId}
          channel={detail.channel}
          creationInProgress={detail.creationInProgress}
          canSetChannel={setChannel.canSetChannel}
        />
        <IncidentMessages messages={detail.messages} />
        <Suspense fallback={<TimelineLoading />}>
          <IncidentTimelineCard pagerdutyIncidentId={incident.pagerdutyIncidentId} />
        </Suspense>
      </div>
    </IncidentOutcomeProvider>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="font-medium text-slate-600">{label}</dt>
      <dd className="mt-0.5 text-slate-900">{children}</dd>
    </div>
  );
}
