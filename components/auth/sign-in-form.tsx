"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";
import { signInErrorMessage } from "@/lib/auth/sign-in-errors";
import { signInWithPassword, signInWithSlack } from "./auth-client";
import { useHydrated } from "./use-hydrated";
import { buttonClasses, Notice, TextField } from "./ui";

interface SignInFormProps {
  /** A path inside Switchboard to open after signing in. */
  callbackPath: string;
  /** The `error` query parameter next-auth added after a failed sign-in, if any. */
  initialError: string | null;
  slackEnabled: boolean;
}

/** Email and password sign-in, and "Sign in with Slack" when a Slack app is configured. */
export function SignInForm({ callbackPath, initialError, slackEnabled }: SignInFormProps) {
  const [error, setError] = useState<string | null>(signInErrorMessage(initialError));
  const [pending, setPending] = useState<"password" | "slack" | null>(null);
  const hydrated = useHydrated();
  const alertRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (error) alertRef.current?.focus();
  }, [error]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending("password");
    setError(null);
    const result = await signInWithPassword(String(form.get("email") ?? ""), String(form.get("password") ?? ""), callbackPath).catch(() => undefined);
    if (result?.ok && !result.error) {
      window.location.assign(callbackPath);
      return;
    }
    setPending(null);
    setError(signInErrorMessage(result?.error ?? "Unknown"));
  }

  async function startSlackSignIn() {
    setPending("slack");
    setError(null);
    // Navigates to Slack's authorize page; on failure next-auth comes back here with ?error=.
    await signInWithSlack(callbackPath).catch(() => {
      setPending(null);
      setError(signInErrorMessage("OAuthSignin"));
    });
  }

  return (
    <div className="space-y-6">
      {error && (
        <div ref={alertRef} tabIndex={-1} className="outline-none">
          <Notice tone="error">{error}</Notice>
        </div>
      )}
      {slackEnabled && (
        <>
          <button type="button" onClick={startSlackSignIn} disabled={!hydrated || pending !== null} className={`${buttonClasses.secondary} w-full py-2.5`}>
            <SlackMark />
            {pending === "slack" ? "Opening Slack…" : "Sign in with Slack"}
          </button>
          <div className="flex items-center gap-3 text-xs uppercase tracking-wide text-slate-600" aria-hidden="true">
            <span className="h-px flex-1 bg-slate-200" />
            or
            <span className="h-px flex-1 bg-slate-200" />
          </div>
        </>
      )}
      <form method="post" onSubmit={submit} className="space-y-4">
        <TextField id="sign-in-email" name="email" type="email" label="Email address" autoComplete="username" required autoFocus={!slackEnabled} />
        <TextField id="sign-in-password" name="password" type="password" label="Password" autoComplete="current-password" required />
        <button type="submit" disabled={!hydrated || pending !== null} className={`${buttonClasses.primary} w-full py-2.5`}>
          {pending === "password" ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </div>
  );
}

function SlackMark() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className="h-4 w-4">
      <path fill="#E01E5A" d="M5.04 15.17a2.52 2.52 0 1 1-2.52-2.52h2.52v2.52Zm1.27 0a2.52 2.52 0 1 1 5.04 0v6.31a2.52 2.52 0 1 1-5.04 0v-6.31Z" />
      <path fill="#36C5F0" d="M8.83 5.04a2.52 2.52 0 1 1 2.52-2.52v2.52H8.83Zm0 1.27a2.52 2.52 0 1 1 0 5.04H2.52a2.52 2.52 0 1 1 0-5.04h6.31Z" />
      <path fill="#2EB67D" d="M18.96 8.83a2.52 2.52 0 1 1 2.52 2.52h-2.52V8.83Zm-1.27 0a2.52 2.52 0 1 1-5.04 0V2.52a2.52 2.52 0 1 1 5.04 0v6.31Z" />
      <path fill="#ECB22E" d="M15.17 18.96a2.52 2.52 0 1 1-2.52 2.52v-2.52h2.52Zm0-1.27a2.52 2.52 0 1 1 0-5.04h6.31a2.52 2.52 0 1 1 0 5.04h-6.31Z" />
    </svg>
  );
}
