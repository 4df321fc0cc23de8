import { requirePageUser } from "@/lib/auth/page-guard";
import { getPrisma } from "@/lib/db/client";
import { getOverview, type Overview } from "@/lib/overview/get-overview";
import { StatusBadge } from "@/components/status-badge";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  await requirePageUser("/");
  let overview: Overview;
  try {
    overview = await getOverview(getPrisma());
  } catch {
    return (
      <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-6 text-red-900">
        <h1 className="text-lg font-semibold">Switchboard cannot reach its database</h1>
        <p className="mt-2">Check that PostgreSQL is running and DATABASE_URL is right, then reload this page. /api/health says what is wrong.</p>
      </div>
    );
  }

  return (
    <div className="space-y-10">
      <section aria-labelledby="workspaces-heading">
        <h1 id="workspaces-heading" className="text-2xl font-semibold">Slack workspaces</h1>
        {overview.workspaces.length === 0 ? (
          <EmptyState text="No Slack workspace is mapped yet. Install the app into a workspace under Slack Workspace Mapping." />
        ) : (
          <ul className="mt-4 grid gap-3 sm:grid-cols-2">
            {overview.workspaces.map((workspace) => (
              <li key={workspace.id} className="rounded-lg border border-slate-200 bg-white p-4">
                <div className="flex items-center justify-between gap-2">
                  <span className="font-medium">{workspace.name}</span>
                  <StatusBadge tone={workspace.status === "active" ? "ok" : "warn"}>{workspace.status === "active" ? "Active" : "Inactive"}</StatusBadge>
                </div>
                <p className="mt-1 text-sm text-slate-600">Team ID {workspace.slackTeamId}</p>
                {workspace.statusReason && <p className="mt-1 text-sm text-amber-800">{workspace.statusReason}</p>}
                {workspace.managedBy === "config" && <p className="mt-1 text-xs text-slate-500">Managed by the configuration file</p>}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="extensions-heading">
        <h2 id="extensions-heading" className="text-xl font-semibold">Slack V2 extensions</h2>
        {overview.extensions.length === 0 ? (
          <EmptyState text="No extension yet. Create one under Extensions to post a service's incidents in a Slack channel." />
        ) : (
          <div className="mt-4 overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-left text-sm">
              <thead className="bg-slate-100 text-slate-700">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">Name</th>
                  <th scope="col" className="px-4 py-2 font-medium">Service</th>
                  <th scope="col" className="px-4 py-2 font-medium">Channel</th>
                  <th scope="col" className="px-4 py-2 font-medium">Updates</th>
                  <th scope="col" className="px-4 py-2 font-medium">Status</th>
                </tr>
              </thead>
              <tbody>
                {overview.extensions.map((extension) => (
                  <tr key={extension.id} className="border-t border-slate-200">
                    <td className="px-4 py-2 font-medium">{extension.name}</td>
                    <td className="px-4 py-2">
                      {extension.pagerdutyServiceName ?? extension.pagerdutyServiceId}
                      {extension.pagerdutyServiceName && <span className="ml-1 font-mono text-xs text-slate-500">{extension.pagerdutyServiceId}</span>}
                    </td>
                    <td className="px-4 py-2">
                      #{extension.slackChannelName} <span className="text-slate-500">({extension.workspace.name})</span>
                    </td>
                    <td className="px-4 py-2 text-slate-700">{updateList(extension)}</td>
                    <td className="px-4 py-2">
                      <StatusBadge tone={extension.status === "working" ? "ok" : "warn"}>{EXTENSION_STATUS_LABELS[extension.status]}</StatusBadge>
                      {extension.statusReason && <p className="mt-1 text-xs text-amber-800">{extension.statusReason}</p>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="incidents-heading">
        <h2 id="incidents-heading" className="text-xl font-semibold">Recent incidents</h2>
        {overview.failedDeliveries > 0 && (
          <p role="status" className="mt-2 rounded bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {overview.failedDeliveries} Slack message{overview.failedDeliveries === 1 ? "" : "s"} could not be delivered; the reason is shown beside each incident.
          </p>
        )}
        {overview.incidents.length === 0 ? (
          <EmptyState text="No incident has reached Switchboard yet. Incidents appear here as PagerDuty sends their webhooks." />
        ) : (
          <ul className="mt-4 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
            {overview.incidents.map((incident) => (
              <li key={incident.id} className="flex flex-col gap-1 px-4 py-3 sm:flex-row sm:items-center sm:justify-between">
                <div>
                  <a href={incident.htmlUrl} className="font-medium text-emerald-800 underline-offset-2 hover:underline">
                    #{incident.number} {incident.title}
                  </a>
                  <p className="text-sm text-slate-600">
                    {incident.serviceName} · {incident.urgency} urgency
                    {incident.lastActionByName ? ` · ${incident.lastAction} by ${incident.lastActionByName}` : ""}
                  </p>
                  {incident.messages.filter((message) => message.status === "failed").map((message) => (
                    <p key={message.slackChannelId} className="text-xs text-red-800">Not delivered to {message.slackChannelId}: {message.lastError}</p>
                  ))}
                </div>
                <StatusBadge tone={INCIDENT_STATUS_TONES[incident.status] ?? "danger"}>
                  {incident.status[0]!.toUpperCase() + incident.status.slice(1)}
                </StatusBadge>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

const EXTENSION_STATUS_LABELS = { working: "Working", needs_attention: "Needs attention", disabled: "Disabled" } as const;

const INCIDENT_STATUS_TONES: Record<string, "ok" | "warn" | "danger"> = { resolved: "ok", acknowledged: "warn", triggered: "danger" };

function EmptyState({ text }: { text: string }) {
  return <p className="mt-4 rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-600">{text}</p>;
}

function updateList(extension: Overview["extensions"][number]): string {
  const updates = [
    extension.notifyEscalate && "Escalate",
    extension.notifyResolve && "Resolves",
    extension.notifyAcknowledge && "Acknowledgements",
    extension.notifyReassign && "Reassign",
    extension.notifyNotes && "Notes",
  ].filter(Boolean);
  return updates.length > 0 ? updates.join(", ") : "None";
}
