import { StatusBadge } from "@/components/status-badge";
import { AutoRefresh } from "@/components/ui/auto-refresh";
import type { WorkspaceSummary } from "@/lib/workspaces/list-workspaces";
import { formatUtcDate, pluralize } from "./format";
import { RemoveWorkspaceButton, WorkspaceAnnouncements } from "./workspace-actions";

/** How often the list renders itself again, so an uninstall in Slack shows up without a reload. */
const REFRESH_MS = 30_000;

/** Shows the mapped workspaces as a table on wide screens and as cards on phones, with Remove for admins. */
export function WorkspacesTable(props: { workspaces: WorkspaceSummary[]; canAdminister: boolean }) {
  const { workspaces } = props;
  return (
    <WorkspaceAnnouncements>
      <AutoRefresh intervalMs={REFRESH_MS} staleMessage="It shows the workspaces as they were." />

      {workspaces.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center">
          <h2 className="text-base font-semibold">No Slack workspace is mapped yet</h2>
          <p className="mx-auto mt-2 max-w-xl text-sm text-slate-600">
            {props.canAdminister
              ? "Install the app into a Slack workspace to map it. Extensions can then post incidents into its channels."
              : "An Account Owner or Global Admin can install the app into a Slack workspace to map it."}
          </p>
        </div>
      ) : (
        <>
          <div className="hidden overflow-hidden rounded-lg border border-slate-200 bg-white md:block">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Mapped Slack workspaces</caption>
              <thead className="bg-slate-100 text-slate-700">
                <tr>
                  <th scope="col" className="px-4 py-3 font-medium">Workspace</th>
                  <th scope="col" className="px-4 py-3 font-medium">Team ID</th>
                  <th scope="col" className="px-4 py-3 font-medium">Installed by</th>
                  <th scope="col" className="px-4 py-3 font-medium">Status</th>
                  <th scope="col" className="px-4 py-3 text-right font-medium">Extensions</th>
                  <th scope="col" className="px-4 py-3 font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {workspaces.map((workspace) => (
                  <tr key={workspace.id} className="border-t border-slate-200 align-top" data-team-id={workspace.slackTeamId}>
                    <th scope="row" className="px-4 py-3 font-medium text-slate-900">{workspace.name}</th>
                    <td className="px-4 py-3 font-mono text-xs text-slate-700">{workspace.slackTeamId}</td>
                    <td className="px-4 py-3 text-slate-700">
                      <InstalledBy workspace={workspace} />
                    </td>
                    <td className="max-w-sm px-4 py-3">
                      <WorkspaceStatus workspace={workspace} />
                    </td>
                    <td className="px-4 py-3 text-right tabular-nums">{workspace.extensionCount}</td>
                    <td className="px-4 py-3 text-right">
                      <WorkspaceActions workspace={workspace} canAdminister={props.canAdminister} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <ul className="space-y-3 md:hidden" aria-label="Mapped Slack workspaces">
            {workspaces.map((workspace) => (
              <li key={workspace.id} className="rounded-lg border border-slate-200 bg-white p-4" data-team-id={workspace.slackTeamId}>
                <div className="flex items-start justify-between gap-3">
                  <h2 className="font-medium text-slate-900">{workspace.name}</h2>
                  {workspace.managedByConfig ? null : <WorkspaceActions workspace={workspace} canAdminister={props.canAdminister} />}
                </div>
                <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
                  <dt className="text-slate-600">Team ID</dt>
                  <dd className="font-mono text-xs leading-5">{workspace.slackTeamId}</dd>
                  <dt className="text-slate-600">Installed by</dt>
                  <dd>
                    <InstalledBy workspace={workspace} />
                  </dd>
                  <dt className="text-slate-600">Extensions</dt>
                  <dd>{workspace.extensionCount}</dd>
                </dl>
                <div className="mt-3">
                  <WorkspaceStatus workspace={workspace} />
                </div>
                {workspace.managedByConfig ? <p className="mt-2 text-xs text-slate-600">Managed by the configuration file</p> : null}
              </li>
            ))}
          </ul>
        </>
      )}

    </WorkspaceAnnouncements>
  );
}

function InstalledBy({ workspace }: { workspace: WorkspaceSummary }) {
  return (
    <>
      <span className="block">{workspace.installedBy ?? "Unknown"}</span>
      <time dateTime={workspace.installedAt} className="block text-xs text-slate-600">
        {formatUtcDate(workspace.installedAt)}
      </time>
    </>
  );
}

function WorkspaceStatus({ workspace }: { workspace: WorkspaceSummary }) {
  const badge =
    workspace.state === "active" ? (
      <StatusBadge tone="ok">Active</StatusBadge>
    ) : workspace.state === "removed" ? (
      <StatusBadge tone="danger">Removed</StatusBadge>
    ) : (
      <StatusBadge tone="warn">Inactive</StatusBadge>
    );
  return (
    <div className="space-y-1">
      {badge}
      {workspace.statusReason ? <p className="text-xs text-slate-700">{workspace.statusReason}</p> : null}
      {workspace.missingScopes.length > 0 ? (
        <details className="text-xs text-amber-900">
          <summary className="cursor-pointer">
            Lacks {pluralize(workspace.missingScopes.length, "scope")} Switchboard needs. Install the app again to grant {workspace.missingScopes.length === 1 ? "it" : "them"}.
          </summary>
          <p className="mt-1 font-mono">{workspace.missingScopes.join(", ")}</p>
        </details>
      ) : null}
    </div>
  );
}

function WorkspaceActions(props: { workspace: WorkspaceSummary; canAdminister: boolean }) {
  const { workspace } = props;
  if (workspace.managedByConfig) return <span className="text-xs text-slate-600">Managed by the configuration file</span>;
  if (!props.canAdminister || workspace.state === "removed") return null;
  return <RemoveWorkspaceButton workspace={workspace} />;
}
