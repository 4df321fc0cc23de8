import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SetupForm } from "@/components/auth/setup-form";
import { AuthCard } from "@/components/auth/ui";
import { isSetupComplete } from "@/lib/auth/page-guard";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Set up Switchboard" };

export default async function SetupPage() {
  if (await isSetupComplete()) redirect("/sign-in");
  return (
    <AuthCard
      title="Set up Switchboard"
      description={
        <>
          <p>Create the owner account. The owner administers this Switchboard, whether or not PagerDuty is connected yet, and invites the others.</p>
        </>
      }
    >
      <SetupForm />
    </AuthCard>
  );
}
