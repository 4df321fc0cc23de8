export default function WorkspacesLoading() {
  return (
    <div role="status" aria-live="polite" className="space-y-6">
      <span className="sr-only">Loading Slack Workspace Mapping…</span>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="space-y-2">
          <div className="h-4 w-28 animate-pulse rounded bg-slate-200" />
          <div className="h-8 w-72 animate-pulse rounded bg-slate-200" />
        </div>
        <div className="h-9 w-56 animate-pulse rounded bg-slate-200" />
      </div>
      <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
        <div className="h-11 bg-slate-100" />
        {[0, 1, 2].map((row) => (
          <div key={row} className="flex gap-4 border-t border-slate-200 px-4 py-4">
            <div className="h-4 w-1/4 animate-pulse rounded bg-slate-200" />
            <div className="h-4 w-1/6 animate-pulse rounded bg-slate-200" />
            <div className="h-4 w-1/4 animate-pulse rounded bg-slate-200" />
            <div className="h-4 w-1/6 animate-pulse rounded bg-slate-200" />
          </div>
        ))}
      </div>
    </div>
  );
}
