import Link from "next/link";

export default function IncidentNotFound() {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-lg font-semibold text-slate-900">Switchboard has no such incident</h1>
      <p className="mt-2 text-slate-700">An incident appears here once PagerDuty sends its webhook. Check the link, or find the incident in the list.</p>
      <Link href="/incidents" className="mt-4 inline-block font-medium text-emerald-800 underline-offset-2 hover:underline">
        Back to Incidents
      </Link>
    </div>
  );
}
