"use client";

import { useState, useTransition } from "react";
import { apiFetch } from "@/components/extensions/api-fetch";
import { buttonClasses, Card } from "@/components/extensions/ui";
import type { ConnectionCheck } from "@/lib/settings/test-connection";

const ICONS: Record<ConnectionCheck["status"], { symbol: string; label: string; className: string }> = {
  ok: { symbol: "✓", label: "Works", className: "bg-emerald-100 text-emerald-900" },
  warning: { symbol: "!", label: "Warning", className: "bg-amber-100 text-amber-900" },
  failed: { symbol: "✕", label: "Failed", className: "bg-red-100 text-red-900" },
  skipped: { symbol: "–", label: "Not checked", className: "bg-slate-100 text-slate-800" },
};

/** "Test connection": runs every check on the server and lists what works and what does not. */
export function ConnectionTest() {
  const [checks, setChecks] = useState<ConnectionCheck[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const runTest = () => {
    setChecks(null);
    setError(null);
    startTransition(async () => {
      try {
        const result = await apiFetch<{ checks: ConnectionCheck[] }>("/api/admin/settings/pagerduty/test", { method: "POST" });
        setChecks(result.checks);
      } catch (failure) {
        setError(failure instanceof Error ? failure.message : "The connection test failed. Try again.");
      }
    });
  };

  return (
    <Card>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 className="text-lg font-semibold text-slate-900">Test connection</h2>
          <p className="text-sm text-slate-700">Checks the token, listing services and users, the From user, the webhook secret and the subscription.</p>
        </div>
        <button type="button" className={buttonClasses.secondary} onClick={runTest} disabled={pending} aria-busy={pending}>
          {pending ? "Testing…" : "Test connection"}
        </button>
      </div>
      <div aria-live="polite" className="mt-4">
        {error && (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900">
            {error}
          </p>
        )}
        {checks && (
          <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" aria-label="Connection test results">
            {checks.map((check) => {
              const icon = ICONS[check.status];
              return (
                <li key={check.key} className="flex items-start gap-3 px-3 py-2 text-sm" data-check={check.key} data-status={check.status}>
                  <span className={`mt-0.5 inline-flex h-5 w-5 shrink-0 items-center justify-center rounded-full text-xs font-bold ${icon.className}`} aria-hidden="true">
                    {icon.symbol}
                  </span>
                  <span>
                    <span className="font-semibold text-slate-900">{check.label}</span>
                    <span className="sr-only">: {icon.label}.</span> <span className="text-slate-800">{check.detail}</span>
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </Card>
  );
}
