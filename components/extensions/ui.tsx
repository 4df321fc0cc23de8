import type { ReactNode } from "react";

// Small presentational pieces shared by the Extensions and Settings pages.

export const buttonClasses = {
  primary:
    "inline-flex items-center justify-center gap-1 rounded-md bg-emerald-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-emerald-800 disabled:cursor-not-allowed disabled:bg-slate-400",
  secondary:
    "inline-flex items-center justify-center gap-1 rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50 disabled:cursor-not-allowed disabled:text-slate-400",
  danger:
    "inline-flex items-center justify-center gap-1 rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-red-800 disabled:cursor-not-allowed disabled:bg-slate-400",
  link: "font-medium text-emerald-800 underline-offset-2 hover:underline",
} as const;

export const inputClasses =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-500 focus:border-emerald-700 disabled:bg-slate-100 aria-[invalid=true]:border-red-700";

/** The heading row of a configuration page: breadcrumb, title, description and the primary action on the right. */
export function PageHeader({ section, title, description, action }: { section?: string; title: string; description?: ReactNode; action?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
      <div>
        {section && <p className="text-sm font-medium uppercase tracking-wide text-slate-600">{section}</p>}
        <h1 className="text-2xl font-semibold text-slate-900">{title}</h1>
        {description && <p className="mt-1 max-w-3xl text-sm text-slate-700">{description}</p>}
      </div>
      {action && <div className="shrink-0">{action}</div>}
    </div>
  );
}

/** The line read-only pages show: why this user may not change anything here. */
export function ReadOnlyNotice({ reason }: { reason: string }) {
  return (
    <p role="note" className="mb-6 rounded-md border border-slate-300 bg-slate-100 px-4 py-3 text-sm text-slate-800">
      <span className="font-semibold">Read-only. </span>
      {reason}
    </p>
  );
}

export function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="mt-1 text-sm text-red-800">
      {message}
    </p>
  );
}

export function Card({ children, className = "" }: { children: ReactNode; className?: string }) {
  return <section className={`rounded-lg border border-slate-200 bg-white p-5 shadow-sm ${className}`}>{children}</section>;
}

/** A channel's name with "#" for public channels and a lock for private ones, named for screen readers. */
export function ChannelName({ name, isPrivate }: { name: string; isPrivate: boolean }) {
  if (!isPrivate) return <span>#{name}</span>;
  return (
    <span className="inline-flex items-center gap-1">
      <svg aria-hidden="true" viewBox="0 0 16 16" className="h-3.5 w-3.5 shrink-0 fill-current text-slate-700">
        <path d="M4 7V5a4 4 0 1 1 8 0v2h.5A1.5 1.5 0 0 1 14 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-9A1.5 1.5 0 0 1 2 13.5v-5A1.5 1.5 0 0 1 3.5 7H4Zm2 0h4V5a2 2 0 1 0-4 0v2Z" />
      </svg>
      {name}
      <span className="sr-only"> (private)</span>
    </span>
  );
}
