"use client";

import { signOut } from "./auth-client";
import { useState } from "react";

/** Signs out (next-auth clears the session cookie) and opens the sign-in page. */
export function SignOutButton({ className }: { className?: string }) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() => {
        setPending(true);
        signOut("/sign-in").catch(() => setPending(false));
      }}
      className={className ?? "rounded border border-slate-300 px-2 py-1 text-slate-700 hover:bg-slate-100 disabled:text-slate-400"}
    >
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
