"use client";

import { useHydrated } from "./use-hydrated";

/**
 * A timestamp in the reader's time zone. The server cannot tell the reader's time zone, so the first
 * render (on the server and while hydrating) shows UTC and the browser then switches to local time.
 */
export function DateTime({ iso, fallback = "Never" }: { iso: string | null; fallback?: string }) {
  const inBrowser = useHydrated();
  if (!iso) return <span className="text-slate-600">{fallback}</span>;
  const date = new Date(iso);
  const text = inBrowser
    ? date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })
    : `${date.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC`;
  return (
    <time dateTime={iso} title={date.toISOString()}>
      {text}
    </time>
  );
}
