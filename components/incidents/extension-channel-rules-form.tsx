"use client";

import { useEffect, useState, type FormEvent } from "react";
import { ApiRequestError, apiFetch } from "@/components/extensions/api-fetch";
import { buttonClasses, FieldError, inputClasses } from "@/components/extensions/ui";
import { buildChannelName } from "@/lib/incident-channels/channel-name";
import type { ChannelRules, ChannelRulesView } from "@/lib/incident-channels/manage-rules";
import type { PriorityList } from "@/lib/incident-channels/priorities";

/** A made-up incident that shows what the template produces. */
const SAMPLE_INCIDENT = { number: 1234, title: "Checkout API: P1 Outage (EU)", serviceName: "Checkout API", createdAt: new Date("2026-03-07T09:30:00Z") };

type PrioritiesState = { loading: boolean; list: PriorityList | null; error: string | null };

/**
 * Edits the rules that the page rendered. A save mounts a fresh form for the rules as the server
 * stored them. The priorities are read once, and every form it mounts shows them.
 */
export function RulesEditor(props: { initialView: ChannelRulesView; url: string; canEdit: boolean; readOnlyReason: string | null }) {
  const [view, setView] = useState(props.initialView);
  // The rules last saved from this page, so that the form mounted for them can show the save worked.
  const [savedRules, setSavedRules] = useState<string | null>(null);
  const priorities = usePriorities();
  const rulesKey = JSON.stringify(view.rules);
  return (
    <RulesForm
      key={rulesKey}
      view={view}
      url={props.url}
      priorities={priorities}
      canEdit={props.canEdit}
      readOnlyReason={props.readOnlyReason}
      savedJustNow={savedRules === rulesKey}
      onSaved={(saved) => {
        setSavedRules(JSON.stringify(saved.rules));
        setView(saved);
      }}
    />
  );
}

/**
 * Renders the rules form, with a live preview of the channel name that the template gives a sample
 * incident. `savedJustNow` makes a form mounted right after a save show that the save worked.
 */
