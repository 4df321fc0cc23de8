"use client";

import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { createContext, use, useState, useTransition, type ReactNode } from "react";
import { ApiError, callApi } from "@/components/auth/api";
import { ConfirmDialog } from "@/components/extensions/confirm-dialog";
import { buttonClasses } from "@/components/extensions/ui";
import type { SetChannelContext } from "@/lib/incident-channels/web-actions";
import type { IncidentDetail } from "@/lib/incidents/incident-detail";
import type { SetChannelOutcome } from "./set-channel-dialog";

// The dialog, its channel-name transliteration table (about 9 kB gzipped) and React Query, which
// its channel search uses, load when a responder points at the Set Channel button, not with the page.
const loadSetChannelDialog = () => import("./set-channel-dialog");
const SetChannelDialog = dynamic(() => loadSetChannelDialog().then((module) => module.SetChannelDialog), { ssr: false });

const OutcomeContext = createContext<{ outcome: SetChannelOutcome | null; report: (outcome: SetChannelOutcome | null) => void } | null>(null);

function useOutcome() {
  const value = use(OutcomeContext);
  if (!value) throw new Error("The incident's actions must be used inside <IncidentOutcomeProvider>.");
  return value;
}

/** Keeps the result of the last channel action, which the page shows below its header. */
export function IncidentOutcomeProvider({ children }: { children: ReactNode }) {
  const [outcome, report] = useState<SetChannelOutcome | null>(null);
  return <OutcomeContext value={{ outcome, report }}>{children}</OutcomeContext>;
}

/** The result of the last channel action: what was done, with Slack's warnings, until dismissed. */
export function IncidentOutcomeNotice() {
  const { outcome, report } = useOutcome();
  const hasWarnings = outcome?.warnings && outcome.warnings.length > 0;
  return (
    <div aria-live="polite">
      {outcome && (
        <div role="status" className={`rounded-md border px-4 py-3 text-sm ${hasWarnings ? "border-amber-200 bg-amber-50 text-amber-950" : "border-emerald-200 bg-emerald-50 text-emerald-950"}`}>
          <p className="font-medium">{outcome.message}</p>
          {hasWarnings && (
            <ul className="mt-1 list-disc pl-5">
              {outcome.warnings!.map((warning) => (
                <li key={warning}>{warning}</li>
              ))}
            </ul>
          )}
          <button type="button" className="mt-2 text-sm font-medium underline underline-offset-2" onClick={() => report(null)}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}

/** "Set Channel" or "Change Channel": opens the Set Channel dialog and renders the page again after a change. */
export function SetChannelButton(props: { pagerdutyIncidentId: string; context: SetChannelContext; currentChannel: IncidentDetail["channel"] }) {
  const { report } = useOutcome();
  const router = useRouter();
  const [dialogOpen, setDialogOpen] = useState(false);

  return (
    <>
      <button
        type="button"
        className={`${buttonClasses.primary} shrink-0`}
        onPointerEnter={() => void loadSetChannelDialog()}
        onFocus={() => void loadSetChannelDialog()}
        onClick={() => setDialogOpen(true)}
        disabled={props.context.workspaces.length === 0}
      >
        {props.currentChannel ? "Change Channel" : "Set Channel"}
      </button>
      {dialogOpen && (
        <SetChannelDialog
          open
          pagerdutyIncidentId={props.pagerdutyIncidentId}
          context={props.context}
          currentChannel={props.currentChannel}
          onClose={() => setDialogOpen(false)}
          onDone={(done) => {
            setDialogOpen(false);
            report(done);
            router.refresh();
          }}
        />
      )}
    </>
  );
}

/** "Remove channel", after a confirmation: ends the association, and the channel stays in Slack. */
export function RemoveChannelButton({ pagerdutyIncidentId, channelName }: { pagerdutyIncidentId: string; channelName: string }) {
  const { report } = useOutcome();
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const remove = () => {
    startTransition(async () => {
      try {
        await callApi(`/api/admin/incidents/${encodeURIComponent(pagerdutyIncidentId)}/channel`, { method: "DELETE" });
      } catch (failure) {
        setError(failure instanceof ApiError ? failure.message : "Removing the channel failed. Try again.");
        return;
      }
      setConfirming(false);
      report({ kind: "removed", message: `Removed #${channelName} as the incident's channel. The channel itself stays in Slack.` });
      router.refresh();
    });
  };

  return (
    <>
      <button
        type="button"
        className={buttonClasses.secondary}
        onClick={() => {
          setError(null);
          setConfirming(true);
        }}
      >
        Remove channel
      </button>
      <ConfirmDialog
        open={confirming}
        title="Remove the incident channel?"
        confirmLabel="Remove channel"
        busy={pending}
        error={error}
        onConfirm={remove}
        onCancel={() => setConfirming(false)}
      >
        Switchboard stops updating the incident message in #{channelName} and never archives it. The channel and its messages stay in Slack.
      </ConfirmDialog>
    </>
  );
}
