export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="animate-pulse space-y-4">
      <div className="h-8 w-48 rounded bg-slate-200" />
      <div className="h-4 w-96 max-w-full rounded bg-slate-100" />
      <div className="h-40 rounded-lg border border-slate-200 bg-white" />
      <span className="sr-only">Loading Slack links…</span>
    </div>
  );
}
