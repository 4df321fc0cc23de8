import { Card } from "@/components/extensions/ui";
import { StatusBadge } from "@/components/status-badge";
import type { IncidentDetail } from "@/lib/incidents/incident-detail";
import { DateTime } from "./date-time";
import { RemoveChannelButton } from "./incident-actions";

/** Shows the incident's Slack channel, who set it and when it is archived, with a way to remove it. */
export function IncidentChannelCard(props: {
  pagerdutyIncidentId: string;
  channel: IncidentDetail["channel"];
  creationInProgress: IncidentDetail["creationInProgress"];
  canSetChannel: boolean;
}) {
  const { channel } = props;
  return (
    <Card>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <h2 className="text-lg font-semibold text-slate-900">Incident channel</h2>
        {channel && props.canSetChannel && <RemoveChannelButton pagerdutyIncidentId={props.pagerdutyIncidentId} channelName={channel.slackChannelName} />}
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
    </Card>
  );
}
