"use client";

import { useRouter } from "next/navigation";
import { createContext, use, useEffect, useRef, useState, useTransition, type ReactNode } from "react";
import { ApiError, callApi } from "@/components/auth/api";
import type { WorkspaceSummary } from "@/lib/workspaces/list-workspaces";
import { pluralize } from "./format";
import { RemoveWorkspaceDialog } from "./remove-workspace-dialog";

const AnnounceContext = createContext<((message: string) => void) | null>(null);

/**
 * Shows the result of the last removal above the list. The removed row's button, which had focus,
 * is gone by then, so keyboard users continue from the result.
 */
export function WorkspaceAnnouncements({ children }: { children: ReactNode }) {
  const [announcement, setAnnouncement] = useState("");
  const announcementRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    if (announcement) announcementRef.current?.focus();
  }, [announcement]);

  return (
    <AnnounceContext value={setAnnouncement}>
      <p ref={announcementRef} tabIndex={-1} role="status" aria-live="polite" className={announcement ? "rounded border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900" : "sr-only"}>
        {announcement}
      </p>
      {children}
    </AnnounceContext>
  );
}

/** "Remove", after a confirmation that explains what happens to the workspace's extensions. */
export function RemoveWorkspaceButton({ workspace }: { workspace: WorkspaceSummary }) {
  const announce = use(AnnounceContext);
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const remove = () => {
    setError(null);
    startTransition(async () => {
      let removed: { name: string; disabledExtensions: number };
      try {
        ({ removed } = await callApi<{ removed: { name: string; disabledExtensions: number } }>(`/api/admin/workspaces/${encodeURIComponent(workspace.id)}`, { method: "DELETE" }));
      } catch (failure) {
        setError(failure instanceof ApiError ? failure.message : `Removing ${workspace.name} failed. Try again.`);
        return;
      }
      // The dialog stays open ("Removing…") until the list shows the removal, so the two never disagree.
      startTransition(() => {
        setOpen(false);
        announce?.(`${removed.name} was removed from Switchboard.${removed.disabledExtensions > 0 ? ` ${pluralize(removed.disabledExtensions, "extension")} disabled.` : ""}`);
        router.refresh();
      });
    });
  };

  return (
    <>
      <button
        type="button"
        onClick={() => {
          setError(null);
          announce?.("");
          setOpen(true);
        }}
        aria-label={`Remove ${workspace.name}`}
        className="rounded border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50"
      >
        Remove
      </button>
      <RemoveWorkspaceDialog
        workspace={open ? workspace : null}
        pending={pending}
        error={error}
        onConfirm={remove}
        onClose={() => {
          if (!pending) setOpen(false);
        }}
      />
    </>
  );
}
