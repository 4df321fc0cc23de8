import { z } from "zod";
import { requireAdmin } from "@/lib/auth/session";
import { parseInput } from "@/lib/extensions/parse-input";
import { searchPagerDutyServices } from "@/lib/extensions/pagerduty-services";
import { jsonRoute, searchParamsOf } from "@/lib/extensions/route-helpers";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  query: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  refresh: z.enum(["0", "1"]).optional(),
});

// GET /api/admin/extensions/services: PagerDuty services matching ?query (admins only), for the New Extension form.
export async function GET(request: Request): Promise<Response> {
  return jsonRoute(async () => {
    await requireAdmin();
    const query = parseInput(querySchema, searchParamsOf(request));
    return Response.json(await searchPagerDutyServices({ query: query.query, limit: query.limit, refresh: query.refresh === "1" }));
  });
}
