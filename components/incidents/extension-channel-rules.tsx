"use client";

import { useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useEffect, useState } from "react";
import { apiFetch } from "@/components/extensions/api-fetch";
import { buttonClasses, Card } from "@/components/extensions/ui";
import type { ChannelRulesView } from "@/lib/incident-channels/manage-rules";

// The form and its channel-name preview (with the transliteration table, about 9 kB gzipped) load
// beside the rules' own request instead of with the page: the card shows its loading state either way.
const loadRulesForm = () => import("./extension-channel-rules-form");
const RulesForm = dynamic(() => loadRulesForm().then((module) => module.RulesForm), { ssr: false, loading: () => <RulesLoading /> });

function RulesLoading() {
  return (
    <div role="status" className="mt-4 space-y-2">
      <span className="sr-only">Loading the channel rules…</span>
      <div className="h-10 animate-pulse rounded bg-slate-200" />
      <div className="h-24 animate-pulse rounded bg-slate-200" />
    </div>
  );
}

/**
 * Edits the incident channel rules of one extension: the name template, automatic creation for
 * high urgency or chosen priorities, and archiving some days after the incident is resolved.
 * Mount it on the extension's page as <ExtensionChannelRules extensionId={id} canEdit={user.isAdmin}
 * readOnlyReason={user.readOnlyReason} />. Only admins may save, and the server checks that too.
 */
export function ExtensionChannelRules(props: { extensionId: string; canEdit: boolean; readOnlyReason?: string | null }) {
  const rulesUrl = `/api/admin/incidents/channel-rules/${encodeURIComponent(props.extensionId)}`;
  const rules = useQuery({ queryKey: ["channel-rules", props.extensionId], queryFn: () => apiFetch<ChannelRulesView>(rulesUrl) });
  // The rules last saved from this page, so that the form mounted for them can show the save worked.
  const [savedRules, setSavedRules] = useState<string | null>(null);
  useEffect(() => {
    void loadRulesForm();
  }, []);

  return (
    <Card>
      <h2 id="channel-rules-heading" className="text-lg font-semibold text-slate-900">
        Incident channels
      </h2>
      <p className="mt-1 text-sm text-slate-700">How channels for this service&apos;s incidents are named, when they are created automatically, and when they are archived.</p>
      {rules.isPending ? (
        <RulesLoading />
      ) : rules.isError ? (
        <div role="alert" className="mt-4 text-sm text-red-900">
          <p>The channel rules could not be loaded: {rules.error.message}</p>
          <button type="button" className={`${buttonClasses.secondary} mt-2`} onClick={() => rules.refetch()}>
            Try again
          </button>
        </div>
      ) : (
        <RulesForm
          key={JSON.stringify(rules.data.rules)}
          view={rules.data}
          url={rulesUrl}
          canEdit={props.canEdit}
          readOnlyReason={props.readOnlyReason ?? null}
          savedJustNow={savedRules === JSON.stringify(rules.data.rules)}
          onSaved={(view) => setSavedRules(JSON.stringify(view.rules))}
        />
      )}
    </Card>
  );
}
