"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";
import { ApiError, callApi, formErrorSummary } from "./api";
import { NewPasswordFields } from "./new-password-fields";
import { signInWithPassword } from "./auth-client";
import { useHydrated } from "./use-hydrated";
import { buttonClasses, Notice, TextField } from "./ui";

/** The first-start form: creates the owner account, then signs the owner in and opens the overview. */
export function SetupForm() {
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();
  const [error, setError] = useState<{ message: string; ownerExists: boolean } | null>(null);
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
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      confirmPassword: String(form.get("confirmPassword") ?? ""),
    };
    setPending(true);
    setError(null);
    setFields({});
    try {
      const { user } = await callApi<{ user: { email: string } }>("/setup/owner", { method: "POST", body: values });
      const result = await signInWithPassword(user.email, values.password, "/").catch(() => undefined);
      // The account exists either way; if signing in failed, the sign-in page takes over.
      window.location.assign(result?.ok && !result.error ? "/" : "/sign-in");
    } catch (failure) {
      setPending(false);
      if (failure instanceof ApiError) {
        setFields(failure.fields);
        setError({ message: formErrorSummary(failure), ownerExists: failure.code === "conflict" && !failure.fields.email });
      } else {
        setError({ message: "Creating the account failed. Try again.", ownerExists: false });
      }
    }
  }

  return (
    <form method="post" onSubmit={submit} noValidate className="space-y-4">
      {error && (
        <div ref={alertRef} tabIndex={-1} className="outline-none">
          <Notice tone="error">
            {error.message}{" "}
            {error.ownerExists && (
              <a href="/sign-in" className={buttonClasses.link}>
                Go to sign-in
              </a>
            )}
          </Notice>
        </div>
      )}
      <TextField id="setup-name" name="name" label="Your name" autoComplete="name" required maxLength={200} autoFocus error={fields.name} />
      <TextField
        id="setup-email"
        name="email"
        type="email"
        label="Email address"
        autoComplete="username"
        required
        hint="Use the address of your PagerDuty user, so that Switchboard can match you to it."
        error={fields.email}
      />
      <NewPasswordFields idPrefix="setup" errors={fields} />
      <button type="submit" disabled={!hydrated || pending} className={`${buttonClasses.primary} w-full py-2.5`}>
        {pending ? "Creating the account…" : "Create owner account"}
      </button>
    </form>
  );
}
