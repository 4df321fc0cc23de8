import type { Metadata } from "next";
import { DateTime } from "@/components/auth/date-time";
import { buttonClasses, inputClasses, PageHeader, ReadOnlyNotice } from "@/components/auth/ui";
import { StatusBadge } from "@/components/status-badge";
import { requirePageUser } from "@/lib/auth/page-guard";
import { getPrisma } from "@/lib/db/client";
import { listSlackLinks, type SlackLinkRow } from "@/lib/linking/manage-links";
import { scopedLogger } from "@/lib/log";
import { getPagerDutyClient } from "@/lib/pagerduty/connection";
import { listUsers } from "@/lib/slack/actions/pagerduty-requests";
import { NewLinkDialog, type Choice } from "./new-link-dialog";
import { RemoveLinkButton } from "./remove-link-button";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Slack links" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const log = scopedLogger("slack-links");

const METHOD_LABELS: Record<string, string> = {
  slack_sign_in: "Signed in with Slack",
  admin: "Linked by an admin",
  config: "Configuration file",
};

/** Slack links: which Slack member acts in PagerDuty as which PagerDuty user. Admins add and remove links. */
export default async function SlackLinksPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requirePageUser("/slack-links");
  const params = await searchParams;
  const search = typeof params.q === "string" ? params.q.slice(0, 200) : "";
  const prisma = getPrisma();
  const links = await listSlackLinks({ prisma, search });
  const choices = viewer.isAdmin ? await formChoices() : null;

  return (
    <div>
      <PageHeader
        section="Configuration"
        title="Slack links"
        description="Each Slack member who acts on incidents from Slack is linked to a PagerDuty user, and acts in PagerDuty as that user. People link themselves by signing in with Slack from the Connect message; link by hand those whose Slack email matches no PagerDuty user."
        action={choices ? <NewLinkDialog workspaces={choices.workspaces} pagerdutyUsers={choices.pagerdutyUsers} pagerdutyProblem={choices.pagerdutyProblem} /> : undefined}
      />
      {viewer.readOnlyReason && <ReadOnlyNotice reason={viewer.readOnlyReason} />}

      <form role="search" method="get" className="mb-4 flex max-w-xl flex-col gap-2 sm:flex-row sm:items-end">
        <div className="flex-1">
          <label htmlFor="slack-links-search" className="block text-sm font-medium text-slate-900">
            Search
          </label>
          <input id="slack-links-search" name="q" type="search" defaultValue={search} placeholder="Slack member ID, PagerDuty user ID or email" className={`mt-1 ${inputClasses}`} />
        </div>
        <button type="submit" className={buttonClasses.secondary}>
          Search
        </button>
      </form>

      {links.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-700">
          {search ? `No link matches "${search}".` : "No Slack member is linked yet. People link themselves the first time they act on an incident in Slack."}
        </p>
      ) : (
        <LinksTable links={links} canEdit={viewer.isAdmin} />
      )}
    </div>
  );
}

function LinksTable({ links, canEdit }: { links: SlackLinkRow[]; canEdit: boolean }) {
  return (
    // `relative` keeps the screen-reader-only texts inside the scrolling box on narrow screens.
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Slack members and the PagerDuty users they act as</caption>
        <thead className="bg-slate-100 text-slate-700">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">Slack member</th>
            <th scope="col" className="px-4 py-2 font-medium">PagerDuty user</th>
            <th scope="col" className="hidden px-4 py-2 font-medium md:table-cell">How</th>
            <th scope="col" className="hidden px-4 py-2 font-medium md:table-cell">Linked</th>
            {canEdit && (
              <th scope="col" className="px-4 py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {links.map((link) => {
            const pagerdutyLabel = link.pagerdutyName ? `${link.pagerdutyName} (${link.pagerdutyEmail})` : link.pagerdutyEmail;
            const methodLabel = METHOD_LABELS[link.method ?? ""] ?? "Linked";
            return (
              <tr key={link.id}>
                <td className="px-4 py-3 align-top">
                  <span className="font-mono text-slate-900">{link.slackUserId}</span>
                  <span className="block text-xs text-slate-600">{link.workspaceName ?? link.slackTeamId}</span>
                  <span className="mt-1 block md:hidden">
                    <StatusBadge tone={link.managedByConfig ? "warn" : "ok"}>{methodLabel}</StatusBadge>
                  </span>
                </td>
                <td className="px-4 py-3 align-top">
                  <span className="text-slate-900 [overflow-wrap:anywhere]">{link.pagerdutyName ?? link.pagerdutyEmail}</span>
                  <span className="block text-xs text-slate-600 [overflow-wrap:anywhere]">
                    {link.pagerdutyName ? `${link.pagerdutyEmail} · ` : ""}
                    {link.pagerdutyUserId}
                  </span>
                </td>
                <td className="hidden px-4 py-3 align-top md:table-cell">
                  <StatusBadge tone={link.managedByConfig ? "warn" : "ok"}>{methodLabel}</StatusBadge>
                </td>
                <td className="hidden px-4 py-3 align-top text-slate-700 md:table-cell">
                  <DateTime iso={link.createdAt.toISOString()} />
                </td>
                {canEdit && (
                  <td className="px-4 py-3 align-top">
                    {/* The cell stays left-aligned, so the confirmation dialog inside it reads normally. */}
                    <div className="flex justify-end">
                      {link.managedByConfig ? (
                        <span className="hidden text-right text-xs text-slate-600 md:inline">Managed by the configuration file</span>
                      ) : (
                        <RemoveLinkButton linkId={link.id} slackUserId={link.slackUserId} pagerdutyLabel={pagerdutyLabel} />
                      )}
                    </div>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Loads the choices of the New link form: mapped workspaces and the PagerDuty account's users. */
async function formChoices(): Promise<{ workspaces: Choice[]; pagerdutyUsers: Choice[]; pagerdutyProblem: string | null }> {
  const workspaces = (await getPrisma().slackWorkspace.findMany({ orderBy: { name: "asc" } })).map((workspace) => ({ id: workspace.slackTeamId, label: `${workspace.name} (${workspace.slackTeamId})` }));
  const client = await getPagerDutyClient();
  if (!client) return { workspaces, pagerdutyUsers: [], pagerdutyProblem: "Switchboard is not connected to PagerDuty yet, so there are no PagerDuty users to choose from. Set the API token under Settings." };
  try {
    const users = await listUsers(client);
    const pagerdutyUsers = users.sort((a, b) => a.name.localeCompare(b.name)).map((user) => ({ id: user.id, label: `${user.name} (${user.email})` }));
    return { workspaces, pagerdutyUsers, pagerdutyProblem: null };
  } catch (error) {
    log.warn({ err: error }, "Could not list PagerDuty users for the New link form");
    return { workspaces, pagerdutyUsers: [], pagerdutyProblem: "PagerDuty did not return its users just now. Reload the page to try again." };
  }
}
