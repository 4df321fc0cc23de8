"use client";

import { useRouter } from "next/navigation";
import { useCallback, useState, type FormEvent } from "react";
import { defaultExtensionName, EXTENSION_TYPE_LABELS, UPDATE_KINDS, UPDATE_LABELS, type UpdateKind } from "@/lib/extensions/labels";
import type { ChannelOption } from "@/lib/extensions/slack-channels";
import type { ServiceOption } from "@/lib/extensions/pagerduty-services";
import type { ExtensionView } from "@/lib/extensions/view";
import type { WorkspaceView } from "@/lib/extensions/workspaces";
import { ApiRequestError, apiFetch } from "./api-fetch";
import { SearchSelect } from "./search-select";
import { buttonClasses, Card, ChannelName, FieldError, inputClasses } from "./ui";
import { useTypedBeforeHydration } from "@/components/ui/use-typed-before-hydration";

interface ExtensionFormProps {
  mode: "create" | "edit";
  workspaces: WorkspaceView[];
  extension?: ExtensionView;
}

const CHANNEL_ID_PATTERN = /^[CG][A-Z0-9]{8,}$/;

/**
 * The New Extension and Edit Extension form, in PagerDuty's order: type, name, service and the
 * updates to send, then "Authorize" to choose the Slack workspace and channel.
 */
