import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { roleLabel } from "@/lib/auth/roles";
import type { CurrentUser } from "@/lib/auth/session";

const LINKS = [
  { href: "/incidents", label: "Incidents" },
  { href: "/extensions", label: "Extensions" },
  { href: "/workspaces", label: "Slack Workspace Mapping" },
  { href: "/users", label: "Users" },
  { href: "/slack-links", label: "Slack links" },
  { href: "/audit-log", label: "Audit log" },
  { href: "/settings", label: "Settings" },
];

/** The signed-in navigation: configuration pages and the user's name, role and sign-out. */
export function Nav({ user }: { user: CurrentUser | null }) {
  if (!user) return <span className="flex-1" />;
  return (
    <div className="flex flex-1 flex-wrap items-center justify-between gap-3">
      <nav aria-label="Main">
        <ul className="flex flex-wrap gap-1 text-sm">
          {LINKS.map((link) => (
            <li key={link.href}>
              <Link href={link.href} className="rounded px-2 py-1 text-slate-700 hover:bg-slate-100 hover:text-slate-900">
                {link.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="flex items-center gap-3 text-sm">
        <span className="text-right">
          <span className="block font-medium text-slate-900">{user.name}</span>
          <span className="block text-xs text-slate-600">{user.isOwner ? "Switchboard owner" : roleLabel(user.pagerdutyRole)}</span>
        </span>
        <SignOutButton />
      </div>
    </div>
  );
}
