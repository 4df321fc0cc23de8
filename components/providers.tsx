"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { getQueryClient } from "@/lib/query-client";

/**
 * React Query for code that loads only when someone starts to use it and then fetches from the
 * browser: the Set Channel dialog mounts this provider around itself. Pages render their data on
 * the server and mount no provider, so React Query stays out of every page's first-load JavaScript.
 */
export function QueryProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(getQueryClient);
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
