import { getPrisma } from "@/lib/db/client";
import { createOwnerAccount } from "@/lib/users/create-owner";
import { handleJson, readJsonWrite } from "@/lib/users/http";

export const dynamic = "force-dynamic";

// POST /setup/owner: creates the owner account while none exists (409 afterwards). Body: { name, email, password, confirmPassword }.
export async function POST(request: Request): Promise<Response> {
  return handleJson(async () => {
    const owner = await createOwnerAccount({ prisma: getPrisma(), values: await readJsonWrite(request) });
    return Response.json({ user: owner }, { status: 201 });
  });
}
