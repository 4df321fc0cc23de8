import type { ReactNode } from "react";

// Small presentational pieces shared by the Extensions and Settings pages.

export { buttonClasses, inputClasses, PageHeader, ReadOnlyNotice } from "../ui/page";

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
