"use client";

export default function IncidentsError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-6 text-red-900">
      <h1 className="text-lg font-semibold">The incident pages could not be shown</h1>
      <p className="mt-2">Switchboard failed to load this page. The server log has the details.</p>
      <button type="button" onClick={reset} className="mt-4 rounded-md bg-red-700 px-4 py-2 font-medium text-white hover:bg-red-800">
        Try again
      </button>
    </div>
  );
}
