"use client";

import { useEffect, useRef, useState } from "react";
import { ApiError, callApi } from "@/components/auth/api";
import { buttonClasses, Notice } from "@/components/auth/ui";

interface LinkResult {
  pagerdutyUser: { id: string; name: string; email: string };
  resumed: boolean;
}

type State = { status: "idle" | "pending" } | { status: "linked"; message: string } | { status: "error"; message: string };

/** Shows the confirmation step: nothing is linked until the person presses the button. */
export function LinkForm({ requestToken, label }: { requestToken: string | null; label: string }) {
  const [state, setState] = useState<State>({ status: "idle" });
  const resultRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (state.status === "linked" || state.status === "error") resultRef.current?.focus();
  }, [state.status]);

  async function confirm() {
    setState({ status: "pending" });
    try {
      const result = await callApi<LinkResult>("/link/confirm", { method: "POST", body: { request: requestToken } });
      const after = result.resumed ? " Switchboard is carrying out what you tried in Slack; look there for the result." : " You can go back to Slack now.";
      setState({ status: "linked", message: `Your Slack account is linked to the PagerDuty user ${result.pagerdutyUser.name} (${result.pagerdutyUser.email}).${after}` });
    } catch (error) {
      setState({ status: "error", message: error instanceof ApiError ? error.message : "Linking failed. Try again." });
    }
  }

  return (
    <div className="space-y-4">
      <div ref={resultRef} tabIndex={-1} aria-live="polite" className="outline-none">
        {state.status === "linked" && <Notice tone="success">{state.message}</Notice>}
        {state.status === "error" && <Notice tone="error">{state.message}</Notice>}
      </div>
      {state.status !== "linked" && (
        <button type="button" onClick={confirm} disabled={state.status === "pending"} className={`${buttonClasses.primary} w-full py-2.5`}>
          {state.status === "pending" ? "Linking…" : label}
        </button>
      )}
    </div>
  );
}
