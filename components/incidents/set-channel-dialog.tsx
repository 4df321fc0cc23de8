"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from "react";
import { ApiRequestError, apiFetch } from "@/components/extensions/api-fetch";
import { buttonClasses, FieldError, inputClasses } from "@/components/extensions/ui";
import { useDebounced } from "@/components/extensions/use-debounced";
import { QueryProvider } from "@/components/providers";
import { buildChannelName, toSlackChannelName } from "@/lib/incident-channels/channel-name";
import type { ChannelSearchResult, SetChannelContext, SetChannelRequest } from "@/lib/incident-channels/web-actions";
import type { IncidentDetail } from "@/lib/incidents/incident-detail";

export interface SetChannelOutcome {
  kind: "created" | "associated" | "removed";
  message: string;
  warnings?: string[];
}

interface SetChannelResponse {
  channel: { slackChannelId: string; slackChannelName: string; isPrivate: boolean };
  invited: string[];
  warnings: string[];
  recovered: boolean;
}

type Mode = "create" | "associate";

interface SetChannelDialogProps {
  open: boolean;
  pagerdutyIncidentId: string;
  context: SetChannelContext;
  currentChannel: IncidentDetail["channel"];
  onClose: () => void;
  onDone: (outcome: SetChannelOutcome) => void;
}

/**
 * The Set Channel dialog, as in PagerDuty: create a channel (public or private) named from the
 * extension's template with a live preview of the name Slack will get, or choose an existing
 * channel from a searchable list. Errors stay in the dialog; on success it closes and reports.
 * It brings its own React Query provider, because the page around it does not load React Query.
 */
export function SetChannelDialog(props: SetChannelDialogProps) {
  return (
    <QueryProvider>
      <SetChannelForm {...props} />
    </QueryProvider>
  );
}

