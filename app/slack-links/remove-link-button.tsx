"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { ApiError, callApi } from "@/components/auth/api";
import { ConfirmDialog } from "@/components/auth/confirm-dialog";
import { buttonClasses } from "@/components/auth/ui";

/** Remove, after a confirmation that names who loses the link. */
export function RemoveLinkButton({ linkId, slackUserId, pagerdutyLabel }: { linkId: string; slackUserId: string; pagerdutyLabel: string }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const router = useRouter();

  function confirm() {
    startTransition(async () => {
      try {
        await callApi(`/api/admin/slack-links/${encodeURIComponent(linkId)}`, { method: "DELETE" });
      } catch (failure) {
        setError(failure instanceof ApiError ? failure.message : "Removing the link failed. Try again.");
        return;
      }
      setOpen(false);
      router.refresh();
    });
  }

  return (
    <>
      <button type="button" className={buttonClasses.small} onClick={() => (setError(null), setOpen(true))} aria-label={`Remove the link of ${slackUserId}`}>
        Remove
      </button>
      <ConfirmDialog
        open={open}
        title="Remove this link?"
        confirmLabel="Remove link"
        busy={pending}
        error={error}
        onConfirm={confirm}
        onCancel={() => setOpen(false)}
      >
        Slack member {slackUserId} will no longer act in PagerDuty as {pagerdutyLabel}. Their next action in Slack asks them to connect their account again.
      </ConfirmDialog>
    </>
  );
}
