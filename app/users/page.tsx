import type { Metadata } from "next";
import { PageHeader, ReadOnlyNotice } from "@/components/auth/ui";
import { requirePageUser } from "@/lib/auth/page-guard";
import { getPrisma } from "@/lib/db/client";
import { listUsers } from "@/lib/users/list-users";
import { InviteUserButton } from "./invite-dialog";
import { UsersPanel } from "./users-panel";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const viewer = await requirePageUser("/users");
  const directory = await listUsers({ prisma: getPrisma() });
  return (
    <div>
      <PageHeader
        section="Configuration"
        title="Users"
        description="People who can sign in to Switchboard. Each one has the role of the PagerDuty user with the same email address, read again at sign-in and at least hourly: Account Owners and Global Admins can change the configuration."
        action={viewer.isAdmin ? <InviteUserButton /> : undefined}
      />
      {viewer.readOnlyReason && <ReadOnlyNotice reason={viewer.readOnlyReason} />}
      <UsersPanel directory={directory} viewer={{ id: viewer.id, isAdmin: viewer.isAdmin }} />
    </div>
  );
}
