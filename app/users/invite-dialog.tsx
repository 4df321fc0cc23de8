"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, useTransition, type FormEvent } from "react";
import { ApiError, callApi } from "@/components/auth/api";
import { DateTime } from "@/components/auth/date-time";
import { buttonClasses, Notice, TextField } from "@/components/auth/ui";
import type { CreatedInvitation } from "@/lib/users/invitations";

const COPY_MESSAGES = {
  copied: "Copied to the clipboard.",
  failed: "Copying failed: the link is selected, press Ctrl+C (⌘C on a Mac).",
} as const;

/** "+ Invite User": a dialog that creates an invitation and then shows its link once. */
export function InviteUserButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={buttonClasses.primary} onClick={() => setOpen(true)}>
        + Invite User
      </button>
      {open && <InviteDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function InviteDialog({ onClose }: { onClose: () => void }) {
  const router = useRouter();
  const ref = useRef<HTMLDialogElement>(null);
  const linkRef = useRef<HTMLInputElement>(null);
  const titleId = useId();
  const [copied, setCopied] = useState<"copied" | "failed" | null>(null);

  const [pending, startTransition] = useTransition();
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<CreatedInvitation | null>(null);

  useEffect(() => {
    ref.current?.showModal();
  }, []);

  useEffect(() => {
    if (created) linkRef.current?.select();
  }, [created]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "");
    setFailure(null);
    startTransition(async () => {
      try {
        const result = await callApi<{ invitation: CreatedInvitation }>("/api/admin/users/invitations", { method: "POST", body: { email } });
        setCreated(result.invitation);
      } catch (error) {
        setFailure(error instanceof ApiError ? error : new ApiError(0, "internal_error", "Creating the invitation failed. Try again."));
        return;
      }
      // The new invitation joins the list behind the dialog.
      router.refresh();
    });
  }

  async function copy(link: string) {
    try {
      await navigator.clipboard.writeText(link);
      setCopied("copied");
    } catch {
      linkRef.current?.select();
      setCopied("failed");
    }
  }

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-modal="true"
      onCancel={(event) => {
        event.preventDefault();
        if (!pending) onClose();
      }}
      className="m-auto w-[min(36rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50"
    >
      <div className="p-6">
        <h2 id={titleId} className="text-lg font-semibold">
          {created ? "Invitation created" : "Invite a user"}
        </h2>
        {created ? (
          <div className="mt-3 space-y-4 text-sm">
            <Notice tone="success">
              Send this link to <strong>{created.email}</strong> yourself, for example in a direct message: Switchboard sends no email. It works once, until{" "}
              <DateTime iso={created.expiresAt} />.
              {created.replaced > 0 && " The earlier invitation for this address no longer works."}
            </Notice>
            <div>
              <label htmlFor="invite-link" className="block text-sm font-medium text-slate-900">
                Invitation link
              </label>
              <div className="mt-1 flex flex-col gap-2 sm:flex-row">
                <input ref={linkRef} id="invite-link" readOnly value={created.inviteUrl} className="block w-full rounded-md border border-slate-400 bg-slate-50 px-3 py-2 font-mono text-xs text-slate-900" />
                <button type="button" className={buttonClasses.secondary} onClick={() => copy(created.inviteUrl)}>
                  Copy link
                </button>
              </div>
              <p aria-live="polite" className="mt-1 min-h-5 text-xs text-slate-700">
                {copied ? COPY_MESSAGES[copied] : ""}
              </p>
              <p className="text-xs text-slate-700">Switchboard keeps no copy of this link. Once you close this dialog, create a new invitation if the link is lost.</p>
            </div>
            <div className="flex justify-end">
              <button type="button" className={buttonClasses.primary} onClick={onClose}>
                Done
              </button>
            </div>
          </div>
        ) : (
          <form onSubmit={submit} className="mt-3 space-y-4">
            <p className="text-sm text-slate-700">
              Switchboard creates a link that lets this person choose a name and password. Their rights follow the PagerDuty user with the same email address.
            </p>
            {failure && !failure.fields.email && <Notice tone="error">{failure.message}</Notice>}
            <TextField id="invite-email-address" name="email" type="email" label="Email address" required autoFocus autoComplete="off" error={failure?.fields.email} />
            <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
              <button type="button" className={buttonClasses.secondary} onClick={onClose} disabled={pending}>
                Cancel
              </button>
              <button type="submit" className={buttonClasses.primary} disabled={pending}>
                {pending ? "Creating…" : "Create invitation link"}
              </button>
            </div>
          </form>
        )}
      </div>
    </dialog>
  );
}
