import { DateTime } from "@/components/auth/date-time";
import { RoleBadge } from "@/components/auth/role-badge";
import { StatusBadge } from "@/components/status-badge";
import type { UserDirectory } from "@/lib/users/list-users";
import { DisableUserButton, EnableUserButton, RevokeInvitationButton, UserActions } from "./user-actions";

const METHOD_LABELS = { password: "Email and password", slack: "Slack" } as const;

/** The Users page body: web users and open invitations, with the admin actions for admins. */
export function UsersPanel({ directory, viewer }: { directory: UserDirectory; viewer: { id: string; isAdmin: boolean } }) {
  const data = { ...directory, viewer };
  const isAdmin = viewer.isAdmin;
  return (
    <UserActions>
      <div className="space-y-10">
        <section aria-labelledby="web-users-heading">
          <h2 id="web-users-heading" className="text-lg font-semibold text-slate-900">
            Web users <span className="text-sm font-normal text-slate-600">({data.users.length})</span>
          </h2>
          <div className="relative mt-3 overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table className="w-full min-w-[44rem] text-left text-sm">
              <thead className="bg-slate-100 text-slate-800">
                <tr>
                  <th scope="col" className="px-4 py-2 font-semibold">Name</th>
                  <th scope="col" className="px-4 py-2 font-semibold">PagerDuty user and role</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Signs in with</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Last sign-in</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Status</th>
                  {isAdmin && (
                    <th scope="col" className="px-4 py-2 font-semibold">
                      <span className="sr-only">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {data.users.map((user) => (
                  <tr key={user.id} className="border-t border-slate-200 align-top">
                    <td className="px-4 py-3">
                      <span className="block font-medium text-slate-900">
                        {user.name}
                        {user.id === data.viewer.id && <span className="font-normal text-slate-600"> (you)</span>}
                      </span>
                      <span className="block break-words text-slate-700">{user.email}</span>
                    </td>
                    <td className="px-4 py-3">
                      <div className="flex flex-wrap items-center gap-1.5">
                        {user.isOwner && <RoleBadge label="Switchboard owner" isAdmin />}
                        <RoleBadge label={user.roleLabel} isAdmin={!user.isOwner && user.isAdmin} />
                      </div>
                      {user.pagerdutyUserId ? (
                        <span className="mt-1 block text-xs text-slate-700">
                          {user.pagerdutyUserName ?? "PagerDuty user"} <span className="font-mono">{user.pagerdutyUserId}</span>
                        </span>
                      ) : (
                        <span className="mt-1 block text-xs text-slate-700">No PagerDuty user has this email.</span>
                      )}
                    </td>
                    <td className="px-4 py-3 text-slate-800">{user.signInMethods.length ? user.signInMethods.map((method) => METHOD_LABELS[method]).join(", ") : "None yet"}</td>
                    <td className="px-4 py-3 text-slate-800">
                      <DateTime iso={user.lastSignInAt} />
                    </td>
                    <td className="px-4 py-3">{user.disabledAt ? <StatusBadge tone="danger">Disabled</StatusBadge> : <StatusBadge tone="ok">Active</StatusBadge>}</td>
                    {isAdmin && (
                      <td className="px-4 py-3 text-right">
                        {user.isOwner || user.id === data.viewer.id ? null : user.disabledAt ? (
                          <EnableUserButton userId={user.id} email={user.email} />
                        ) : (
                          <DisableUserButton userId={user.id} email={user.email} name={user.name} />
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>

        <section aria-labelledby="invitations-heading">
          <h2 id="invitations-heading" className="text-lg font-semibold text-slate-900">
            Pending invitations
          </h2>
          {data.invitations.length === 0 ? (
            <p className="mt-3 rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-700">
              No invitation is waiting to be accepted.{isAdmin ? " Use + Invite User to add someone who does not sign in with Slack." : ""}
            </p>
          ) : (
            <div className="relative mt-3 overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
              <table className="w-full min-w-[36rem] text-left text-sm">
                <thead className="bg-slate-100 text-slate-800">
                  <tr>
                    <th scope="col" className="px-4 py-2 font-semibold">Email address</th>
                    <th scope="col" className="px-4 py-2 font-semibold">Invited by</th>
                    <th scope="col" className="px-4 py-2 font-semibold">Expires</th>
                    <th scope="col" className="px-4 py-2 font-semibold">Status</th>
                    {isAdmin && (
                      <th scope="col" className="px-4 py-2 font-semibold">
                        <span className="sr-only">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {data.invitations.map((invitation) => (
                    <tr key={invitation.id} className="border-t border-slate-200">
                      <td className="break-words px-4 py-3 font-medium text-slate-900">{invitation.email}</td>
                      <td className="px-4 py-3 text-slate-800">{invitation.invitedBy ?? "A removed user"}</td>
                      <td className="px-4 py-3 text-slate-800">
                        <DateTime iso={invitation.expiresAt} />
                      </td>
                      <td className="px-4 py-3">{invitation.state === "expired" ? <StatusBadge tone="warn">Expired</StatusBadge> : <StatusBadge tone="ok">Pending</StatusBadge>}</td>
                      {isAdmin && (
                        <td className="px-4 py-3 text-right">
                          <RevokeInvitationButton invitationId={invitation.id} email={invitation.email} />
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>
    </UserActions>
  );
}
