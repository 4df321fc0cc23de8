export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="space-y-4">
      <span className="sr-only">Loading incidents…</span>
      <div className="h-8 w-48 animate-pulse rounded bg-slate-200" />
      <div className="h-10 w-full max-w-3xl animate-pulse rounded bg-slate-200" />
      <div className="h-64 animate-pulse rounded-lg bg-slate-200" />
    </div>
  );
}
