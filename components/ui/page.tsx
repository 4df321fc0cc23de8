import type { ReactNode } from "react";

// Presentational pieces shared by every admin page, so that all screens look alike.

export const buttonClasses = {
  primary:
    "inline-flex items-center justify-center gap-1 rounded-md bg-emerald-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-emerald-800 disabled:cursor-not-allowed disabled:bg-slate-400",
  secondary:
    "inline-flex items-center justify-center gap-1 rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50 disabled:cursor-not-allowed disabled:text-slate-400",
  danger:
    "inline-flex items-center justify-center gap-1 rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-red-800 disabled:cursor-not-allowed disabled:bg-slate-400",
  small:
    "inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-800 hover:bg-slate-50 disabled:cursor-not-allowed disabled:text-slate-400",
  link: "font-medium text-emerald-800 underline underline-offset-2 hover:text-emerald-950",
} as const;

export const inputClasses =
  "block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-500 focus:border-emerald-700 disabled:bg-slate-100 aria-[invalid=true]:border-red-700";

/** The heading row of a page: section, title, description and the primary action on the right. */
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
