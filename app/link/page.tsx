import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AuthCard, Notice } from "@/components/auth/ui";
import { getCurrentUser } from "@/lib/auth/session";
import { slackSignInProvider } from "@/lib/auth/slack-provider";
import { getPrisma } from "@/lib/db/client";
import { previewSlackLink, type LinkPreview } from "@/lib/linking/link-account";
import { LinkForm } from "./link-form";
import { SlackSignInButton } from "./slack-sign-in-button";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Connect your PagerDuty account" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const TITLE = "Connect your PagerDuty account";

/**
 * Renders the page a Slack user reaches from the "Connect your PagerDuty account" message. They sign
 * in with Slack, which proves their Slack identity and gives its verified email. The PagerDuty user
 * with that email is offered, and linked only when they confirm.
 */
export default async function LinkPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const requestToken = typeof params.request === "string" && params.request.length <= 200 ? params.request : null;
  const callbackPath = requestToken ? `/link?request=${encodeURIComponent(requestToken)}` : "/link";
  const slackEnabled = slackSignInProvider() !== null;
  const user = await getCurrentUser();

  if (!slackEnabled) {
    return (
      <Card>
        <Notice tone="info">
          Sign in with Slack is not set up on this Switchboard, so it cannot confirm which Slack account is yours. Ask a Switchboard admin to link your Slack account to your PagerDuty user by hand.
        </Notice>
      </Card>
    );
  }
  if (!user) {
    return (
      <Card>
        <p className="mb-6 text-sm text-slate-700">
          Switchboard acts in PagerDuty as the person who clicks in Slack. Sign in with Slack so that Slack confirms who you are and your email address; Switchboard then offers the PagerDuty user with that email.
        </p>
        <SlackSignInButton callbackPath={callbackPath} />
      </Card>
    );
  }

  const preview = await previewSlackLink({ prisma: getPrisma(), webUserId: user.id, requestToken });
  return <Card>{renderPreview(preview, { requestToken, callbackPath })}</Card>;
}

function Card({ children }: { children: ReactNode }) {
  return (
    <AuthCard title={TITLE} description="Link your Slack account to your PagerDuty user, so that what you do in Slack runs in PagerDuty as you.">
      {children}
    </AuthCard>
  );
}

function renderPreview(preview: LinkPreview, input: { requestToken: string | null; callbackPath: string }): ReactNode {
  switch (preview.kind) {
    case "needs_slack_sign_in":
      return (
        <div className="space-y-4">
          <p className="text-sm text-slate-700">
            {preview.reason === "other_slack_user"
              ? "This link was made for another Slack account than the one you are signed in with. Sign in with Slack as the person who clicked the link."
              : "You are signed in, but not with Slack. Sign in with Slack so that Slack confirms which Slack account is yours."}
          </p>
          <SlackSignInButton callbackPath={input.callbackPath} />
        </div>
      );
    case "workspace_not_mapped":
      return (
        <Notice tone="error">
          Your Slack workspace ({preview.slackTeamId}) is not connected to Switchboard. Ask a Switchboard admin to map it under Slack Workspace Mapping, then try again from Slack.
        </Notice>
      );
    case "pagerduty_not_configured":
      return <Notice tone="error">Switchboard is not connected to PagerDuty yet. Ask a Switchboard admin to set the PagerDuty API token under Settings.</Notice>;
    case "no_pagerduty_user":
      return (
        <Notice tone="error">
          No PagerDuty user has the email address {preview.email}, which Slack confirmed for your Slack account ({preview.slackUserId}). Ask a Switchboard admin to link your
          Slack account to your PagerDuty user by hand on the Slack links page.
        </Notice>
      );
    case "ready":
      return <ReadyToLink preview={preview} requestToken={input.requestToken} />;
  }
}

function ReadyToLink({ preview, requestToken }: { preview: Extract<LinkPreview, { kind: "ready" }>; requestToken: string | null }) {
  const alreadyLinked = preview.existingLink?.pagerdutyUserId === preview.pagerdutyUser.id;
  return (
    <div className="space-y-5">
      <dl className="grid grid-cols-1 gap-x-4 gap-y-2 rounded-md border border-slate-200 bg-slate-50 p-4 text-sm sm:grid-cols-[auto_1fr]">
        <dt className="font-medium text-slate-700">Slack account</dt>
        <dd className="break-all text-slate-900">
          {preview.slackUserId} ({preview.email})
        </dd>
        <dt className="font-medium text-slate-700">PagerDuty user</dt>
        <dd className="break-all text-slate-900">
          {preview.pagerdutyUser.name} ({preview.pagerdutyUser.email})
        </dd>
      </dl>
      {preview.existingLink?.managedByConfig && !alreadyLinked && (
        <Notice tone="error">Your Slack account is linked to another PagerDuty user in Switchboard&apos;s configuration file, so it can&apos;t be changed here. Ask a Switchboard admin.</Notice>
      )}
      {alreadyLinked && <Notice tone="info">Your Slack account is already linked to this PagerDuty user.</Notice>}
      {preview.pendingDescription && (
        <p className="text-sm text-slate-700">{`After linking, Switchboard goes on where you left off in Slack: you tried to ${preview.pendingDescription}.`}</p>
      )}
      {preview.requestProblem === "expired" && (
        <Notice tone="info">The link from Slack is older than 30 minutes, so what you tried there will not run by itself. Try it again in Slack after linking.</Notice>
      )}
      {preview.requestProblem === "used" && <Notice tone="info">The link from Slack was used already; what you tried there has been handled.</Notice>}
      {!(preview.existingLink?.managedByConfig && !alreadyLinked) && (
        <LinkForm requestToken={requestToken} label={alreadyLinked ? "Continue" : `Link to ${preview.pagerdutyUser.name}`} />
      )}
    </div>
  );
}
