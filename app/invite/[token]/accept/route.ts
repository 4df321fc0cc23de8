import { getPrisma } from "@/lib/db/client";
import { handleJson, readJsonWrite } from "@/lib/users/http";
import { acceptInvitation } from "@/lib/users/invitations";

export const dynamic = "force-dynamic";

// POST /invite/<token>/accept: creates the invited user. Body: { name, password, confirmPassword }.
export async function POST(request: Request, context: { params: Promise<{ token: string }> }): Promise<Response> {
  return handleJson(async () => {
    const { token } = await context.params;
    const user = await acceptInvitation({ prisma: getPrisma(), token, values: await readJsonWrite(request) });
    return Response.json({ user }, { status: 201 });
  });
}
