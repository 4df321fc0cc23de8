// A small HTTP client that keeps cookies and follows redirects as a browser does, for driving the
// sign-in flows (next-auth and the fake Slack's authorize page) over real HTTP.

export interface Visit {
  /** The URL of the last response, after redirects. */
  url: string;
  status: number;
  body: string;
  /** Every URL visited, the first request included. */
  chain: string[];
}

export class TestBrowser {
  /** Cookies by name. Browsers share cookies between ports of one host, and every server here is on 127.0.0.1. */
  private readonly cookies = new Map<string, string>();

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name);
  }

  /** Sends one request without following redirects, and stores the cookies it sets. */
  async request(url: string, init: { method?: string; form?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size > 0) headers.Cookie = this.cookieHeader();
    let body: string | undefined;
    if (init.form) {
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(init.json);
    }
    const response = await fetch(url, { method: init.method ?? (body ? "POST" : "GET"), headers, body, redirect: "manual" });
    this.store(response);
    return response;
  }

  /** Sends a request and follows redirects (as GET), meta refresh redirects included, until a page responds. */
  async visit(url: string, init: Parameters<TestBrowser["request"]>[1] = {}, maxRedirects = 12): Promise<Visit> {
    const chain = [url];
    let response = await this.request(url, init);
    let current = url;
    for (let hops = 0; hops < maxRedirects; hops++) {
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        current = new URL(location, current).toString();
        chain.push(current);
        response = await this.request(current);
        continue;
      }
      break;
    }
    const body = await response.text();
    // Next.js responds to a redirect thrown after streaming began with 200 and a meta refresh.
    const meta = /<meta id="__next-page-redirect" http-equiv="refresh" content="\d+;url=([^"]+)"/.exec(body);
    if (meta && chain.length < maxRedirects) {
      const next = new URL(decodeHtml(meta[1]!), current).toString();
      const followed = await this.visit(next, {}, maxRedirects - chain.length);
      return { ...followed, chain: [...chain, ...followed.chain] };
    }
    return { url: current, status: response.status, body, chain };
  }

  private store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(";");
      const separator = pair!.indexOf("=");
      const name = pair!.slice(0, separator).trim();
      const value = pair!.slice(separator + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key, attributeValue = ""] = attribute.split("=").map((part) => part.trim());
        if (key!.toLowerCase() === "max-age") return Number(attributeValue) <= 0;
        if (key!.toLowerCase() === "expires") return Date.parse(attributeValue) <= Date.now();
        return false;
      });
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

export function decodeHtml(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** Returns the hidden inputs of an HTML form, by name. */
export function hiddenInputs(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[match[1]!] = decodeHtml(match[2]!);
  return fields;
}

/** Returns the user id of the browser's next-auth session, or null when it has none. */
export async function sessionUserId(browser: TestBrowser, appUrl: string): Promise<string | null> {
  const response = await browser.request(`${appUrl}/api/auth/session`);
  const session = (await response.json()) as { userId?: string } | null;
  return session?.userId ?? null;
}

/**
 * Runs Sign in with Slack as a browser does: starts it at next-auth, opens the fake Slack's authorize
 * page, presses Allow (as `slackUserId`) or Cancel, and follows the redirects back into Switchboard.
 * `tamper` may change the form fields before they are sent, for example the state.
 */
export async function signInWithSlack(input: {
  browser: TestBrowser;
  appUrl: string;
  slackUserId: string;
  decision?: "allow" | "cancel";
  callbackPath?: string;
  tamper?: (fields: Record<string, string>) => void;
}): Promise<Visit> {
  const { browser, appUrl } = input;
  const csrf = (await (await browser.request(`${appUrl}/api/auth/csrf`)).json()) as { csrfToken: string };
  const start = await browser.request(`${appUrl}/api/auth/signin/slack`, {
    form: { csrfToken: csrf.csrfToken, callbackUrl: `${appUrl}${input.callbackPath ?? "/"}`, json: "true" },
  });
  const { url: authorizeUrl } = (await start.json()) as { url: string };
  const page = await browser.visit(authorizeUrl);
  if (page.status !== 200) throw new Error(`The authorize page answered ${page.status}: ${page.body.slice(0, 300)}`);
  const fields = { ...hiddenInputs(page.body), user_id: input.slackUserId, decision: input.decision ?? "allow" };
  input.tamper?.(fields);
  const formAction = /<form method="post" action="([^"]+)">/.exec(page.body)?.[1];
  if (!formAction) throw new Error("The authorize page has no form");
  return browser.visit(new URL(formAction, authorizeUrl).toString(), { form: fields });
}
