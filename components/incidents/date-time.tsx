"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => undefined;

/**
 * Shows a timestamp in the reader's time zone. The server does not know the reader's zone, so the first
 * render (on the server and while hydrating) shows UTC, and the browser then switches to local time.
 */
export function DateTime({ iso }: { iso: string }) {
  const inBrowser = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
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
