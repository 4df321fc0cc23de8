"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { DateTime } from "./date-time";
import { apiFetch } from "@/components/extensions/api-fetch";
import { buttonClasses, Card } from "@/components/extensions/ui";
import type { SetChannelContext } from "@/lib/incident-channels/web-actions";
import type { IncidentDetail } from "@/lib/incidents/incident-detail";
import { capitalize, IncidentStatusBadge, Urgency } from "./incident-badges";
import { IncidentChannelCard } from "./incident-channel-card";
import { IncidentMessages } from "./incident-messages";
import { IncidentTimelineCard } from "./incident-timeline-card";
import type { SetChannelOutcome } from "./set-channel-dialog";

// The dialog and its channel-name transliteration table (about 9 kB gzipped) load when a responder
// points at the Set Channel button, not with the page.
const loadSetChannelDialog = () => import("./set-channel-dialog");
const SetChannelDialog = dynamic(() => loadSetChannelDialog().then((module) => module.SetChannelDialog), { ssr: false });

/** How often the page is read again, so it follows the incident as PagerDuty and Slack change it. */
const REFRESH_MS = 5_000;

export type IncidentDetailResponse = IncidentDetail & { setChannel: SetChannelContext };

/** Renders the incident page: its state, channel, Slack messages and timeline, refreshed every few seconds. */
export function IncidentDetailView({ pagerdutyIncidentId }: { pagerdutyIncidentId: string }) {
  const queryClient = useQueryClient();
  const detailKey = ["incident", pagerdutyIncidentId];
  const result = useQuery({
    queryKey: detailKey,
    queryFn: () => apiFetch<IncidentDetailResponse>(`/api/admin/incidents/${encodeURIComponent(pagerdutyIncidentId)}`),
    refetchInterval: REFRESH_MS,
  });
  const [dialogOpen, setDialogOpen] = useState(false);
  const [outcome, setOutcome] = useState<SetChannelOutcome | null>(null);

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: detailKey });
    void queryClient.invalidateQueries({ queryKey: ["incident-timeline", pagerdutyIncidentId] });
  };

  if (result.isPending) {
    return (
      <div role="status" className="space-y-4">
        <span className="sr-only">Loading the incident…</span>
        <div className="h-8 w-2/3 animate-pulse rounded bg-slate-200" />
        <div className="h-40 animate-pulse rounded-lg bg-slate-200" />
      </div>
    );
  }
  if (result.isError && !result.data) {
    return (
      <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-5 text-red-900">
        <p className="font-semibold">The incident could not be loaded.</p>
        <p className="mt-1 text-sm">{result.error.message}</p>
        <button type="button" className={`${buttonClasses.secondary} mt-3`} onClick={() => result.refetch()}>
          Try again
        </button>
      </div>
    );
  }

  const data = result.data!;
  const { incident, setChannel } = data;
  return (
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
        {setChannel.canSetChannel && (
          <button
            type="button"
            className={`${buttonClasses.primary} shrink-0`}
            onPointerEnter={() => void loadSetChannelDialog()}
            onFocus={() => void loadSetChannelDialog()}
            onClick={() => setDialogOpen(true)}
            disabled={setChannel.workspaces.length === 0}
          >
            {data.channel ? "Change Channel" : "Set Channel"}
          </button>
        )}
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
      <div aria-live="polite">{outcome && <OutcomeNotice outcome={outcome} onDismiss={() => setOutcome(null)} />}</div>
      {result.isError && (
        <p role="alert" className="text-sm text-red-900">
          The page could not be refreshed: {result.error.message} It shows the incident as it was.
        </p>
      )}

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
        channel={data.channel}
        creationInProgress={data.creationInProgress}
        canSetChannel={setChannel.canSetChannel}
        onChanged={(message) => {
          setOutcome({ kind: "removed", message });
          refresh();
        }}
      />
      <IncidentMessages messages={data.messages} />
      <IncidentTimelineCard pagerdutyIncidentId={incident.pagerdutyIncidentId} />

      {setChannel.canSetChannel && dialogOpen && (
        <SetChannelDialog
          open
          pagerdutyIncidentId={incident.pagerdutyIncidentId}
          context={setChannel}
          currentChannel={data.channel}
          onClose={() => setDialogOpen(false)}
          onDone={(done) => {
            setDialogOpen(false);
            setOutcome(done);
            refresh();
          }}
        />
      )}
    </div>
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

function OutcomeNotice({ outcome, onDismiss }: { outcome: SetChannelOutcome; onDismiss: () => void }) {
  const hasWarnings = outcome.warnings && outcome.warnings.length > 0;
  return (
    <div role="status" className={`rounded-md border px-4 py-3 text-sm ${hasWarnings ? "border-amber-200 bg-amber-50 text-amber-950" : "border-emerald-200 bg-emerald-50 text-emerald-950"}`}>
      <p className="font-medium">{outcome.message}</p>
      {hasWarnings && (
        <ul className="mt-1 list-disc pl-5">
          {outcome.warnings!.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      <button type="button" className="mt-2 text-sm font-medium underline underline-offset-2" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