export function ExtensionForm({ mode, workspaces, extension }: ExtensionFormProps) {
  const router = useRouter();
  const [name, setName] = useState(extension?.name ?? "");
  const [nameEdited, setNameEdited] = useState(mode === "edit");
  const adoptTypedName = useTypedBeforeHydration(
    useCallback((value: string) => {
      setName(value);
      setNameEdited(true);
    }, []),
  );
  const [service, setService] = useState<ServiceOption | null>(extension ? { id: extension.service.id, name: extension.service.name ?? extension.service.id } : null);
  const [updates, setUpdates] = useState<Set<UpdateKind>>(new Set(extension?.updates ?? UPDATE_KINDS));
  const [authorized, setAuthorized] = useState(mode === "edit");
  const [workspaceId, setWorkspaceId] = useState(extension?.workspace.id ?? workspaces[0]?.id ?? "");
  const [channel, setChannel] = useState<ChannelOption | null>(
    extension ? { id: extension.channel.id, name: extension.channel.name, isPrivate: extension.channel.isPrivate, isMember: extension.status === "working" } : null,
  );
  const [manualChannel, setManualChannel] = useState(false);
  const [channelIdText, setChannelIdText] = useState("");
  const [channelNameText, setChannelNameText] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const chooseService = (option: ServiceOption | null) => {
    setService(option);
    if (option && !nameEdited) setName(defaultExtensionName(option.name));
  };

  const authorize = () => {
    const problems: Record<string, string> = {};
    if (!service) problems.serviceId = "Choose the PagerDuty service whose incidents this extension posts.";
    if (!name.trim()) problems.name = "Enter a name.";
    setErrors(problems);
    if (Object.keys(problems).length === 0) setAuthorized(true);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const problems: Record<string, string> = {};
    if (!service) problems.serviceId = "Choose the PagerDuty service whose incidents this extension posts.";
    if (!name.trim()) problems.name = "Enter a name.";
    if (!workspaceId) problems.workspaceId = "Choose a Slack workspace.";
    const channelId = manualChannel ? channelIdText.trim() : channel?.id;
    if (!channelId) problems.channelId = manualChannel ? "Enter the channel ID." : "Choose a channel.";
    else if (manualChannel && !CHANNEL_ID_PATTERN.test(channelId)) problems.channelId = "A channel ID looks like C0123ABCD: Slack shows it at the bottom of the channel's details.";
    setErrors(problems);
    if (Object.keys(problems).length > 0 || !service || !channelId) return;

    const body: Record<string, unknown> = { name: name.trim(), serviceId: service.id, workspaceId, channelId, updates: UPDATE_KINDS.filter((kind) => updates.has(kind)) };
    if (manualChannel && channelNameText.trim()) body.channelName = channelNameText.trim();
    setSubmitting(true);
    try {
      const result =
        mode === "create"
          ? await apiFetch<{ extension: ExtensionView; notice: string | null }>("/api/admin/extensions", { method: "POST", body: { type: "slack_v2", ...body } })
          : await apiFetch<{ extension: ExtensionView; notice: string | null }>(`/api/admin/extensions/${extension!.id}`, { method: "PATCH", body: changedFields(extension!, body) });
      const params = new URLSearchParams({ saved: mode === "create" ? "created" : "updated" });
      if (result.notice) params.set("notice", result.notice);
      router.push(`/extensions/${result.extension.id}?${params.toString()}`);
      router.refresh();
    } catch (error) {
      setSubmitting(false);
      if (error instanceof ApiRequestError) {
        setErrors(error.fields);
        setFormError(error.message);
      } else {
        setFormError("Saving failed. Try again.");
      }
    }
  };

  const workspace = workspaces.find((candidate) => candidate.id === workspaceId);

  return (
    <form onSubmit={submit} noValidate className="space-y-6" aria-describedby={formError ? "form-error" : undefined}>
      {formError && (
        <div id="form-error" role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
          {formError}
        </div>
      )}

      <Card>
        <h2 className="text-lg font-semibold text-slate-900">Extension details</h2>
        <div className="mt-4 grid gap-5 md:grid-cols-2">
          <div>
            <label htmlFor="extension-type" className="block text-sm font-semibold text-slate-900">
              Extension Type
            </label>
            {mode === "create" ? (
              <select id="extension-type" className={`${inputClasses} mt-1`} defaultValue="slack_v2" aria-describedby="extension-type-help">
                <option value="slack_v2">{EXTENSION_TYPE_LABELS.slack_v2}</option>
                <option value="slack_v1" disabled>
                  {EXTENSION_TYPE_LABELS.slack_v1}: not available for new extensions
                </option>
              </select>
            ) : (
              <input id="extension-type" className={`${inputClasses} mt-1`} value={EXTENSION_TYPE_LABELS[extension!.type]} readOnly aria-describedby="extension-type-help" />
            )}
            <p id="extension-type-help" className="mt-1 text-sm text-slate-700">
              {mode === "create" ? "Slack V1 is legacy and shown for reference only." : "The type is fixed. To use another type, create a new extension."}
            </p>
          </div>

          <div>
            <label htmlFor="extension-name" className="block text-sm font-semibold text-slate-900">
              Name <span className="text-red-800">*</span>
            </label>
            <input
              id="extension-name"
              className={`${inputClasses} mt-1`}
              value={name}
              ref={adoptTypedName}
              maxLength={255}
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={errors.name ? "extension-name-error" : "extension-name-help"}
              onChange={(event) => {
                setName(event.target.value);
                setNameEdited(true);
              }}
            />
            {errors.name ? <FieldError id="extension-name-error" message={errors.name} /> : <p id="extension-name-help" className="mt-1 text-sm text-slate-700">Unique within the Slack workspace. Defaults to SlackV2-&lt;Service-Name&gt;.</p>}
          </div>

          <div className="md:col-span-2">
            <SearchSelect<ServiceOption>
              id="extension-service"
              label="Service"
              required
              description="The PagerDuty service whose incidents are posted. A service may have several extensions."
              placeholder="Search services by name"
              search={async (text, signal) => {
                const result = await apiFetch<{ services: ServiceOption[]; total: number }>(`/api/admin/extensions/services?query=${encodeURIComponent(text)}`, { signal });
                return { items: result.services, total: result.total };
              }}
              optionKey={(option) => option.id}
              optionText={(option) => option.name}
              renderOption={(option) => (
                <span>
                  {option.name} <span className="font-mono text-xs text-slate-600">{option.id}</span>
                </span>
              )}
              value={service}
              onChange={chooseService}
              error={errors.serviceId}
            />
          </div>
        </div>

        <fieldset className="mt-6">
          <legend className="text-sm font-semibold text-slate-900">Details: updates posted in the incident&apos;s thread</legend>
          <div className="mt-2 flex flex-wrap gap-x-6 gap-y-2">
            {UPDATE_KINDS.map((kind) => (
              <label key={kind} className="inline-flex items-center gap-2 text-sm text-slate-900">
                <input
                  type="checkbox"
                  className="h-4 w-4 rounded border-slate-400 accent-emerald-700"
                  checked={updates.has(kind)}
                  onChange={(event) => {
                    const next = new Set(updates);
                    if (event.target.checked) next.add(kind);
                    else next.delete(kind);
                    setUpdates(next);
                  }}
                />
                {UPDATE_LABELS[kind]}
              </label>
            ))}
          </div>
        </fieldset>

        {!authorized && (
          <div className="mt-6 flex justify-end">
            <button type="button" className={buttonClasses.primary} onClick={authorize}>
              Authorize
            </button>
          </div>
        )}
      </Card>

      {authorized && (
        <Card>
          <h2 className="text-lg font-semibold text-slate-900">Slack workspace and channel</h2>
          {workspaces.length === 0 ? (
            <p className="mt-3 text-sm text-slate-800">
              No active Slack workspace is mapped. <a href="/workspaces" className={buttonClasses.link}>Install the app into a workspace</a> first, then come back.
            </p>
          ) : (
            <div className="mt-4 grid gap-5 md:grid-cols-2">
              <div>
                <label htmlFor="extension-workspace" className="block text-sm font-semibold text-slate-900">
                  Workspace <span className="text-red-800">*</span>
                </label>
                <select
                  id="extension-workspace"
                  className={`${inputClasses} mt-1`}
                  value={workspaceId}
                  aria-invalid={errors.workspaceId ? true : undefined}
                  aria-describedby={errors.workspaceId ? "extension-workspace-error" : undefined}
                  onChange={(event) => {
                    setWorkspaceId(event.target.value);
                    setChannel(null);
                  }}
                >
                  {workspaces.map((option) => (
                    <option key={option.id} value={option.id}>
                      {option.name} ({option.teamId})
                    </option>
                  ))}
                </select>
                <FieldError id="extension-workspace-error" message={errors.workspaceId} />
              </div>

              <div>
                {!manualChannel ? (
                  <SearchSelect<ChannelOption>
                    key={workspaceId}
                    id="extension-channel"
                    label="Channel"
                    required
                    description="Public channels, and private channels the bot is in."
                    placeholder="Search channels"
                    search={async (text, signal) => {
                      const result = await apiFetch<{ channels: ChannelOption[]; total: number }>(
                        `/api/admin/extensions/channels?workspaceId=${encodeURIComponent(workspaceId)}&query=${encodeURIComponent(text)}`,
                        { signal },
                      );
                      return { items: result.channels, total: result.total };
                    }}
                    optionKey={(option) => option.id}
                    optionText={(option) => `#${option.name}`}
                    renderOption={(option) => (
                      <span>
                        <ChannelName name={option.name} isPrivate={option.isPrivate} />
                        {!option.isMember && <span className="ml-2 text-xs text-slate-600">bot not in channel</span>}
                      </span>
                    )}
                    value={channel}
                    onChange={setChannel}
                    error={errors.channelId}
                    disabled={!workspace}
                  />
                ) : (
                  <div className="space-y-3">
                    <div>
                      <label htmlFor="extension-channel-id" className="block text-sm font-semibold text-slate-900">
                        Private channel ID <span className="text-red-800">*</span>
                      </label>
                      <p id="extension-channel-id-help" className="mt-0.5 text-sm text-slate-700">
                        In Slack, open the channel&apos;s details: the ID (C…) is at the bottom.
                      </p>
                      <input
                        id="extension-channel-id"
                        className={`${inputClasses} mt-1 font-mono`}
                        value={channelIdText}
                        placeholder="C0123ABCD"
                        aria-invalid={errors.channelId ? true : undefined}
                        aria-describedby={errors.channelId ? "extension-channel-id-help extension-channel-id-error" : "extension-channel-id-help"}
                        onChange={(event) => setChannelIdText(event.target.value)}
                      />
                      <FieldError id="extension-channel-id-error" message={errors.channelId} />
                    </div>
                    <div>
                      <label htmlFor="extension-channel-name" className="block text-sm font-semibold text-slate-900">
                        Channel name <span className="font-normal text-slate-700">(optional)</span>
                      </label>
                      <input id="extension-channel-name" className={`${inputClasses} mt-1`} value={channelNameText} placeholder="security-private" onChange={(event) => setChannelNameText(event.target.value)} />
                    </div>
                  </div>
                )}
                <button
                  type="button"
                  className="mt-2 text-sm font-medium text-emerald-800 underline-offset-2 hover:underline"
                  onClick={() => {
                    setManualChannel(!manualChannel);
                    setErrors({});
                  }}
                >
                  {manualChannel ? "Choose from the channel list instead" : "Private channel not listed? Enter its channel ID"}
                </button>
                {manualChannel && (
                  <p className="mt-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-950">
                    The bot cannot see a private channel until it is invited. The extension is saved as needing attention and starts working by itself once someone types /invite @{"<bot>"} in the channel.
                  </p>
                )}
              </div>
            </div>
          )}
        </Card>
      )}

      <div className="flex flex-wrap justify-end gap-3">
        <a href={mode === "edit" ? `/extensions/${extension!.id}` : "/extensions"} className={buttonClasses.secondary}>
          Cancel
        </a>
        {authorized && (
          <button type="submit" className={buttonClasses.primary} disabled={submitting || workspaces.length === 0} aria-busy={submitting}>
            {submitting ? "Saving…" : mode === "create" ? "Save extension" : "Save changes"}
          </button>
        )}
      </div>
    </form>
  );
}

/** Only the fields that differ from the stored extension, so an edit never rewrites what it did not touch. */
function changedFields(extension: ExtensionView, body: Record<string, unknown>): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  if (body.name !== extension.name) changed.name = body.name;
  if (body.serviceId !== extension.service.id) changed.serviceId = body.serviceId;
  if (body.workspaceId !== extension.workspace.id) changed.workspaceId = body.workspaceId;
  if (body.channelId !== extension.channel.id || body.workspaceId !== extension.workspace.id) changed.channelId = body.channelId;
  if (body.channelName) changed.channelName = body.channelName;
  if (JSON.stringify(body.updates) !== JSON.stringify(extension.updates)) changed.updates = body.updates;
  return changed;
}
