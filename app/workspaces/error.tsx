"use client";

export default function WorkspacesError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-6 text-red-900">
      <h1 className="text-lg font-semibold">Slack Workspace Mapping could not be shown</h1>
      <p className="mt-2 text-sm">Switchboard failed to load the mapped workspaces. The server log has the details; /api/health says whether the database is reachable.</p>
      <button type="button" onClick={reset} className="mt-4 rounded bg-red-700 px-4 py-2 text-sm font-medium text-white hover:bg-red-800">
        Try again
      </button>
    </div>
  );
}
