import type { Metadata } from "next";
import { InstallAppLink } from "@/components/workspaces/install-app-link";
import { WorkspacesTable } from "@/components/workspaces/workspaces-table";
import { requirePageUser } from "@/lib/auth/page-guard";
import { getEnv } from "@/lib/config/env";
import { getPrisma } from "@/lib/db/client";
import { isSlackAppConfigured } from "@/lib/slack/oauth/install-flow";
import { listWorkspaces } from "@/lib/workspaces/list-workspaces";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Slack Workspace Mapping" };

export default async function WorkspacesPage(props: { searchParams: Promise<{ installed?: string | string[] }> }) {
  const user = await requirePageUser("/workspaces");
  const { installed } = await props.searchParams;
  const workspaces = await listWorkspaces(getPrisma());
  const slackConfigured = isSlackAppConfigured(getEnv());
  const installedWorkspace = typeof installed === "string" ? workspaces.find((workspace) => workspace.id === installed) : undefined;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <p className="text-sm font-medium text-slate-600">Configuration</p>
          <h1 className="text-2xl font-semibold text-slate-900">Slack Workspace Mapping</h1>
          <p className="mt-1 max-w-2xl text-sm text-slate-600">
            Slack workspaces where Switchboard&apos;s app is installed. Each extension posts a PagerDuty service&apos;s incidents into a channel of one of them.
          </p>
        </div>
        {user.isAdmin && slackConfigured ? <InstallAppLink /> : null}
      </div>

      {user.readOnlyReason ? (
        <p className="rounded border border-slate-300 bg-slate-100 px-4 py-3 text-sm text-slate-800">{user.readOnlyReason}</p>
      ) : null}
      {user.isAdmin && !slackConfigured ? (
        <p className="rounded border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          No Slack app is configured, so the app cannot be installed from here. Set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET and restart Switchboard.
        </p>
      ) : null}
      {installedWorkspace ? (
        <p role="status" className="rounded border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900">
          Switchboard was installed in {installedWorkspace.name}. Extensions can now post into its channels.
        </p>
      ) : null}

      <WorkspacesTable workspaces={workspaces} canAdminister={user.isAdmin} />
    </div>
  );
}
