"use client";

import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { inputClasses, buttonClasses } from "@/components/auth/ui";
import { useTypedBeforeHydration } from "@/components/ui/use-typed-before-hydration";

/**
 * The audit log's filters, a plain GET form that works without JavaScript. With JavaScript, the list
 * follows a new action choice at once, and the actor field 300 ms after the last keystroke.
 */
export function AuditFilters({ actions, action, actor }: { actions: string[]; action: string; actor: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const [actorText, setActorText] = useState(actor);
  const adoptTypedActor = useTypedBeforeHydration(setActorText);
  const [pending, startTransition] = useTransition();
  const firstRender = useRef(true);

  function apply(next: { action?: string; actor?: string }) {
    const params = new URLSearchParams();
    const nextAction = next.action ?? action;
    const nextActor = (next.actor ?? actorText).trim();
    if (nextAction) params.set("action", nextAction);
    if (nextActor) params.set("actor", nextActor);
    const query = params.toString();
    startTransition(() => router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false }));
  }

  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const timer = setTimeout(() => apply({ actor: actorText }), 300);
    return () => clearTimeout(timer);
    // Only typing in the actor field schedules a refresh, so `apply` is left out of the dependencies.
  }, [actorText]);

  return (
    <form
      method="get"
      action={pathname}
      role="search"
      aria-label="Filter the audit log"
      onSubmit={(event) => {
        event.preventDefault();
        apply({});
      }}
      className="mb-4 flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:flex-row sm:items-end"
    >
      <div className="sm:w-64">
        <label htmlFor="audit-action" className="block text-sm font-medium text-slate-900">
          Action
        </label>
        <select id="audit-action" name="action" defaultValue={action} onChange={(event) => apply({ action: event.target.value })} className={`mt-1 ${inputClasses}`}>
          <option value="">All actions</option>
          {actions.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <div className="flex-1">
        <label htmlFor="audit-actor" className="block text-sm font-medium text-slate-900">
          Actor
        </label>
        <input
          id="audit-actor"
          name="actor"
          type="search"
          value={actorText}
          ref={adoptTypedActor}
          onChange={(event) => setActorText(event.target.value)}
          placeholder="Email, API key name or configuration file"
          className={`mt-1 ${inputClasses}`}
        />
      </div>
      <div className="flex items-center gap-3">
        <button type="submit" className={buttonClasses.secondary}>
          Filter
        </button>
        <span aria-live="polite" className="text-xs text-slate-600">
          {pending ? "Updating…" : ""}
        </span>
      </div>
    </form>
  );
}
