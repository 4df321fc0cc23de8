"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";

/** A static file of the app: a cheap request that shows whether the server responds at all. */
const PROBE_URL = "/icon.svg";
const PROBE_TIMEOUT_MS = 5_000;

/**
 * Renders the page again on the server every `intervalMs` while the tab is visible, and at once
 * when the tab comes back after a longer pause. Client state such as an open dialog or typed text
 * survives each refresh.
 *
 * Each refresh first checks that the server responds, because Next.js turns a failed refresh into a
 * full page load, which would swap the page for the browser's error page while Switchboard
 * restarts. While the server cannot be reached, the page keeps its data and shows a notice.
 */
export function AutoRefresh({ intervalMs, staleMessage }: { intervalMs: number; staleMessage: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [unreachable, setUnreachable] = useState(false);
  const pendingRef = useRef(false);
  const probing = useRef(false);
  const lastRefreshAt = useRef(Date.now());

  useEffect(() => {
    pendingRef.current = pending;
  }, [pending]);

  useEffect(() => {
    async function refresh() {
      if (document.visibilityState !== "visible" || probing.current || pendingRef.current) return;
      probing.current = true;
      lastRefreshAt.current = Date.now();
      let reachable: boolean;
      try {
        reachable = (await fetch(PROBE_URL, { method: "HEAD", cache: "no-store", signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })).ok;
      } catch {
        reachable = false;
      }
      probing.current = false;
      setUnreachable(!reachable);
      if (reachable) startTransition(() => router.refresh());
    }

    function onVisibilityChange() {
      if (document.visibilityState === "visible" && Date.now() - lastRefreshAt.current >= intervalMs) void refresh();
    }

    const timer = setInterval(() => void refresh(), intervalMs);
    document.addEventListener("visibilitychange", onVisibilityChange);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisibilityChange);
    };
  }, [intervalMs, router]);

  if (!unreachable) return null;
  return (
    <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-950">
      The page could not be refreshed: Switchboard could not be reached. {staleMessage} It tries again every {Math.round(intervalMs / 1000)} seconds.
    </p>
  );
}
