import { DateTime } from "./date-time";
import { Card } from "@/components/extensions/ui";
import type { IncidentDetail } from "@/lib/incidents/incident-detail";
import { DeliveryBadge } from "./incident-badges";

/** Lists the Slack messages posted for the incident, one per channel, with their delivery state. */
export function IncidentMessages({ messages }: { messages: IncidentDetail["messages"] }) {
  return (
    <Card>
      <h2 className="text-lg font-semibold text-slate-900">Slack messages</h2>
      {messages.length === 0 ? (
        <p className="mt-3 text-sm text-slate-700">No Slack message was posted for this incident: no extension maps its service to a channel, and it has no channel of its own.</p>
      ) : (
        <div className="mt-3 overflow-x-auto">
          <table className="w-full min-w-[36rem] text-left text-sm">
            <thead className="bg-slate-100 text-slate-800">
              <tr>
                <th scope="col" className="px-3 py-2 font-semibold">Channel</th>
                <th scope="col" className="px-3 py-2 font-semibold">Posted by</th>
                <th scope="col" className="px-3 py-2 font-semibold">Delivery</th>
                <th scope="col" className="px-3 py-2 font-semibold">Last update</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((message) => (
                <tr key={message.id} className="border-t border-slate-200 align-top">
                  <td className="px-3 py-2">
                    <a href={message.channelUrl} className="font-medium text-emerald-800 underline-offset-2 hover:underline" rel="noreferrer">
                      #{message.channelName ?? message.slackChannelId}
                    </a>
                    <span className="block text-xs text-slate-600">{message.workspaceName}</span>
                  </td>
                  <td className="px-3 py-2 text-slate-800">{message.kind === "extension" ? `Extension ${message.extensionName}` : "Incident channel"}</td>
                  <td className="px-3 py-2">
                    <DeliveryBadge status={message.status} />
                    {message.lastError && <span className="mt-1 block max-w-xs text-xs text-red-900">{message.lastError}</span>}
                  </td>
                  <td className="px-3 py-2 text-slate-700">
                    <DateTime iso={message.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
