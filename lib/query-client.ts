import { QueryClient } from "@tanstack/react-query";

/** A QueryClient with the app's defaults set once here. */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 15_000, retry: 1, refetchOnWindowFocus: true },
      mutations: { retry: 0 },
    },
  });
}

let browserClient: QueryClient | undefined;

/**
 * The browser keeps one QueryClient for the whole visit, so that its cache survives closing and
 * opening again the dialogs that mount their own provider. A server render gets a fresh one, so
 * that no request receives another's data.
 */
export function getQueryClient(): QueryClient {
  if (typeof window === "undefined") return makeQueryClient();
  browserClient ??= makeQueryClient();
  return browserClient;
}
