import type { InputHTMLAttributes, ReactNode } from "react";

import { buttonClasses, inputClasses } from "../ui/page";

// Presentational pieces of the sign-in, setup, invitation, Users and Audit log pages.

export { buttonClasses, inputClasses, PageHeader, ReadOnlyNotice } from "../ui/page";

/** A centred card for the pages shown before sign-in: setup, sign-in and invitations. */
export function AuthCard({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <div className="mx-auto w-full max-w-md">
      <section aria-labelledby="auth-card-title" className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 id="auth-card-title" className="text-2xl font-semibold text-slate-900">
          {title}
        </h1>
        {description && <div className="mt-2 text-sm text-slate-700">{description}</div>}
        <div className="mt-6">{children}</div>
      </section>
    </div>
  );
}

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "name"> {
  id: string;
  name: string;
  label: string;
  hint?: string;
  error?: string;
}

/** A labelled input with an optional hint and error, both tied to the input for screen readers. */
export function TextField({ id, name, label, hint, error, ...input }: TextFieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        {label}
      </label>
      <input
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        className={`mt-1 ${inputClasses}`}
        {...input}
      />
      {hint && (
        <p id={hintId} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="mt-1 text-sm text-red-800">
          {error}
        </p>
      )}
    </div>
  );
}

/** A message box: "error" is announced at once (role alert), "success" and "info" politely. */
export function Notice({ tone, children, id }: { tone: "error" | "success" | "info"; children: ReactNode; id?: string }) {
  const classes = {
    error: "border-red-200 bg-red-50 text-red-900",
    success: "border-emerald-200 bg-emerald-50 text-emerald-950",
    info: "border-slate-300 bg-slate-50 text-slate-800",
  }[tone];
  return (
    <div id={id} role={tone === "error" ? "alert" : "status"} className={`rounded-md border px-4 py-3 text-sm ${classes}`}>
      {children}
    </div>
  );
}
