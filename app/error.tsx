"use client";

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-6 text-red-900">
      <h1 className="text-lg font-semibold">Something went wrong</h1>
      <p className="mt-2">Switchboard could not show this page. The server log has the details.</p>
      <button type="button" onClick={reset} className="mt-4 rounded bg-red-700 px-4 py-2 font-medium text-white hover:bg-red-800">
        Try again
      </button>
    </div>
  );
}
