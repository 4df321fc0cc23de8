"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ApiRequestError, apiFetch } from "./api-fetch";
import { ConfirmDialog } from "./confirm-dialog";
import { buttonClasses } from "./ui";

/** "Delete extension", after a confirmation that names the extension and the channel. */
export function DeleteExtensionButton({ id, name, channelLabel }: { id: string; name: string; channelLabel: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await apiFetch(`/api/admin/extensions/${id}`, { method: "DELETE" });
      router.push(`/extensions?deleted=${encodeURIComponent(name)}`);
      router.refresh();
    } catch (failure) {
      setBusy(false);
      setError(failure instanceof ApiRequestError ? failure.message : "Deleting failed. Try again.");
    }
  };

  return (
    <>
      <button type="button" className={buttonClasses.danger} onClick={() => setOpen(true)}>
        Delete extension
      </button>
      <ConfirmDialog
        open={open}
        title={`Delete ${name}?`}
        confirmLabel="Delete"
        busy={busy}
        error={error}
        onConfirm={confirm}
        onCancel={() => {
          setOpen(false);
          setError(null);
        }}
      >
        New incidents of its service will no longer be posted in {channelLabel}. Messages already posted stay in Slack. This cannot be undone.
      </ConfirmDialog>
    </>
  );
}
