/** Pages that must not be the destination after a sign-in, because they would lead back to it. */
const AUTH_PAGES = ["/sign-in", "/setup", "/invite/", "/api/auth/"];

/**
 * Returns where to go after signing in: the path of `callbackUrl` when it is a path inside
 * Switchboard or an absolute URL on Switchboard's own origin (next-auth passes absolute ones), and
 * "/" otherwise. Other origins and scheme-relative paths ("//host") are never followed.
 */
export function safeCallbackPath(callbackUrl: string | string[] | undefined, appUrl: string): string {
  const value = Array.isArray(callbackUrl) ? callbackUrl[0] : callbackUrl;
  if (!value) return "/";
  let url: URL;
  try {
    const base = new URL(appUrl);
    url = new URL(value, base);
    if (url.origin !== base.origin) return "/";
  } catch {
    return "/";
  }
  if (value.startsWith("//") || value.startsWith("/\\")) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (AUTH_PAGES.some((page) => url.pathname === page.replace(/\/$/, "") || url.pathname.startsWith(page))) return "/";
  return path;
}
