"use client";

import { useState } from "react";
import { signInWithSlack } from "@/components/auth/auth-client";
import { buttonClasses, Notice } from "@/components/auth/ui";

/** Starts Sign in with Slack and comes back to the link page, so Slack itself proves who the person is. */
export function SlackSignInButton({ callbackPath, label = "Sign in with Slack" }: { callbackPath: string; label?: string }) {
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);

  async function start() {
    setPending(true);
    setFailed(false);
    await signInWithSlack(callbackPath).catch(() => {
      setPending(false);
      setFailed(true);
    });
  }

  return (
    <div className="space-y-3">
      {failed && <Notice tone="error">Switchboard could not start Sign in with Slack. Try again in a moment.</Notice>}
      <button type="button" onClick={start} disabled={pending} className={`${buttonClasses.primary} w-full py-2.5`}>
        {pending ? "Opening Slack…" : label}
      </button>
    </div>
  );
}
