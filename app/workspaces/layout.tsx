import type { ReactNode } from "react";
import { QueryProvider } from "@/components/providers";

export default function WorkspacesLayout({ children }: { children: ReactNode }) {
  return <QueryProvider>{children}</QueryProvider>;
}
