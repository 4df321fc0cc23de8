import { requireAdmin, requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/extensions/parse-input";
import { actorOf, assertSameOrigin, jsonRoute, readJsonBody } from "@/lib/extensions/route-helpers";
import { channelRulesSchema, getChannelRules, saveChannelRules } from "@/lib/incident-channels/manage-rules";

export const dynamic = "force-dynamic";

interface Context {
  params: Promise<{ extensionId: string }>;
}

function extensionIdOf(value: string): string {
  if (!/^[0-9a-f-]{36}$/i.test(value)) throw new AppError("not_found", "That extension does not exist. Reload the extension list.");
  return value;
}

// GET /api/admin/incidents/channel-rules/<extension id>: an extension's incident channel rules (defaults when unsaved), for any signed-in user.
export async function GET(_request: Request, context: Context): Promise<Response> {
  return jsonRoute(async () => {
    await requireUser();
    const { extensionId } = await context.params;
    return Response.json(await getChannelRules(getPrisma(), extensionIdOf(extensionId)));
  });
}

// PUT /api/admin/incidents/channel-rules/<extension id>: saves the rules (admins only; refused for extensions managed by the configuration file).
export async function PUT(request: Request, context: Context): Promise<Response> {
  return jsonRoute(async () => {
    assertSameOrigin(request);
    const user = await requireAdmin();
    const { extensionId } = await context.params;
    const rules = parseInput(channelRulesSchema.strict(), await readJsonBody(request));
    return Response.json(await saveChannelRules({ prisma: getPrisma(), extensionId: extensionIdOf(extensionId), rules, actor: actorOf(user) }));
  });
}
