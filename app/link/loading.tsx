export default function Loading() {
  return (
    <div className="mx-auto w-full max-w-md animate-pulse rounded-lg border border-slate-200 bg-white p-8" role="status" aria-live="polite">
      <div className="h-7 w-3/4 rounded bg-slate-200" />
      <div className="mt-4 h-4 w-full rounded bg-slate-100" />
      <div className="mt-2 h-4 w-5/6 rounded bg-slate-100" />
      <span className="sr-only">Loading…</span>
    </div>
  );
}
