import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { linkSlackAccount } from "@/lib/linking/link-account";
import { handleJson, readJsonWrite } from "@/lib/users/http";
import { parseInput } from "@/lib/users/input";

export const dynamic = "force-dynamic";

const bodySchema = z.object({ request: z.string().max(200).nullish() });

// POST /link/confirm: links the signed-in user's Slack account (recorded by Sign in with Slack) to the
// PagerDuty user with the email Slack verified, and queues the action of the link request, if any.
export async function POST(request: Request): Promise<Response> {
  return handleJson(async () => {
    const user = await requireUser();
    const body = parseInput(bodySchema, await readJsonWrite(request));
    const result = await linkSlackAccount({ prisma: getPrisma(), webUserId: user.id, requestToken: body.request ?? null });
    return Response.json(result);
  });
}
