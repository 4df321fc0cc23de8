"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { ApiError, callApi } from "@/components/auth/api";
import { buttonClasses, inputClasses, Notice, TextField } from "@/components/auth/ui";

export interface Choice {
  id: string;
  label: string;
}

/** "+ New link": links a Slack member to a PagerDuty user by hand, in a modal dialog. */
export function NewLinkDialog({ workspaces, pagerdutyUsers, pagerdutyProblem }: { workspaces: Choice[]; pagerdutyUsers: Choice[]; pagerdutyProblem: string | null }) {
  const [open, setOpen] = useState(false);
  const [formKey, setFormKey] = useState(0);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <>
      <button type="button" className={buttonClasses.primary} onClick={() => (setFormKey((key) => key + 1), setOpen(true))}>
        + New link
      </button>
      <dialog
        ref={dialogRef}
        aria-labelledby={titleId}
        aria-modal="true"
        onCancel={(event) => (event.preventDefault(), setOpen(false))}
        className="m-auto w-[min(34rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50"
      >
        <div className="p-6">
          <h2 id={titleId} className="text-lg font-semibold">
            Link a Slack member by hand
          </h2>
          <p className="mt-1 text-sm text-slate-700">For people whose Slack email matches no PagerDuty user. Their actions in Slack then run in PagerDuty as the user you choose.</p>
          {open && <NewLinkForm key={formKey} workspaces={workspaces} pagerdutyUsers={pagerdutyUsers} pagerdutyProblem={pagerdutyProblem} onDone={() => setOpen(false)} />}
        </div>
      </dialog>
    </>
  );
}

function NewLinkForm({ workspaces, pagerdutyUsers, pagerdutyProblem, onDone }: { workspaces: Choice[]; pagerdutyUsers: Choice[]; pagerdutyProblem: string | null; onDone: () => void }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const router = useRouter();
  const alertRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (error) alertRef.current?.focus();
  }, [error]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      await callApi("/api/admin/slack-links", {
        method: "POST",
        body: { slackTeamId: String(form.get("slackTeamId") ?? ""), slackUserId: String(form.get("slackUserId") ?? ""), pagerdutyUserId: String(form.get("pagerdutyUserId") ?? "") },
      });
    } catch (failure) {
      setPending(false);
      setError(failure instanceof ApiError ? { message: failure.message, fields: failure.fields } : { message: "Saving the link failed. Try again.", fields: {} });
      return;
    }
    onDone();
    router.refresh();
  }

  const fields = error?.fields ?? {};
  const cannotSubmit = workspaces.length === 0 || pagerdutyUsers.length === 0;
  return (
    <form onSubmit={submit} className="mt-4 space-y-4">
      <div ref={alertRef} tabIndex={-1} aria-live="polite" className="outline-none">
        {error && <Notice tone="error">{error.message}</Notice>}
      </div>
      {workspaces.length === 0 && <Notice tone="info">No Slack workspace is mapped yet. Map one under Slack Workspace Mapping first.</Notice>}
      {pagerdutyProblem && <Notice tone="info">{pagerdutyProblem}</Notice>}
      <SelectField id="link-workspace" name="slackTeamId" label="Slack workspace" choices={workspaces} error={fields.slackTeamId} />
      <TextField
        id="link-slack-user"
        name="slackUserId"
        label="Slack member ID"
        hint="In Slack: open the person's profile, then ⋮ → Copy member ID. It looks like U0123ABCD."
        required
        pattern="[UWuw][A-Za-z0-9]{2,}"
        autoComplete="off"
        error={fields.slackUserId}
      />
      <SelectField id="link-pagerduty-user" name="pagerdutyUserId" label="PagerDuty user" choices={pagerdutyUsers} error={fields.pagerdutyUserId} />
      <div className="flex flex-col-reverse gap-2 pt-2 sm:flex-row sm:justify-end">
        <button type="button" className={buttonClasses.secondary} onClick={onDone} disabled={pending}>
          Cancel
        </button>
        <button type="submit" className={buttonClasses.primary} disabled={pending || cannotSubmit}>
          {pending ? "Saving…" : "Save link"}
        </button>
      </div>
    </form>
  );
}

function SelectField({ id, name, label, choices, error }: { id: string; name: string; label: string; choices: Choice[]; error?: string }) {
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        {label}
      </label>
      <select id={id} name={name} required aria-invalid={error ? true : undefined} aria-describedby={errorId} className={`mt-1 ${inputClasses}`} defaultValue="">
        <option value="" disabled>
          Choose…
        </option>
        {choices.map((choice) => (
          <option key={choice.id} value={choice.id}>
            {choice.label}
          </option>
        ))}
      </select>
      {error && (
        <p id={errorId} className="mt-1 text-sm text-red-800">
          {error}
        </p>
      )}
    </div>
  );
}
