"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ApiRequestError, apiFetch } from "@/components/extensions/api-fetch";
import { SearchSelect } from "@/components/extensions/search-select";
import { buttonClasses, Card, FieldError, inputClasses } from "@/components/extensions/ui";
import type { PagerDutySettingsView, SettingView } from "@/lib/settings/pagerduty-admin";
import type { PagerDutyUserOption } from "@/lib/settings/pagerduty-users";
import { useTypedBeforeHydration } from "@/components/ui/use-typed-before-hydration";

type Field = "apiToken" | "webhookSecret" | "subdomain" | "defaultFromEmail";

/** The Settings → PagerDuty form. Secrets are never sent to the browser: a blank secret field keeps the saved one. */
export function PagerDutySettingsForm({ settings, canEdit }: { settings: PagerDutySettingsView; canEdit: boolean }) {
  const router = useRouter();
  const [apiToken, setApiToken] = useState("");
  const [webhookSecret, setWebhookSecret] = useState("");
  const [clear, setClear] = useState<Set<Field>>(new Set());
  const [subdomain, setSubdomain] = useState(settings.subdomain.display ?? "");
  const adoptTypedSubdomain = useTypedBeforeHydration(setSubdomain);
  const [fromUser, setFromUser] = useState<PagerDutyUserOption | null>(
    settings.defaultFromEmail.display ? { id: "", name: settings.defaultFromEmail.display, email: settings.defaultFromEmail.display, role: "" } : null,
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [saving, setSaving] = useState(false);

  const editable = (setting: SettingView) => canEdit && setting.source !== "environment";

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body: Record<string, string | null> = {};
    if (editable(settings.apiToken)) {
      if (clear.has("apiToken")) body.apiToken = null;
      else if (apiToken.trim()) body.apiToken = apiToken.trim();
    }
    if (editable(settings.webhookSecret)) {
      if (clear.has("webhookSecret")) body.webhookSecret = null;
      else if (webhookSecret.trim()) body.webhookSecret = webhookSecret.trim();
    }
    if (editable(settings.subdomain) && subdomain.trim() !== (settings.subdomain.display ?? "")) body.subdomain = subdomain.trim() || null;
    if (editable(settings.defaultFromEmail) && (fromUser?.email ?? null) !== settings.defaultFromEmail.display) body.defaultFromEmail = fromUser?.email ?? null;
    if (Object.keys(body).length === 0) {
      setMessage({ tone: "ok", text: "Nothing changed." });
      return;
    }
    setSaving(true);
    setErrors({});
    setMessage(null);
    try {
      await apiFetch("/api/admin/settings/pagerduty", { method: "PUT", body });
      setApiToken("");
      setWebhookSecret("");
      setClear(new Set());
      setMessage({ tone: "ok", text: "Settings saved." });
      router.refresh();
    } catch (error) {
      if (error instanceof ApiRequestError) {
        setErrors(error.fields);
        setMessage({ tone: "error", text: error.message });
      } else setMessage({ tone: "error", text: "Saving failed. Try again." });
    } finally {
      setSaving(false);
    }
  };

  const toggleClear = (field: Field, on: boolean) => {
    const next = new Set(clear);
    if (on) next.add(field);
    else next.delete(field);
    setClear(next);
  };

  return (
    <Card>
      <h2 className="text-lg font-semibold text-slate-900">Connection</h2>
      <form onSubmit={submit} noValidate className="mt-4 space-y-5">
        <SecretField
          id="pagerduty-api-token"
          label="API token"
          help="A General Access REST API key with read and write access (PagerDuty: Integrations → API Access Keys). Stored encrypted."
          setting={settings.apiToken}
          canEdit={canEdit}
          value={apiToken}
          onChange={setApiToken}
          cleared={clear.has("apiToken")}
          onClear={(on) => toggleClear("apiToken", on)}
          error={errors.apiToken}
        />
        <SecretField
          id="pagerduty-webhook-secret"
          label="Webhook secret"
          help="The V3 webhook subscription's signing secret. Creating the subscription below stores it for you."
          setting={settings.webhookSecret}
          canEdit={canEdit}
          value={webhookSecret}
          onChange={setWebhookSecret}
          cleared={clear.has("webhookSecret")}
          onClear={(on) => toggleClear("webhookSecret", on)}
          error={errors.webhookSecret}
        />

        <div>
          <label htmlFor="pagerduty-subdomain" className="block text-sm font-semibold text-slate-900">
            Account subdomain
          </label>
          <p id="pagerduty-subdomain-help" className="mt-0.5 text-sm text-slate-700">
            As in https://<em>subdomain</em>.pagerduty.com.
          </p>
          {editable(settings.subdomain) ? (
            <>
              <div className="mt-1 flex max-w-md items-center gap-1 text-sm">
                <span className="text-slate-700">https://</span>
                <input
                  id="pagerduty-subdomain"
                  className={inputClasses}
                  value={subdomain}
                  ref={adoptTypedSubdomain}
                  placeholder="acme"
                  aria-invalid={errors.subdomain ? true : undefined}
                  aria-describedby={errors.subdomain ? "pagerduty-subdomain-help pagerduty-subdomain-error" : "pagerduty-subdomain-help"}
                  onChange={(event) => setSubdomain(event.target.value)}
                />
                <span className="text-slate-700">.pagerduty.com</span>
              </div>
              <FieldError id="pagerduty-subdomain-error" message={errors.subdomain} />
            </>
          ) : (
            <ReadOnlyValue id="pagerduty-subdomain" setting={settings.subdomain} />
          )}
        </div>

        <div>
          {editable(settings.defaultFromEmail) ? (
            <>
              <SearchSelect<PagerDutyUserOption>
                id="pagerduty-from-user"
                label="Acts as (default From user)"
                description="The PagerDuty user in whose name Switchboard writes when no person is acting, for example its own notes."
                placeholder="Search PagerDuty users by name or email"
                search={async (text, signal) => {
                  const result = await apiFetch<{ users: PagerDutyUserOption[]; total: number }>(`/api/admin/settings/pagerduty/users?query=${encodeURIComponent(text)}`, { signal });
                  return { items: result.users, total: result.total };
                }}
                optionKey={(option) => option.email}
                optionText={(option) => option.email}
                renderOption={(option) => (
                  <span>
                    {option.name !== option.email && <>{option.name} </>}
                    <span className="text-slate-700">{option.email}</span>
                    {option.role && <span className="ml-2 text-xs text-slate-600">{option.role}</span>}
                  </span>
                )}
                value={fromUser}
                onChange={setFromUser}
                error={errors.defaultFromEmail}
              />
              {fromUser && (
                <button type="button" className="mt-1 text-sm font-medium text-emerald-800 hover:underline" onClick={() => setFromUser(null)}>
                  Clear the default From user
                </button>
              )}
            </>
          ) : (
            <>
              <p className="block text-sm font-semibold text-slate-900" id="pagerduty-from-user-label">
                Acts as (default From user)
              </p>
              <ReadOnlyValue id="pagerduty-from-user" setting={settings.defaultFromEmail} />
            </>
          )}
        </div>

        {canEdit && (
          <div className="flex flex-wrap items-center justify-end gap-3">
            <p aria-live="polite" className={`text-sm ${message?.tone === "error" ? "text-red-800" : "text-emerald-900"}`}>
              {message?.text}
            </p>
            <button type="submit" className={buttonClasses.primary} disabled={saving} aria-busy={saving}>
              {saving ? "Saving…" : "Save settings"}
            </button>
          </div>
        )}
      </form>
    </Card>
  );
}

