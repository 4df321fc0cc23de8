import { getPool } from "@/lib/db/client";
import { checkHealth } from "@/lib/db/health";

export const dynamic = "force-dynamic";

// GET /api/health: 200 once the database is reachable and migrated, 503 before.
export async function GET(): Promise<Response> {
  const health = await checkHealth(getPool());
  if (health.ok) return Response.json({ status: "ok" });
  return Response.json({ status: "unavailable", reason: health.reason }, { status: 503 });
}
