import { redirect } from "next/navigation";
import { getPrisma } from "../db/client";
import { getCurrentUser, type CurrentUser } from "./session";

/** True once the owner account exists; before that every page leads to /setup. */
export async function isSetupComplete(): Promise<boolean> {
  return (await getPrisma().user.count({ where: { isOwner: true } })) > 0;
}

/**
 * For server-rendered pages: the signed-in user, or a redirect to /setup (no owner yet) or to
 * /sign-in with a way back to `path`.
 */
export async function requirePageUser(path: string): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (user) return user;
  if (!(await isSetupComplete())) redirect("/setup");
  redirect(`/sign-in?callbackUrl=${encodeURIComponent(path)}`);
}
