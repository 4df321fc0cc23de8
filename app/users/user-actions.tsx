"use client";

import { useRouter } from "next/navigation";
import { createContext, use, useState, useTransition, type ReactNode } from "react";
import { ApiError, callApi } from "@/components/auth/api";
import { ConfirmDialog } from "@/components/auth/confirm-dialog";
import { buttonClasses, Notice } from "@/components/auth/ui";

interface UserActionsValue {
  /** True while an action's request or the page's refresh after it runs. The action buttons are disabled meanwhile. */
  pending: boolean;
  /**
   * Sends `request`. On success it shows `success` above the lists, calls `onDone` and renders the
   * page again; on failure it passes the message to `onError`.
   */
  perform: (action: { request: () => Promise<unknown>; success: string; onDone?: () => void; onError: (message: string) => void }) => void;
  /** Shows an error above the lists, for an action that has no dialog to show it in. */
  showError: (message: string) => void;
  clearNotice: () => void;
}

const UserActionsContext = createContext<UserActionsValue | null>(null);

function useUserActions(): UserActionsValue {
  const value = use(UserActionsContext);
  if (!value) throw new Error("The user actions must be used inside <UserActions>.");
  return value;
}

/** Runs the Users page's actions one at a time and shows the result of the last one above the lists. */
export function UserActions({ children }: { children: ReactNode }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [notice, setNotice] = useState<{ tone: "success" | "error"; message: string } | null>(null);

  const value: UserActionsValue = {
    pending,
    perform: ({ request, success, onDone, onError }) => {
      setNotice(null);
      startTransition(async () => {
        try {
          await request();
        } catch (failure) {
          onError(failure instanceof ApiError ? failure.message : "The change failed. Try again.");
          return;
        }
        onDone?.();
        setNotice({ tone: "success", message: success });
        router.refresh();
      });
    },
    showError: (message) => setNotice({ tone: "error", message }),
    clearNotice: () => setNotice(null),
  };

  return (
    <UserActionsContext value={value}>
      <div aria-live="polite" className="mb-10 empty:hidden">
        {notice && <Notice tone={notice.tone}>{notice.message}</Notice>}
      </div>
      {children}
    </UserActionsContext>
  );
}

/** "Enable": lets a disabled user sign in again, at once. */
export function EnableUserButton({ userId, email }: { userId: string; email: string }) {
  const { pending, perform, showError } = useUserActions();
  return (
    <button
      type="button"
      className={buttonClasses.small}
      disabled={pending}
      aria-label={`Enable ${email}`}
      onClick={() =>
        perform({
          request: () => callApi(`/api/admin/users/${userId}`, { method: "PATCH", body: { disabled: false } }),
          success: `Enabled ${email}. They can sign in again.`,
          onError: showError,
        })
      }
    >
      Enable
    </button>
  );
}

/** "Disable", after a confirmation: signs the user out and keeps them out until enabled. */
export function DisableUserButton({ userId, email, name }: { userId: string; email: string; name: string }) {
  const { pending, perform, clearNotice } = useUserActions();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className={buttonClasses.small}
        disabled={pending}
        aria-label={`Disable ${email}`}
        onClick={() => {
          clearNotice();
          setError(null);
          setConfirming(true);
        }}
      >
        Disable
      </button>
      <ConfirmDialog
        open={confirming}
        title={`Disable ${name}?`}
        confirmLabel="Disable user"
        busy={pending}
        error={error}
        onConfirm={() =>
          perform({
            request: () => callApi(`/api/admin/users/${userId}`, { method: "PATCH", body: { disabled: true } }),
            success: `Disabled ${email}. They are signed out and cannot sign in.`,
            onDone: () => setConfirming(false),
            onError: setError,
          })
        }
        onCancel={() => setConfirming(false)}
      >
        <p>
          {email} is signed out at once and cannot sign in until an admin enables the account again. API keys they created are revoked and stay revoked.
        </p>
      </ConfirmDialog>
    </>
  );
}

/** "Revoke", after a confirmation: the invitation's link stops working. */
export function RevokeInvitationButton({ invitationId, email }: { invitationId: string; email: string }) {
  const { pending, perform, clearNotice } = useUserActions();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className={buttonClasses.small}
        disabled={pending}
        aria-label={`Revoke the invitation for ${email}`}
        onClick={() => {
          clearNotice();
          setError(null);
          setConfirming(true);
        }}
      >
        Revoke
      </button>
      <ConfirmDialog
        open={confirming}
        title="Revoke invitation?"
        confirmLabel="Revoke invitation"
        busy={pending}
        error={error}
        onConfirm={() =>
          perform({
            request: () => callApi(`/api/admin/users/invitations/${invitationId}/revoke`, { method: "POST" }),
            success: `Revoked the invitation for ${email}. Its link no longer works.`,
            onDone: () => setConfirming(false),
            onError: setError,
          })
        }
        onCancel={() => setConfirming(false)}
      >
        <p>The link sent to {email} stops working. You can invite the address again later.</p>
      </ConfirmDialog>
    </>
  );
}
