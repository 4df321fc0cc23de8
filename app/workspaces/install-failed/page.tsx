import type { Metadata } from "next";
import Link from "next/link";
import { InstallAppLink } from "@/components/workspaces/install-app-link";
import { getCurrentUser } from "@/lib/auth/session";
import { describeInstallProblem, isInstallProblem } from "@/lib/slack/oauth/install-problems";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Slack installation did not finish" };

/** Explains why an "Install App into Workspace" attempt did not finish and what to do next. */
export default async function InstallFailedPage(props: { searchParams: Promise<{ reason?: string | string[]; slack_error?: string | string[] }> }) {
  const params = await props.searchParams;
  const reason = typeof params.reason === "string" ? params.reason : null;
  const slackError = typeof params.slack_error === "string" ? params.slack_error : null;
  const user = await getCurrentUser();
  const text = isInstallProblem(reason)
    ? describeInstallProblem(reason, slackError)
    : {
        title: "The installation did not finish",
        explanation: "Switchboard could not tell what went wrong. Nothing was changed.",
        nextStep: "Start the installation again from Slack Workspace Mapping.",
        offerRetry: true,
      };

  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <div>
        <p className="text-sm font-medium text-slate-600">Slack Workspace Mapping</p>
        <h1 className="text-2xl font-semibold text-slate-900">{text.title}</h1>
      </div>
      <div role="alert" className="space-y-3 rounded-lg border border-amber-200 bg-amber-50 p-5 text-amber-950" data-reason={reason ?? "unknown"}>
        <p>{text.explanation}</p>
        <p className="font-medium">{text.nextStep}</p>
      </div>
      <div className="flex flex-wrap gap-3">
        {text.offerRetry && user?.isAdmin ? <InstallAppLink label="Install again" /> : null}
        {user ? (
          <Link href="/workspaces" className="inline-flex items-center rounded border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100">
            Back to Slack Workspace Mapping
          </Link>
        ) : (
          <Link href={`/sign-in?callbackUrl=${encodeURIComponent("/workspaces")}`} className="inline-flex items-center rounded bg-emerald-700 px-4 py-2 text-sm font-medium text-white hover:bg-emerald-800">
            Sign in
          </Link>
        )}
      </div>
    </div>
  );
}
