"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const TABS = [
  { href: "/settings/pagerduty", label: "PagerDuty" },
  { href: "/settings/api-keys", label: "API keys" },
];

/** The tabs of the Settings pages, with the current one marked for screen readers. */
export function SettingsTabs() {
  const pathname = usePathname();
  return (
    <nav aria-label="Settings" className="mb-6 mt-2 border-b border-slate-200">
      <ul className="-mb-px flex gap-4 text-sm">
        {TABS.map((tab) => {
          const current = pathname === tab.href;
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={current ? "page" : undefined}
                className={`inline-block border-b-2 px-1 py-2 font-medium ${current ? "border-emerald-700 text-emerald-900" : "border-transparent text-slate-700 hover:border-slate-300 hover:text-slate-900"}`}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
