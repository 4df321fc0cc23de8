/**
 * The bot token scopes Switchboard requests when it is installed into a workspace, with what each is
 * for. README.md lists the same scopes for people who create the Slack app by hand.
 */
export const BOT_SCOPES = [
  { scope: "chat:write", purpose: "Post and edit incident messages and thread replies, and send replies only one person sees." },
  { scope: "chat:write.public", purpose: "Post in public channels the bot has not joined." },
  { scope: "users:read", purpose: "Show assignees and responders by their Slack name." },
  { scope: "users:read.email", purpose: "Match Slack users to PagerDuty users by email." },
  { scope: "channels:read", purpose: "List public channels when an extension is set up, and receive member_joined_channel for them." },
  { scope: "groups:read", purpose: "List the private channels the bot is in, and receive member_joined_channel for them." },
  { scope: "channels:manage", purpose: "Create a public channel for an incident." },
  { scope: "groups:write", purpose: "Create a private channel for an incident and invite responders to it." },
  { scope: "channels:join", purpose: "Join a public channel before posting in it." },
  { scope: "commands", purpose: "Receive the /pd slash command." },
  { scope: "im:write", purpose: "Open direct messages to notify a person." },
  { scope: "team:read", purpose: "Read the workspace's name and domain for links and the mapping screen." },
] as const;

export type BotScope = (typeof BOT_SCOPES)[number]["scope"];

/** The scope names alone, in the order Switchboard requests them. */
export const BOT_SCOPE_NAMES: readonly BotScope[] = BOT_SCOPES.map((entry) => entry.scope);

/** Returns the requested scopes that a workspace's installation did not grant. */
export function missingBotScopes(granted: readonly string[]): BotScope[] {
  const grantedSet = new Set(granted);
  return BOT_SCOPE_NAMES.filter((scope) => !grantedSet.has(scope));
}
