import { z } from "zod";
import { requireAdmin } from "@/lib/auth/session";
import { parseInput } from "@/lib/extensions/parse-input";
import { jsonRoute, searchParamsOf } from "@/lib/extensions/route-helpers";
import { searchPagerDutyUsers } from "@/lib/settings/pagerduty-users";

export const dynamic = "force-dynamic";

const querySchema = z.object({ query: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(200).optional() });

// GET /api/admin/settings/pagerduty/users: PagerDuty users matching ?query, for choosing the default From user (admins only).
export async function GET(request: Request): Promise<Response> {
  return jsonRoute(async () => {
    await requireAdmin();
    const query = parseInput(querySchema, searchParamsOf(request));
    return Response.json(await searchPagerDutyUsers(query));
  });
}
