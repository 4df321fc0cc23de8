import { apiKeyRoute } from "@/lib/api-keys/api-route";
import { getPrisma } from "@/lib/db/client";
import { listExtensions } from "@/lib/extensions/list-extensions";
import { parseInput } from "@/lib/extensions/parse-input";
import { fillServiceNames } from "@/lib/extensions/pagerduty-services";
import { readJsonBody, searchParamsOf } from "@/lib/extensions/route-helpers";
import { createExtension } from "@/lib/extensions/save-extension";
import { listExtensionsQuerySchema } from "@/lib/extensions/schema";

export const dynamic = "force-dynamic";

// GET /api/v1/extensions: one page of extensions (query, sort, direction, page, pageSize, status).
export async function GET(request: Request): Promise<Response> {
  return apiKeyRoute(request, async () => {
    const query = parseInput(listExtensionsQuerySchema, searchParamsOf(request));
    const page = await listExtensions({ prisma: getPrisma(), query });
    return Response.json({ ...page, items: await fillServiceNames(getPrisma(), page.items) });
  });
}

// POST /api/v1/extensions: creates an extension; 201 with {extension, notice}.
export async function POST(request: Request): Promise<Response> {
  return apiKeyRoute(request, async (actor) => {
    const result = await createExtension({ prisma: getPrisma(), actor, input: await readJsonBody(request) });
    return Response.json(result, { status: 201 });
  });
}
