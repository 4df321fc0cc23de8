import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { AuthCard } from "@/components/auth/ui";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { isSetupComplete } from "@/lib/auth/page-guard";
import { getCurrentUser } from "@/lib/auth/session";
import { slackSignInProvider } from "@/lib/auth/slack-provider";
import { getEnv } from "@/lib/config/env";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  if (!(await isSetupComplete())) redirect("/setup");
  const params = await searchParams;
  const callbackPath = safeCallbackPath(params.callbackUrl, getEnv().appUrl);
  if (await getCurrentUser()) redirect(callbackPath);
  const error = typeof params.error === "string" ? params.error : null;
  const slackEnabled = slackSignInProvider() !== null;

  return (
    <AuthCard
      title="Sign in to Switchboard"
      description={
        slackEnabled
          ? "Sign in with your Slack account, or with the email address and password of your Switchboard account."
          : "Sign in with the email address and password of your Switchboard account."
      }
    >
      <SignInForm callbackPath={callbackPath} initialError={error} slackEnabled={slackEnabled} />
      <p className="mt-6 text-sm text-slate-700">
        No account yet? Ask a Switchboard admin for an invitation link.
      </p>
    </AuthCard>
  );
}
