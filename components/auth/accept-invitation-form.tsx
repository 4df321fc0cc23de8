"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";
import { ApiError, callApi, formErrorSummary } from "./api";
import { NewPasswordFields } from "./new-password-fields";
import { Notice, TextField, buttonClasses } from "./ui";
import { signInWithPassword } from "./auth-client";
import { useHydrated } from "./use-hydrated";

/** The invitation form: the invitee picks a name and password, then is signed in. */
export function AcceptInvitationForm({ token, email }: { token: string; email: string }) {
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const alertRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (error) alertRef.current?.focus();
  }, [error]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const values = {
      name: String(form.get("name") ?? ""),
      password: String(form.get("password") ?? ""),
      confirmPassword: String(form.get("confirmPassword") ?? ""),
    };
    setPending(true);
    setError(null);
    setFields({});
    try {
      await callApi(`/invite/${encodeURIComponent(token)}/accept`, { method: "POST", body: values });
      const result = await signInWithPassword(email, values.password, "/").catch(() => undefined);
      window.location.assign(result?.ok && !result.error ? "/" : "/sign-in");
    } catch (failure) {
      setPending(false);
      setFields(failure instanceof ApiError ? failure.fields : {});
      setError(failure instanceof ApiError ? formErrorSummary(failure) : "Creating the account failed. Try again.");
    }
  }

  return (
    <form method="post" onSubmit={submit} noValidate className="space-y-4">
      {error && (
        <div ref={alertRef} tabIndex={-1} className="outline-none">
          <Notice tone="error">{error}</Notice>
        </div>
      )}
      <TextField id="invite-email" name="email" type="email" label="Email address" value={email} readOnly autoComplete="username" hint="The invitation is for this address." />
      <TextField id="invite-name" name="name" label="Your name" autoComplete="name" required maxLength={200} autoFocus error={fields.name} />
      <NewPasswordFields idPrefix="invite" errors={fields} />
      <button type="submit" disabled={!hydrated || pending} className={`${buttonClasses.primary} w-full py-2.5`}>
        {pending ? "Creating your account…" : "Create account and sign in"}
      </button>
    </form>
  );
}
