import type { ReactNode } from "react";
import { QueryProvider } from "@/components/providers";

export default function IncidentsLayout({ children }: { children: ReactNode }) {
  return <QueryProvider>{children}</QueryProvider>;
}
