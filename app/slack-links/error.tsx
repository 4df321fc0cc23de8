"use client";

import { buttonClasses } from "@/components/auth/ui";

export default function SlackLinksError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-6 text-red-900">
      <h1 className="text-lg font-semibold">The Slack links could not be loaded</h1>
      <p className="mt-2 text-sm">Switchboard could not read its database. Try again; if it keeps failing, /api/health says what is wrong.</p>
      <button type="button" className={`${buttonClasses.secondary} mt-4`} onClick={reset}>
        Try again
      </button>
    </div>
  );
}
