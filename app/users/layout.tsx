import type { ReactNode } from "react";
import { QueryProvider } from "@/components/providers";

export default function UsersLayout({ children }: { children: ReactNode }) {
  return <QueryProvider>{children}</QueryProvider>;
}