function sourceText(setting: SettingView): string {
  if (setting.source === "environment") return `Set by the environment (${setting.envVar}); read-only here.`;
  if (setting.source === "app") return "Saved here.";
  return "Not set.";
}

function ReadOnlyValue({ id, setting }: { id: string; setting: SettingView }) {
  return (
    <p id={id} className="mt-1 text-sm text-slate-900">
      <span className="font-mono">{setting.display ?? "—"}</span> <span className="text-slate-700">· {sourceText(setting)}</span>
    </p>
  );
}

function SecretField(props: {
  id: string;
  label: string;
  help: string;
  setting: SettingView;
  canEdit: boolean;
  value: string;
  onChange: (value: string) => void;
  cleared: boolean;
  onClear: (on: boolean) => void;
  error?: string;
}) {
  const { setting } = props;
  const editable = props.canEdit && setting.source !== "environment";
  const adoptTyped = useTypedBeforeHydration(props.onChange);
  return (
    <div>
      <label htmlFor={props.id} className="block text-sm font-semibold text-slate-900">
        {props.label}
      </label>
      <p id={`${props.id}-help`} className="mt-0.5 text-sm text-slate-700">
        {props.help}
      </p>
      {editable ? (
        <>
          <input
            id={props.id}
            type="password"
            autoComplete="off"
            className={`${inputClasses} mt-1 max-w-md font-mono`}
            value={props.value}
            ref={adoptTyped}
            disabled={props.cleared}
            placeholder={setting.display ? `${setting.display} (leave blank to keep)` : "Not set"}
            aria-invalid={props.error ? true : undefined}
            aria-describedby={props.error ? `${props.id}-help ${props.id}-error` : `${props.id}-help`}
            onChange={(event) => props.onChange(event.target.value)}
          />
          <FieldError id={`${props.id}-error`} message={props.error} />
          {setting.source === "app" && (
            <label className="mt-1 inline-flex items-center gap-2 text-sm text-slate-800">
              <input type="checkbox" className="h-4 w-4 accent-emerald-700" checked={props.cleared} onChange={(event) => props.onClear(event.target.checked)} />
              Remove the saved {props.label.toLowerCase()}
            </label>
          )}
        </>
      ) : (
        <ReadOnlyValue id={props.id} setting={setting} />
      )}
    </div>
  );
}