function RulesForm(props: {
  view: ChannelRulesView;
  url: string;
  priorities: PrioritiesState;
  canEdit: boolean;
  readOnlyReason: string | null;
  savedJustNow: boolean;
  onSaved: (view: ChannelRulesView) => void;
}) {
  const managed = props.view.extension.managedBy === "config";
  const editable = props.canEdit && !managed;
  const [form, setForm] = useState<ChannelRules>(props.view.rules);
  const [archive, setArchive] = useState(props.view.rules.archiveAfterDays !== null);
  const [days, setDays] = useState(String(props.view.rules.archiveAfterDays ?? 7));
  const [saved, setSaved] = useState(props.savedJustNow);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<Error | null>(null);
  const { priorities } = props;
  const fieldErrors = saveError instanceof ApiRequestError ? saveError.fields : {};

  const preview = buildChannelName(form.nameTemplate || "inc-{number}", SAMPLE_INCIDENT);
  const change = (update: Partial<ChannelRules>) => {
    setSaved(false);
    setForm((current) => ({ ...current, ...update }));
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const archiveAfterDays = archive ? Number(days) : null;
    const body: ChannelRules = { ...form, archiveAfterDays: archiveAfterDays !== null && Number.isFinite(archiveAfterDays) ? archiveAfterDays : null };
    setSaving(true);
    setSaveError(null);
    try {
      const view = await apiFetch<ChannelRulesView>(props.url, { method: "PUT", body });
      setSaved(true);
      props.onSaved(view);
    } catch (error) {
      setSaveError(error instanceof Error ? error : new Error("Saving the channel rules failed. Try again."));
    } finally {
      setSaving(false);
    }
  };

  const knownPriorities = priorities.list?.priorities.map((priority) => priority.name) ?? [];
  const priorityNames = [...knownPriorities, ...form.autoCreatePriorities.filter((name) => !knownPriorities.includes(name))];

  return (
    <form onSubmit={onSubmit} className="mt-4 space-y-5" aria-labelledby="channel-rules-heading" noValidate>
      {managed && (
        <p role="note" className="rounded-md border border-slate-300 bg-slate-100 px-3 py-2 text-sm text-slate-800">
          Managed by the configuration file: these rules cannot be changed here.
        </p>
      )}
      {!props.canEdit && props.readOnlyReason && (
        <p role="note" className="rounded-md border border-slate-300 bg-slate-100 px-3 py-2 text-sm text-slate-800">
          <span className="font-semibold">Read-only. </span>
          {props.readOnlyReason}
        </p>
      )}
      <fieldset disabled={!editable} className="space-y-5">
        <div>
          <label htmlFor="rules-name-template" className="block text-sm font-medium text-slate-800">
            Channel name template
          </label>
          <input
            id="rules-name-template"
            className={`${inputClasses} mt-1 font-mono`}
            value={form.nameTemplate}
            onChange={(event) => change({ nameTemplate: event.target.value })}
            aria-invalid={Boolean(fieldErrors.nameTemplate)}
            aria-describedby="rules-name-template-help rules-name-template-preview rules-name-template-error"
          />
          <p id="rules-name-template-help" className="mt-1 text-xs text-slate-600">
            Placeholders: <code>{"{number}"}</code>, <code>{"{title}"}</code>, <code>{"{service}"}</code>, <code>{"{date}"}</code> (the incident&apos;s day, YYYY-MM-DD in UTC). People can still edit the name when they create a channel.
          </p>
          <p id="rules-name-template-preview" aria-live="polite" className="mt-2 rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-800">
            For #{SAMPLE_INCIDENT.number} &ldquo;{SAMPLE_INCIDENT.title}&rdquo;: <span className="font-mono font-semibold">#{preview}</span>
          </p>
          <FieldError id="rules-name-template-error" message={fieldErrors.nameTemplate} />
        </div>

        <fieldset>
          <legend className="text-sm font-medium text-slate-800">Create a channel automatically</legend>
          <label className="mt-2 flex items-center gap-2 text-sm">
            <input type="checkbox" className="h-4 w-4 accent-emerald-700" checked={form.autoCreateHighUrgency} onChange={(event) => change({ autoCreateHighUrgency: event.target.checked })} />
            For high-urgency incidents
          </label>
          <p className="mt-3 text-sm text-slate-800">For incidents with these priorities:</p>
          {priorities.loading ? (
            <p className="text-xs text-slate-600">Loading priorities from PagerDuty…</p>
          ) : priorityNames.length === 0 ? (
            <p className="text-xs text-slate-600">{priorities.list?.problem ?? priorities.error ?? "The PagerDuty account has no incident priorities."}</p>
          ) : (
            <ul className="mt-1 flex flex-wrap gap-x-5 gap-y-1">
              {priorityNames.map((priority) => (
                <li key={priority}>
                  <label className="flex items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      className="h-4 w-4 accent-emerald-700"
                      checked={form.autoCreatePriorities.includes(priority)}
                      onChange={(event) =>
                        change({
                          autoCreatePriorities: event.target.checked ? [...form.autoCreatePriorities, priority] : form.autoCreatePriorities.filter((name) => name !== priority),
                        })
                      }
                    />
                    {priority}
                  </label>
                </li>
              ))}
            </ul>
          )}
          <FieldError id="rules-priorities-error" message={fieldErrors.autoCreatePriorities} />
          <label className="mt-3 flex items-center gap-2 text-sm">
            <input type="checkbox" className="h-4 w-4 accent-emerald-700" checked={form.autoCreatePrivate} onChange={(event) => change({ autoCreatePrivate: event.target.checked })} />
            Make automatically created channels private
          </label>
        </fieldset>

        <div>
          <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
            <input
              type="checkbox"
              className="h-4 w-4 accent-emerald-700"
              checked={archive}
              onChange={(event) => {
                setSaved(false);
                setArchive(event.target.checked);
              }}
            />
            Archive the channel after the incident is resolved
          </label>
          {archive && (
            <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
              <label htmlFor="rules-archive-days">Days after resolve</label>
              <input
                id="rules-archive-days"
                type="number"
                min={0}
                max={365}
                inputMode="numeric"
                className={`${inputClasses} w-24`}
                value={days}
                onChange={(event) => {
                  setSaved(false);
                  setDays(event.target.value);
                }}
                aria-invalid={Boolean(fieldErrors.archiveAfterDays)}
                aria-describedby="rules-archive-help rules-archive-days-error"
              />
            </div>
          )}
          <p id="rules-archive-help" className="mt-1 text-xs text-slate-600">
            Only channels Switchboard created are archived, never existing channels someone chose. A note about it is added to the PagerDuty incident as the user set in Settings → PagerDuty.
          </p>
          <FieldError id="rules-archive-days-error" message={fieldErrors.archiveAfterDays} />
        </div>
      </fieldset>

      {saveError && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900">
          {saveError.message}
        </p>
      )}
      <div aria-live="polite" className="text-sm text-emerald-900">
        {saved && "Saved the channel rules."}
      </div>
      {editable && (
        <button type="submit" className={buttonClasses.primary} disabled={saving} aria-busy={saving}>
          {saving ? "Saving…" : "Save channel rules"}
        </button>
      )}
    </form>
  );
}

/** Reads the PagerDuty account's incident priorities once, for the priority checkboxes. */
function usePriorities(): PrioritiesState {
  const [state, setState] = useState<PrioritiesState>({ loading: true, list: null, error: null });
  useEffect(() => {
    const controller = new AbortController();
    apiFetch<PriorityList>("/api/admin/incidents/priorities", { signal: controller.signal }).then(
      (list) => setState({ loading: false, list, error: null }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ loading: false, list: null, error: error instanceof Error ? error.message : "The priorities could not be loaded." });
      },
    );
    return () => controller.abort();
  }, []);
  return state;
}
