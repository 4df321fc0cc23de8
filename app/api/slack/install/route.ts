import { requireAdmin } from "@/lib/auth/session";
import { getEnv } from "@/lib/config/env";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { scopedLogger } from "@/lib/log";
import { installProblemPath } from "@/lib/slack/oauth/install-problems";
import { startSlackInstall } from "@/lib/slack/oauth/install-flow";

export const dynamic = "force-dynamic";

const log = scopedLogger("slack-install");

// GET /api/slack/install: "Install App into Workspace". Admins are redirected to Slack's consent page
// with a fresh state; anyone else ends on a page that explains why, and nothing is stored.
export async function GET(): Promise<Response> {
  const env = getEnv();
  const redirectTo = (path: string) => Response.redirect(new URL(path, env.appUrl), 303);
  try {
    const admin = await requireAdmin();
    const url = await startSlackInstall({ prisma: getPrisma(), env, installer: { id: admin.id, email: admin.email } });
    log.info({ userId: admin.id }, "Slack install started");
    return Response.redirect(url, 303);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === "unauthenticated") return redirectTo(`/sign-in?callbackUrl=${encodeURIComponent("/workspaces")}`);
    if (error.code === "forbidden") return redirectTo(installProblemPath("forbidden"));
    if (error.code === "not_configured") return redirectTo(installProblemPath("not_configured"));
    throw error;
  }
}
