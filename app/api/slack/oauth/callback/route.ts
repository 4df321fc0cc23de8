import { requireAdmin, type CurrentUser } from "@/lib/auth/session";
import { getEnv } from "@/lib/config/env";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { scopedLogger } from "@/lib/log";
import { completeSlackInstall } from "@/lib/slack/oauth/install-flow";
import { installProblemPath } from "@/lib/slack/oauth/install-problems";

export const dynamic = "force-dynamic";

const log = scopedLogger("slack-install");

// GET /api/slack/oauth/callback: Slack's OAuth v2 redirect URL. Checks the state against the signed-in
// admin, exchanges the code and maps the workspace, then redirects to the mapping screen or to a page
// that explains what went wrong. The code and the token are never logged.
export async function GET(request: Request): Promise<Response> {
  const env = getEnv();
  const redirectTo = (path: string) => Response.redirect(new URL(path, env.appUrl), 303);
  const query = new URL(request.url).searchParams;

  let admin: CurrentUser;
  try {
    admin = await requireAdmin();
  } catch (error) {
    if (error instanceof AppError && error.code === "unauthenticated") return redirectTo(installProblemPath("signed_out"));
    if (error instanceof AppError && error.code === "forbidden") return redirectTo(installProblemPath("forbidden"));
    throw error;
  }

  const outcome = await completeSlackInstall({
    prisma: getPrisma(),
    env,
    installer: { id: admin.id, email: admin.email },
    params: { code: query.get("code"), state: query.get("state"), error: query.get("error") },
    log,
  });
  if (!outcome.ok) return redirectTo(installProblemPath(outcome.problem, outcome.slackError));
  return redirectTo(`/workspaces?installed=${encodeURIComponent(outcome.workspaceId)}`);
}
