/** A user's role as a badge: admins (who may change the configuration) stand out. */
export function RoleBadge({ label, isAdmin }: { label: string; isAdmin: boolean }) {
  const classes = isAdmin ? "bg-emerald-100 text-emerald-900" : "bg-slate-100 text-slate-800";
  return <span className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-medium ${classes}`}>{label}</span>;
}
