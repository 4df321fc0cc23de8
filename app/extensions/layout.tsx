import type { ReactNode } from "react";
import { QueryProvider } from "@/components/providers";

export default function ExtensionsLayout({ children }: { children: ReactNode }) {
  return <QueryProvider>{children}</QueryProvider>;
}