function SetChannelForm(props: SetChannelDialogProps) {
  const { context } = props;
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [mode, setMode] = useState<Mode>("create");
  const [workspaceId, setWorkspaceId] = useState(props.currentChannel?.workspaceId ?? context.workspaces[0]?.id ?? "");
  const workspace = context.workspaces.find((candidate) => candidate.id === workspaceId);
  const nameInput = useMemo(() => ({ ...context.nameInput, createdAt: new Date(context.nameInput.createdAt) }), [context.nameInput]);
  const templateName = workspace ? buildChannelName(workspace.nameTemplate, nameInput) : "";
  const [name, setName] = useState(templateName);
  const [isPrivate, setIsPrivate] = useState(false);
  const [selectedChannelId, setSelectedChannelId] = useState("");
  const fallback = `inc-${context.nameInput.number}`;
  const preview = toSlackChannelName(name, fallback);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    else if (!props.open && dialog.open) dialog.close();
  }, [props.open]);

  // Another workspace may have another template, so the name starts again from it.
  const changeWorkspace = (id: string) => {
    const next = context.workspaces.find((candidate) => candidate.id === id);
    setWorkspaceId(id);
    setName(next ? buildChannelName(next.nameTemplate, nameInput) : "");
    setSelectedChannelId("");
  };

  const submit = useMutation({
    mutationFn: (request: SetChannelRequest) =>
      apiFetch<SetChannelResponse>(`/api/admin/incidents/${encodeURIComponent(props.pagerdutyIncidentId)}/channel`, { method: "PUT", body: request }),
    onSuccess: (response, request) => {
      const channel = `#${response.channel.slackChannelName}`;
      const message =
        request.mode === "create"
          ? `${response.recovered ? "Found and recorded" : "Created"} ${channel}${response.channel.isPrivate ? " (private)" : ""}. The incident message is posted there and kept up to date.${
              response.invited.length > 0 ? ` Invited: ${response.invited.join(", ")}.` : ""
            }`
          : `${channel} is now the incident's channel. The incident message is posted there and kept up to date.`;
      props.onDone({ kind: request.mode === "create" ? "created" : "associated", message, warnings: response.warnings });
      submit.reset();
    },
  });
  const fieldErrors = submit.error instanceof ApiRequestError ? submit.error.fields : {};

  const close = () => {
    if (submit.isPending) return;
    submit.reset();
    props.onClose();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (mode === "create") submit.mutate({ mode, workspaceId, name, isPrivate });
    else submit.mutate({ mode, workspaceId, slackChannelId: selectedChannelId });
  };

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-modal="true"
      onCancel={(event) => {
        event.preventDefault();
        close();
      }}
      className="m-auto w-[min(40rem,calc(100vw-1rem))] rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50"
    >
      <form onSubmit={onSubmit} className="p-5 sm:p-6" noValidate>
        <h2 id={titleId} className="text-lg font-semibold">
          Set Channel
        </h2>
        <p className="mt-1 text-sm text-slate-700">
          Give incident #{context.nameInput.number} its own Slack channel. Switchboard posts the incident message there and keeps it up to date.
        </p>

        <fieldset className="mt-4">
          <legend className="text-sm font-medium text-slate-800">Channel</legend>
          <div className="mt-2 flex flex-col gap-2 sm:flex-row sm:gap-6">
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" name="channel-mode" value="create" checked={mode === "create"} onChange={() => setMode("create")} className="h-4 w-4 accent-emerald-700" />
              Create a new channel
            </label>
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" name="channel-mode" value="associate" checked={mode === "associate"} onChange={() => setMode("associate")} className="h-4 w-4 accent-emerald-700" />
              Use an existing channel
            </label>
          </div>
        </fieldset>

        <div className="mt-4">
          <label htmlFor="set-channel-workspace" className="block text-sm font-medium text-slate-800">
            Slack workspace
          </label>
          <select
            id="set-channel-workspace"
            className={`${inputClasses} mt-1`}
            value={workspaceId}
            onChange={(event) => changeWorkspace(event.target.value)}
            aria-invalid={Boolean(fieldErrors.workspaceId)}
            aria-describedby="set-channel-workspace-error"
          >
            {context.workspaces.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.name}
              </option>
            ))}
          </select>
          <FieldError id="set-channel-workspace-error" message={fieldErrors.workspaceId} />
        </div>

        {mode === "create" ? (
          <div className="mt-4 space-y-4">
            <div>
              <label htmlFor="set-channel-name" className="block text-sm font-medium text-slate-800">
                Channel name
              </label>
              <input
                id="set-channel-name"
                className={`${inputClasses} mt-1 font-mono`}
                value={name}
                maxLength={200}
                onChange={(event) => setName(event.target.value)}
                aria-invalid={Boolean(fieldErrors.name)}
                aria-describedby="set-channel-name-help set-channel-name-preview set-channel-name-error"
              />
              <p id="set-channel-name-help" className="mt-1 text-xs text-slate-600">
                From the template <code className="rounded bg-slate-100 px-1">{workspace?.nameTemplate}</code>. Slack allows lowercase letters, digits, hyphens and underscores, at most 80 characters. A taken name gets a suffix such as -2.
              </p>
              <p id="set-channel-name-preview" aria-live="polite" className="mt-2 rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-800">
                Slack name: <span className="font-mono font-semibold">#{preview}</span>
              </p>
              <FieldError id="set-channel-name-error" message={fieldErrors.name} />
            </div>
            <label className="flex items-start gap-2 text-sm">
              <input type="checkbox" checked={isPrivate} onChange={(event) => setIsPrivate(event.target.checked)} className="mt-0.5 h-4 w-4 accent-emerald-700" />
              <span>
                Private channel
                <span className="block text-xs text-slate-600">Only invited people see it. Switchboard invites you and the incident&apos;s assignees who linked their Slack account.</span>
              </span>
            </label>
          </div>
        ) : (
          <ExistingChannelPicker
            pagerdutyIncidentId={props.pagerdutyIncidentId}
            workspaceId={workspaceId}
            selectedChannelId={selectedChannelId}
            onSelect={setSelectedChannelId}
            error={fieldErrors.slackChannelId}
          />
        )}

        {submit.error && (
          <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-900">
            {submit.error.message}
          </p>
        )}

        <div className="mt-6 flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
          <button type="button" className={buttonClasses.secondary} onClick={close} disabled={submit.isPending}>
            Cancel
          </button>
          <button
            type="submit"
            className={buttonClasses.primary}
            disabled={submit.isPending || !workspaceId || (mode === "associate" && !selectedChannelId)}
            aria-busy={submit.isPending}
          >
            {submitLabel(mode, submit.isPending)}
          </button>
        </div>
      </form>
    </dialog>
  );
}

