import { randomUUID } from "node:crypto";
import { hashPassword } from "../../lib/auth/password";
import { env, sql } from "./helpers";

export const TEST_PASSWORD = "correct horse battery staple";

/**
 * Creates a web user who signs in with email and password. The PagerDuty role is not set here: the
 * app reads it from the fake PagerDuty at sign-in, by email, as it does for real users.
 */
export async function createWebUser(input: { email: string; name?: string; isOwner?: boolean }): Promise<{ id: string }> {
  const id = randomUUID();
  await sql(
    `INSERT INTO app_user (id, email, name, password_hash, is_owner, updated_at) VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash`,
    [id, input.email.toLowerCase(), input.name ?? input.email, await hashPassword(TEST_PASSWORD), input.isOwner ?? false],
  );
  const rows = await sql<{ id: string }>(`SELECT id FROM app_user WHERE email = $1`, [input.email.toLowerCase()]);
  return { id: rows[0]!.id };
}

function cookiesFrom(response: Response): string[] {
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]!);
}

/** Signs in through next-auth's credentials endpoint and returns the Cookie header of the session. */
export async function signIn(email: string, password = TEST_PASSWORD): Promise<string> {
  const csrf = await fetch(`${env.appUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookiesFrom(csrf);
  const response = await fetch(`${env.appUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: jar.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${env.appUrl}/`, json: "true" }).toString(),
  });
  const session = cookiesFrom(response).find((cookie) => cookie.startsWith("next-auth.session-token=") || cookie.startsWith("__Secure-next-auth.session-token="));
  if (!session) throw new Error(`Sign-in as ${email} failed with status ${response.status}`);
  return [...jar, session].join("; ");
}
