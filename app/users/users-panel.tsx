"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, callApi } from "@/components/auth/api";
import { ConfirmDialog } from "@/components/auth/confirm-dialog";
import { DateTime } from "@/components/auth/date-time";
import { RoleBadge } from "@/components/auth/role-badge";
import { buttonClasses, Notice } from "@/components/auth/ui";
import { StatusBadge } from "@/components/status-badge";
import type { InvitationView, UserDirectory, UserView } from "@/lib/users/list-users";
import { USERS_QUERY_KEY } from "./query-keys";

export interface UsersData extends UserDirectory {
  viewer: { id: string; isAdmin: boolean; readOnlyReason: string | null };
}

type PendingAction = { kind: "disable"; user: UserView } | { kind: "revoke"; invitation: InvitationView };

const METHOD_LABELS = { password: "Email and password", slack: "Slack" } as const;

/** The Users page body: web users and open invitations, with the admin actions for admins. */
export function UsersPanel({ initialData }: { initialData: UsersData }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<PendingAction | null>(null);
  const [announcement, setAnnouncement] = useState<string | null>(null);

  const query = useQuery({
    queryKey: USERS_QUERY_KEY,
    queryFn: () => callApi<UsersData>("/api/admin/users"),
    initialData,
  });

  const setDisabled = useMutation({
    mutationFn: (input: { user: UserView; disabled: boolean }) => callApi(`/api/admin/users/${input.user.id}`, { method: "PATCH", body: { disabled: input.disabled } }),
    onSuccess: async (_result, input) => {
      setConfirming(null);
      setAnnouncement(input.disabled ? `Disabled ${input.user.email}. They are signed out and cannot sign in.` : `Enabled ${input.user.email}. They can sign in again.`);
      await queryClient.invalidateQueries({ queryKey: USERS_QUERY_KEY });
    },
  });

  const revoke = useMutation({
    mutationFn: (invitation: InvitationView) => callApi(`/api/admin/users/invitations/${invitation.id}/revoke`, { method: "POST" }),
    onSuccess: async (_result, invitation) => {
      setConfirming(null);
      setAnnouncement(`Revoked the invitation for ${invitation.email}. Its link no longer works.`);
      await queryClient.invalidateQueries({ queryKey: USERS_QUERY_KEY });
    },
  });

  const data = query.data;
  const isAdmin = data.viewer.isAdmin;
  const busy = setDisabled.isPending || revoke.isPending;
  const enableError = !confirming && setDisabled.error instanceof ApiError ? setDisabled.error.message : null;

  return (
    <div className="space-y-10">
      <div aria-live="polite" className="empty:hidden">
        {announcement && <Notice tone="success">{announcement}</Notice>}
      </div>
      {enableError && <Notice tone="error">{enableError}</Notice>}
      {query.isError && <Notice tone="error">The list could not be refreshed: {query.error.message}</Notice>}

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
                        <button
                          type="button"
                          className={buttonClasses.small}
                          disabled={busy}
                          onClick={() => {
                            setAnnouncement(null);
                            setDisabled.mutate({ user, disabled: false });
                          }}
                          aria-label={`Enable ${user.email}`}
                        >
                          Enable
                        </button>
                      ) : (
                        <button
                          type="button"
                          className={buttonClasses.small}
                          disabled={busy}
                          onClick={() => {
                            setAnnouncement(null);
                            setDisabled.reset();
                            setConfirming({ kind: "disable", user });
                          }}
                          aria-label={`Disable ${user.email}`}
                        >
                          Disable
                        </button>
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
                        <button
                          type="button"
                          className={buttonClasses.small}
                          disabled={busy}
                          onClick={() => {
                            setAnnouncement(null);
                            revoke.reset();
                            setConfirming({ kind: "revoke", invitation });
                          }}
                          aria-label={`Revoke the invitation for ${invitation.email}`}
                        >
                          Revoke
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <ConfirmDialog
        open={confirming?.kind === "disable"}
        title={confirming?.kind === "disable" ? `Disable ${confirming.user.name}?` : "Disable user?"}
        confirmLabel="Disable user"
        busy={setDisabled.isPending}
        error={setDisabled.error?.message ?? null}
        onConfirm={() => confirming?.kind === "disable" && setDisabled.mutate({ user: confirming.user, disabled: true })}
        onCancel={() => setConfirming(null)}
      >
        {confirming?.kind === "disable" && (
          <p>
            {confirming.user.email} is signed out at once and cannot sign in until an admin enables the account again. API keys they created are revoked and stay
            revoked.
          </p>
        )}
      </ConfirmDialog>

      <ConfirmDialog
        open={confirming?.kind === "revoke"}
        title="Revoke invitation?"
        confirmLabel="Revoke invitation"
        busy={revoke.isPending}
        error={revoke.error?.message ?? null}
        onConfirm={() => confirming?.kind === "revoke" && revoke.mutate(confirming.invitation)}
        onCancel={() => setConfirming(null)}
      >
        {confirming?.kind === "revoke" && <p>The link sent to {confirming.invitation.email} stops working. You can invite the address again later.</p>}
      </ConfirmDialog>
    </div>
  );
}