function submitLabel(mode: Mode, pending: boolean): string {
  if (pending) return mode === "create" ? "Creating…" : "Saving…";
  return mode === "create" ? "Create channel" : "Use channel";
}

/** Renders a search box over the workspace's channels, with the matches as radio buttons. */
function ExistingChannelPicker(props: { pagerdutyIncidentId: string; workspaceId: string; selectedChannelId: string; onSelect: (id: string) => void; error?: string }) {
  const [search, setSearch] = useState("");
  const [refreshCount, setRefreshCount] = useState(0);
  const query = useDebounced(search.trim());
  const result = useQuery({
    queryKey: ["incident-slack-channels", props.pagerdutyIncidentId, props.workspaceId, query, refreshCount],
    queryFn: () => {
      const params = new URLSearchParams({ workspaceId: props.workspaceId, query, refresh: refreshCount > 0 ? "1" : "0" });
      return apiFetch<ChannelSearchResult>(`/api/admin/incidents/${encodeURIComponent(props.pagerdutyIncidentId)}/slack-channels?${params.toString()}`);
    },
    enabled: Boolean(props.workspaceId),
    staleTime: 30_000,
  });

  return (
    <div className="mt-4">
      <label htmlFor="set-channel-search" className="block text-sm font-medium text-slate-800">
        Search channels
      </label>
      <div className="mt-1 flex gap-2">
        <input
          id="set-channel-search"
          type="search"
          className={inputClasses}
          placeholder="Channel name"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          aria-describedby="set-channel-search-status"
        />
        <button type="button" className={buttonClasses.secondary} onClick={() => setRefreshCount((count) => count + 1)} disabled={result.isFetching}>
          Refresh
        </button>
      </div>
      <p id="set-channel-search-status" aria-live="polite" className="mt-1 text-xs text-slate-600">
        {result.isFetching
          ? "Reading channels from Slack…"
          : result.data
            ? `${result.data.total} channel${result.data.total === 1 ? "" : "s"} match${result.data.total === 1 ? "es" : ""}${result.data.total > result.data.channels.length ? `; showing the first ${result.data.channels.length}` : ""}. Private channels are listed where the Switchboard app is a member.`
            : ""}
      </p>
      {result.isError ? (
        <p role="alert" className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-900">
          {result.error.message}
        </p>
      ) : result.data && result.data.channels.length === 0 ? (
        <p className="mt-2 text-sm text-slate-700">No channel matches. Check the spelling, or invite the Switchboard app to a private channel first.</p>
      ) : result.data ? (
        <fieldset className="mt-2">
          <legend className="sr-only">Channel to use</legend>
          <ul className="max-h-60 divide-y divide-slate-100 overflow-y-auto rounded-md border border-slate-200">
            {result.data.channels.map((channel) => (
              <li key={channel.id}>
                <label className="flex cursor-pointer items-center gap-2 px-3 py-2 text-sm hover:bg-slate-50">
                  <input
                    type="radio"
                    name="existing-channel"
                    value={channel.id}
                    checked={props.selectedChannelId === channel.id}
                    onChange={() => props.onSelect(channel.id)}
                    className="h-4 w-4 accent-emerald-700"
                  />
                  <span className="font-mono">#{channel.name}</span>
                  {channel.isPrivate && <span className="text-xs text-slate-600">(private)</span>}
                  {!channel.isMember && !channel.isPrivate && <span className="text-xs text-slate-600">Switchboard joins it</span>}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      ) : null}
      <FieldError id="set-channel-existing-error" message={props.error} />
    </div>
  );
}
