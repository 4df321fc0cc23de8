import type { OAuthStateProblem } from "./state";

/** Reason an "Install App into Workspace" attempt ended without a mapped workspace. */
export type InstallProblem =
  | OAuthStateProblem
  | "not_configured"
  | "signed_out"
  | "forbidden"
  | "access_denied"
  | "consent_error"
  | "missing_code"
  | "slack_error"
  | "slack_unreachable"
  | "invalid_response"
  | "enterprise_install"
  | "managed_by_config";

export interface InstallProblemText {
  title: string;
  /** Explanation of what happened, in a sentence or two. */
  explanation: string;
  /** Next step for the admin. */
  nextStep: string;
  /** Whether starting the install again is the fix. */
  offerRetry: boolean;
}

const START_AGAIN = "Start the installation again from Slack Workspace Mapping.";

const TEXTS: Record<InstallProblem, InstallProblemText> = {
  not_configured: {
    title: "No Slack app is configured",
    explanation: "Switchboard needs the Slack app's client ID and client secret to install it into a workspace.",
    nextStep: "Set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (Basic Information page of the Slack app) and restart Switchboard.",
    offerRetry: false,
  },
  signed_out: {
    title: "You are signed out",
    explanation: "Slack sent you back to Switchboard, but your Switchboard session has ended, so the installation could not be tied to you.",
    nextStep: "Sign in, then start the installation again from Slack Workspace Mapping.",
    offerRetry: false,
  },
  forbidden: {
    title: "Only admins can install the app",
    explanation: "Only PagerDuty Account Owners and Global Admins can map Slack workspaces to Switchboard. Nothing was changed.",
    nextStep: "Ask an Account Owner or Global Admin to install the app.",
    offerRetry: false,
  },
  state_missing: {
    title: "Slack's response was incomplete",
    explanation: "Slack sent you back without the state value that ties the installation to your session, so Switchboard did not accept it. Nothing was changed.",
    nextStep: START_AGAIN,
    offerRetry: true,
  },
  state_unknown: {
    title: "This installation was not started here",
    explanation:
      "The state value that Slack sent back does not match an installation started from Switchboard, so it was rejected to protect your workspace. This happens when a link from another browser or another Switchboard is followed. Nothing was changed.",
    nextStep: START_AGAIN,
    offerRetry: true,
  },
  state_other_user: {
    title: "This installation was started by someone else",
    explanation:
      "The installation was started from another Switchboard account than the one signed in now, so it was rejected. Nothing was changed.",
    nextStep: START_AGAIN,
    offerRetry: true,
  },
  state_used: {
    title: "This installation link was already used",
    explanation: "Each installation can come back from Slack once. This one was already handled, for example by reloading the page or pressing Back.",
    nextStep: "Check Slack Workspace Mapping: the workspace may already be mapped. If it is not, start the installation again.",
    offerRetry: true,
  },
  state_expired: {
    title: "The installation took too long",
    explanation: "An installation must be finished in Slack within 10 minutes of starting it. This one expired, so it was rejected. Nothing was changed.",
    nextStep: START_AGAIN,
    offerRetry: true,
  },
  access_denied: {
    title: "The installation was cancelled in Slack",
    explanation: "Permission to install Switchboard was not granted on Slack's page, so no workspace was mapped and nothing was changed.",
    nextStep: "To map the workspace, start the installation again and choose Allow in Slack.",
    offerRetry: true,
  },
  consent_error: {
    title: "Slack did not grant the installation",
    explanation: "Slack ended the installation with an error before asking for permission. Nothing was changed.",
    nextStep: "Check the Slack app's settings (redirect URL and scopes), then start the installation again.",
    offerRetry: true,
  },
  missing_code: {
    title: "Slack's response was incomplete",
    explanation: "Slack sent you back without an authorization code, so there was nothing to exchange for a bot token. Nothing was changed.",
    nextStep: START_AGAIN,
    offerRetry: true,
  },
  slack_error: {
    title: "Slack rejected the installation",
    explanation: "Slack refused to exchange the authorization code for a bot token. Nothing was changed.",
    nextStep: START_AGAIN,
    offerRetry: true,
  },
  slack_unreachable: {
    title: "Switchboard could not reach Slack",
    explanation: "The request that exchanges the authorization code for a bot token failed or timed out. Nothing was changed.",
    nextStep: "Check that this server can reach Slack (SLACK_API_URL), then start the installation again.",
    offerRetry: true,
  },
  invalid_response: {
    title: "Slack's response had no bot token",
    explanation: "oauth.v2.access returned no bot token Switchboard needs. The server log has the details. Nothing was changed.",
    nextStep: "Check that the Slack app has a bot user and requests bot scopes, then start the installation again.",
    offerRetry: true,
  },
  enterprise_install: {
    title: "Organisation-wide installs are not supported",
    explanation: "The app was installed for a whole Enterprise Grid organisation. Switchboard maps single workspaces only, so nothing was mapped.",
    nextStep: "Install the app into one workspace of the organisation instead.",
    offerRetry: true,
  },
  managed_by_config: {
    title: "This workspace is managed by the configuration file",
    explanation:
      "Slack granted the installation, but the workspace is listed in the SWITCHBOARD_CONFIG file, so Switchboard kept the bot token from the file. The file would replace a token saved here at the next start.",
    nextStep: "Put the new bot token in the configuration file and restart Switchboard.",
    offerRetry: false,
  },
};

/** Slack's error names of oauth.v2.access that an admin can act on, with what each means. */
const SLACK_ERRORS: Record<string, string> = {
  invalid_code:
    "Slack returned invalid_code: the authorization code is unknown, expired (codes last 10 minutes) or was already exchanged.",
  bad_redirect_uri: "Slack returned bad_redirect_uri: the redirect URL differs from the one the installation started with.",
  invalid_client_id: "Slack returned invalid_client_id: SLACK_CLIENT_ID is not the client ID of the Slack app.",
  bad_client_secret: "Slack returned bad_client_secret: SLACK_CLIENT_SECRET is not the client secret of the Slack app.",
  oauth_authorization_url_mismatch: "Slack returned oauth_authorization_url_mismatch: the installation was started on a different authorize URL.",
};

export const INSTALL_PROBLEMS = Object.keys(TEXTS) as InstallProblem[];

export function isInstallProblem(value: string | null | undefined): value is InstallProblem {
  return typeof value === "string" && Object.hasOwn(TEXTS, value);
}

/** Slack error names are short snake_case words; anything else in a URL is not shown. */
export function isSlackErrorName(value: string | null | undefined): value is string {
  return typeof value === "string" && /^[a-z][a-z0-9_]{0,63}$/.test(value);
}

/** Returns the page text of an install problem; a Slack error name makes the explanation specific. */
export function describeInstallProblem(problem: InstallProblem, slackError?: string | null): InstallProblemText {
  const text = TEXTS[problem];
  if (problem === "slack_error" && isSlackErrorName(slackError)) {
    return { ...text, explanation: `${SLACK_ERRORS[slackError] ?? `Slack returned ${slackError}.`} Nothing was changed.` };
  }
  if (problem === "consent_error" && isSlackErrorName(slackError)) {
    return { ...text, explanation: `Slack ended the installation with the error ${slackError} before asking for permission. Nothing was changed.` };
  }
  return text;
}

/** Returns the path of the page that explains an install problem. */
export function installProblemPath(problem: InstallProblem, slackError?: string | null): string {
  const params = new URLSearchParams({ reason: problem });
  if (isSlackErrorName(slackError)) params.set("slack_error", slackError);
  return `/workspaces/install-failed?${params.toString()}`;
}
