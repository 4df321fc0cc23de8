import type { Metadata } from "next";
import { AcceptInvitationForm } from "@/components/auth/accept-invitation-form";
import { AuthCard, buttonClasses, Notice } from "@/components/auth/ui";
import { getPrisma } from "@/lib/db/client";
import { findInvitationByToken, invitationProblem } from "@/lib/users/invitations";

export const dynamic = "force-dynamic";
// The token is in the URL: keep it out of the Referer of links followed from this page.
export const metadata: Metadata = { title: "Accept invitation", referrer: "no-referrer" };

const TITLES = {
  accepted: "Invitation already used",
  revoked: "Invitation revoked",
  expired: "Invitation expired",
  unknown: "Invitation not found",
} as const;

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await findInvitationByToken({ prisma: getPrisma(), token });

  if (invitation.state !== "pending" || !invitation.email) {
    const state = invitation.state === "pending" ? "unknown" : invitation.state;
    return (
      <AuthCard title={TITLES[state]}>
        <Notice tone="info">{invitationProblem(state)}</Notice>
        <p className="mt-6">
          <a href="/sign-in" className={buttonClasses.secondary}>
            Go to sign-in
          </a>
        </p>
      </AuthCard>
    );
  }

  const expires = new Date(invitation.expiresAt!);
  return (
    <AuthCard
      title="Join Switchboard"
      description={
        <p>
          You were invited to Switchboard as <strong>{invitation.email}</strong>. Choose your name and a password to create your account. This link works once,
          until {expires.toUTCString().replace("GMT", "UTC")}.
        </p>
      }
    >
      <AcceptInvitationForm token={token} email={invitation.email} />
    </AuthCard>
  );
}
