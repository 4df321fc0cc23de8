"use client";

import { useActionState, useEffect, useRef } from "react";
import { buttonClasses, Notice } from "@/components/auth/ui";
import { linkAccountAction, type LinkActionState } from "./actions";

const INITIAL: LinkActionState = { status: "idle", message: null };

/** The confirmation step: nothing is linked until the person presses the button. */
export function LinkForm({ requestToken, label }: { requestToken: string | null; label: string }) {
  const [state, action, pending] = useActionState(linkAccountAction, INITIAL);
  const resultRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (state.status !== "idle") resultRef.current?.focus();
  }, [state]);

  return (
    <div className="space-y-4">
      <div ref={resultRef} tabIndex={-1} aria-live="polite" className="outline-none">
        {state.status === "linked" && <Notice tone="success">{state.message}</Notice>}
        {state.status === "error" && <Notice tone="error">{state.message}</Notice>}
      </div>
      {state.status !== "linked" && (
        <form action={action}>
          {requestToken && <input type="hidden" name="request" value={requestToken} />}
          <button type="submit" disabled={pending} className={`${buttonClasses.primary} w-full py-2.5`}>
            {pending ? "Linking…" : label}
          </button>
        </form>
      )}
    </div>
  );
}
