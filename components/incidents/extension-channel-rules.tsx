"use client";

import dynamic from "next/dynamic";
import { Card } from "@/components/extensions/ui";
import type { ChannelRulesView } from "@/lib/incident-channels/manage-rules";

// The form and its channel-name preview (with the transliteration table, about 9 kB gzipped) load
// after the page instead of with it. The card shows its loading state meanwhile.
const RulesEditor = dynamic(() => import("./extension-channel-rules-form").then((module) => module.RulesEditor), { ssr: false, loading: () => <RulesLoading /> });

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
 * `view` is the rules as the page read them (getChannelRules). Only admins may save, and the
 * server checks that too.
 */
export function ExtensionChannelRules(props: { view: ChannelRulesView; canEdit: boolean; readOnlyReason?: string | null }) {
  return (
    <Card>
      <h2 id="channel-rules-heading" className="text-lg font-semibold text-slate-900">
        Incident channels
      </h2>
      <p className="mt-1 text-sm text-slate-700">How channels for this service&apos;s incidents are named, when they are created automatically, and when they are archived.</p>
      <RulesEditor
        initialView={props.view}
        url={`/api/admin/incidents/channel-rules/${encodeURIComponent(props.view.extension.id)}`}
        canEdit={props.canEdit}
        readOnlyReason={props.readOnlyReason ?? null}
      />
    </Card>
  );
}
