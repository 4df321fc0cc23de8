export const dynamic = "force-dynamic";

// GET /api/health: 200 once the server is up.
export function GET() {
  return new Response("ok");
}
