/**
 * The `error` values that next-auth puts on /sign-in after a failed sign-in, and the sentence the
 * page shows for each. None of them reveals whether the email or the password was wrong.
 */
export const SIGN_IN_ERRORS = {
  CredentialsSignin: "The email address or password is not right. Check both and try again.",
  AccountDisabled: "This account is disabled. Ask a Switchboard admin to enable it again.",
  SlackEmailUnverified:
    "Slack has not verified the email address of your Slack account, so Switchboard cannot match it to a PagerDuty user. Verify the address in Slack, then try again.",
  SlackNotAllowed:
    "Your Slack workspace is not mapped in Switchboard and your email address does not belong to a user of the connected PagerDuty account. Ask a Switchboard admin to invite you.",
  SlackProfileIncomplete:
    "Slack did not share your email address with Switchboard. Allow the email permission on Slack's page and try again.",
  // next-auth reports a cancelled Slack consent as Callback, and a failed code exchange or ID token
  // check as OAuthCallback.
  Callback:
    "Sign in with Slack did not finish: it was cancelled on Slack's page, or Slack rejected the request. Try again, or sign in with your email address and password.",
  OAuthCallback:
    "Sign in with Slack did not finish: it was cancelled on Slack's page, or Slack rejected the request. Try again, or sign in with your email address and password.",
  OAuthSignin: "Switchboard could not start Sign in with Slack. Try again in a minute; the server log has the details.",
  SessionRequired: "Sign in to see that page.",
} as const;

export type SignInErrorCode = keyof typeof SIGN_IN_ERRORS;

const FALLBACK = "Sign-in failed. Try again; if it keeps failing, the server log has the details.";

/** Returns the sentence for a next-auth error code; unknown codes get a general one. */
export function signInErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  return code in SIGN_IN_ERRORS ? SIGN_IN_ERRORS[code as SignInErrorCode] : FALLBACK;
}
