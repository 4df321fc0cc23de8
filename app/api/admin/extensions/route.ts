import { requireAdmin, requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { listExtensions } from "@/lib/extensions/list-extensions";
import { parseInput } from "@/lib/extensions/parse-input";
import { fillServiceNames } from "@/lib/extensions/pagerduty-services";
import { actorOf, assertSameOrigin, jsonRoute, readJsonBody, searchParamsOf } from "@/lib/extensions/route-helpers";
import { createExtension } from "@/lib/extensions/save-extension";
import { listExtensionsQuerySchema } from "@/lib/extensions/schema";

export const dynamic = "force-dynamic";

// GET /api/admin/extensions: one page of extensions (query, sort, direction, page, pageSize, status), for any signed-in user.
export async function GET(request: Request): Promise<Response> {
  return jsonRoute(async () => {
    await requireUser();
    const query = parseInput(listExtensionsQuerySchema, searchParamsOf(request));
    const page = await listExtensions({ prisma: getPrisma(), query });
    return Response.json({ ...page, items: await fillServiceNames(getPrisma(), page.items) });
  });
}

// POST /api/admin/extensions: creates an extension (admins only) and returns 201 with it and a notice.
export async function POST(request: Request): Promise<Response> {
  return jsonRoute(async () => {
    assertSameOrigin(request);
    const user = await requireAdmin();
    const result = await createExtension({ prisma: getPrisma(), actor: actorOf(user), input: await readJsonBody(request) });
    return Response.json(result, { status: 201 });
  });
}
