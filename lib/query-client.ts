import { QueryClient } from "@tanstack/react-query";

/** One QueryClient per browser session, with the app's defaults set once here. */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 15_000, retry: 1, refetchOnWindowFocus: true },
      mutations: { retry: 0 },
    },
  });
}
