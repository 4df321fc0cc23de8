export default function AuditLogLoading() {
  return (
    <div role="status" aria-live="polite" className="space-y-4">
      <span className="sr-only">Loading the audit log…</span>
      <div className="h-4 w-28 animate-pulse rounded bg-slate-200" />
      <div className="h-8 w-40 animate-pulse rounded bg-slate-200" />
      <div className="h-20 animate-pulse rounded-lg bg-slate-200" />
      <div className="h-80 animate-pulse rounded-lg bg-slate-200" />
    </div>
  );
}
