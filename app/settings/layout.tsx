import type { ReactNode } from "react";
import { SettingsTabs } from "@/components/settings/settings-tabs";

export default function SettingsLayout({ children }: { children: ReactNode }) {
  return (
    <div>
      <p className="text-sm font-medium uppercase tracking-wide text-slate-600">Settings</p>
      <SettingsTabs />
      {children}
    </div>
  );
}
