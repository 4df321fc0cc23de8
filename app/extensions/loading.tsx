export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="space-y-4">
      <span className="sr-only">Loading extensions…</span>
      <div className="h-4 w-32 animate-pulse rounded bg-slate-200" />
      <div className="h-8 w-56 animate-pulse rounded bg-slate-200" />
      <div className="h-10 w-full max-w-sm animate-pulse rounded bg-slate-200" />
      <div className="h-64 animate-pulse rounded-lg bg-slate-200" />
    </div>
  );
}
