import { z } from "zod";
import { requireAdmin, requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { createSlackLinkByAdmin, listSlackLinks } from "@/lib/linking/manage-links";
import { actorOf, handleJson, readJsonWrite } from "@/lib/users/http";
import { parseInput } from "@/lib/users/input";

export const dynamic = "force-dynamic";

const bodySchema = z.object({
  slackTeamId: z.string().max(50).default(""),
  slackUserId: z.string().max(50).default(""),
  pagerdutyUserId: z.string().max(50).default(""),
});

// GET /api/admin/slack-links?q=: every Slack-to-PagerDuty link (any signed-in user), optionally filtered.
export async function GET(request: Request): Promise<Response> {
  return handleJson(async () => {
    await requireUser();
    const search = new URL(request.url).searchParams.get("q")?.slice(0, 200) ?? undefined;
    const links = await listSlackLinks({ prisma: getPrisma(), search });
    return Response.json({ links });
  });
}

// POST /api/admin/slack-links: links a Slack member to a PagerDuty user by hand (admins only; audited).
// Body: { slackTeamId, slackUserId, pagerdutyUserId }.
export async function POST(request: Request): Promise<Response> {
  return handleJson(async () => {
    const admin = await requireAdmin();
    // The fields' formats are checked by createSlackLinkByAdmin, which names each invalid one.
    const link = await createSlackLinkByAdmin({ prisma: getPrisma(), actor: actorOf(admin), link: parseInput(bodySchema, await readJsonWrite(request)) });
    return Response.json({ link }, { status: 201 });
  });
}
