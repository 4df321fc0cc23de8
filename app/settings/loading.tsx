export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="space-y-4">
      <span className="sr-only">Loading settings…</span>
      <div className="h-8 w-56 animate-pulse rounded bg-slate-200" />
      <div className="h-72 animate-pulse rounded-lg bg-slate-200" />
    </div>
  );
}
