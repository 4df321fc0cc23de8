"use client";

import { useEffect, useId, useRef } from "react";
import type { WorkspaceSummary } from "@/lib/workspaces/list-workspaces";
import { pluralize } from "./format";

/**
 * Asks for confirmation before a workspace mapping is removed, and explains what happens to its extensions. A native
 * <dialog> opened with showModal() is modal, traps focus and closes on Escape.
 */
export function RemoveWorkspaceDialog(props: {
  workspace: WorkspaceSummary | null;
  pending: boolean;
  error: string | null;
  onConfirm: (workspace: WorkspaceSummary) => void;
  onClose: () => void;
}) {
  const { workspace, pending, error, onConfirm, onClose } = props;
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (workspace && !dialog.open) dialog.showModal();
    if (!workspace && dialog.open) dialog.close();
  }, [workspace]);

  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      aria-modal="true"
      onClose={onClose}
      className="m-auto w-[calc(100%-2rem)] max-w-lg rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50"
    >
      {workspace ? (
        <div className="p-6">
          <h2 id={titleId} className="text-lg font-semibold">
            Remove {workspace.name}?
          </h2>
          <div id={descriptionId} className="mt-3 space-y-2 text-sm text-slate-700">
            <p>Switchboard stops posting in this workspace and erases its bot token.</p>
            <p>
              {workspace.extensionCount === 0
                ? "No extension uses this workspace."
                : `Its ${pluralize(workspace.extensionCount, "extension")} will be kept but disabled, with the reason “Workspace ${workspace.name} was removed from Switchboard”.`}
            </p>
            <p>The app stays installed in Slack. Uninstall it there too if you no longer need it.</p>
          </div>
          {error ? (
            <p role="alert" className="mt-4 rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
              {error}
            </p>
          ) : null}
          <div className="mt-6 flex flex-wrap justify-end gap-3">
            <button
              type="button"
              autoFocus
              onClick={onClose}
              disabled={pending}
              className="rounded border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100 disabled:opacity-60"
            >
              Cancel
            </button>
            <button
              type="button"
              onClick={() => onConfirm(workspace)}
              disabled={pending}
              className="rounded bg-red-700 px-4 py-2 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-60"
            >
              {pending ? "Removing…" : "Remove workspace"}
            </button>
          </div>
        </div>
      ) : null}
    </dialog>
  );
}
