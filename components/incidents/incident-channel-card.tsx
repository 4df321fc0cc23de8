"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { DateTime } from "./date-time";
import { apiFetch } from "@/components/extensions/api-fetch";
import { ConfirmDialog } from "@/components/extensions/confirm-dialog";
import { buttonClasses, Card } from "@/components/extensions/ui";
import { StatusBadge } from "@/components/status-badge";
import type { IncidentDetail } from "@/lib/incidents/incident-detail";

/** Shows the incident's Slack channel, who set it and when it is archived, with a way to remove it. */
export function IncidentChannelCard(props: {
  pagerdutyIncidentId: string;
  channel: IncidentDetail["channel"];
  creationInProgress: IncidentDetail["creationInProgress"];
  canSetChannel: boolean;
  onChanged: (message: string) => void;
}) {
  const { channel } = props;
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => apiFetch<{ removed: boolean }>(`/api/admin/incidents/${encodeURIComponent(props.pagerdutyIncidentId)}/channel`, { method: "DELETE" }),
    onSuccess: () => {
      setConfirming(false);
      props.onChanged(`Removed #${channel?.slackChannelName} as the incident's channel. The channel itself stays in Slack.`);
    },
  });

  return (
    <Card>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <h2 className="text-lg font-semibold text-slate-900">Incident channel</h2>
        {channel && props.canSetChannel && (
          <button type="button" className={buttonClasses.secondary} onClick={() => setConfirming(true)}>
            Remove channel
          </button>
        )}
      </div>
      {props.creationInProgress && (
        <p role="status" className="mt-2 text-sm text-slate-700">
          Creating #{props.creationInProgress.slackChannelName}…
        </p>
      )}
      {channel ? (
        <div className="mt-3 space-y-2 text-sm text-slate-800">
          <p className="flex flex-wrap items-center gap-2">
            <a href={channel.channelUrl} className="text-base font-semibold text-emerald-800 underline-offset-2 hover:underline" rel="noreferrer">
              #{channel.slackChannelName}
            </a>
            <span className="text-slate-600">in {channel.workspaceName}</span>
            {channel.isPrivate && <StatusBadge tone="warn">Private</StatusBadge>}
            {channel.status === "archived" && <StatusBadge tone="danger">Archived</StatusBadge>}
          </p>
          <p>
            {channel.createdBySwitchboard ? "Created by Switchboard" : "An existing channel"} for {channel.requestedByLabel}, <DateTime iso={channel.createdAt} />.
          </p>
          {channel.status === "archived" && channel.archivedAt ? (
            <p>
              Archived <DateTime iso={channel.archivedAt} />.
            </p>
          ) : channel.archiveAt ? (
            <p>
              To be archived <DateTime iso={channel.archiveAt} />, as the extension&apos;s rule sets.
            </p>
          ) : null}
          {channel.lastError && <p className="text-red-900">{channel.lastError}</p>}
        </div>
      ) : (
        !props.creationInProgress && <p className="mt-3 text-sm text-slate-700">This incident has no channel of its own. Its message is posted in the channels of its service&apos;s extensions.</p>
      )}
      <ConfirmDialog
        open={confirming}
        title="Remove the incident channel?"
        confirmLabel="Remove channel"
        busy={remove.isPending}
        error={remove.error?.message ?? null}
        onConfirm={() => remove.mutate()}
        onCancel={() => {
          setConfirming(false);
          remove.reset();
        }}
      >
        Switchboard stops updating the incident message in #{channel?.slackChannelName} and never archives it. The channel and its messages stay in Slack.
      </ConfirmDialog>
    </Card>
  );
}
