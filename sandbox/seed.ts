// Seed data shared by the fake Slack, the fake PagerDuty, the demo configuration and the tests.
// Each Slack user's email matches the PagerDuty user of the same person, so linking by email works.

export const SLACK_TEAM = {
  id: "T0SANDBOX1",
  name: "Sandbox Workspace",
  domain: "sandbox",
} as const;

export const SLACK_BOT = {
  userId: "U0SWITCHBD",
  botId: "B0SWITCHBD",
  name: "switchboard",
  appId: "A0SWITCHBD",
} as const;

export type PagerDutyRole =
  | "owner"
  | "admin"
  | "user"
  | "limited_user"
  | "observer"
  | "restricted_access"
  | "read_only_user"
  | "read_only_limited_user";

export interface SeedPerson {
  key: string;
  name: string;
  email: string;
  slackUserId: string;
  pagerdutyUserId: string;
  role: PagerDutyRole;
  teamIds: string[];
  timeZone: string;
}

export const TEAMS = {
  payments: { id: "P0TEAMPAY", name: "Payments" },
  platform: { id: "P0TEAMPLT", name: "Platform" },
} as const;

export const PEOPLE: readonly SeedPerson[] = [
  { key: "owner", name: "Olivia Owner", email: "olivia.owner@example.com", slackUserId: "U0OLIVIA01", pagerdutyUserId: "P0OLIVIA", role: "owner", teamIds: [TEAMS.payments.id, TEAMS.platform.id], timeZone: "Europe/London" },
  { key: "admin", name: "Adam Admin", email: "adam.admin@example.com", slackUserId: "U0ADAM0001", pagerdutyUserId: "P0ADAM1", role: "admin", teamIds: [TEAMS.platform.id], timeZone: "America/New_York" },
  { key: "responder", name: "Rosa Responder", email: "rosa.responder@example.com", slackUserId: "U0ROSA0001", pagerdutyUserId: "P0ROSA1", role: "user", teamIds: [TEAMS.payments.id], timeZone: "Europe/Berlin" },
  { key: "limited", name: "Liam Limited", email: "liam.limited@example.com", slackUserId: "U0LIAM0001", pagerdutyUserId: "P0LIAM1", role: "limited_user", teamIds: [TEAMS.platform.id], timeZone: "America/Los_Angeles" },
  { key: "restricted", name: "Rhea Restricted", email: "rhea.restricted@example.com", slackUserId: "U0RHEA0001", pagerdutyUserId: "P0RHEA1", role: "restricted_access", teamIds: [TEAMS.payments.id], timeZone: "Asia/Tokyo" },
  { key: "observer", name: "Oscar Observer", email: "oscar.observer@example.com", slackUserId: "U0OSCAR001", pagerdutyUserId: "P0OSCAR", role: "observer", teamIds: [TEAMS.payments.id], timeZone: "Europe/Paris" },
  { key: "readonly", name: "Ruth Readonly", email: "ruth.readonly@example.com", slackUserId: "U0RUTH0001", pagerdutyUserId: "P0RUTH1", role: "read_only_user", teamIds: [TEAMS.payments.id], timeZone: "Australia/Sydney" },
  { key: "readonlyLimited", name: "Rene Readonly-Limited", email: "rene.readonly@example.com", slackUserId: "U0RENE0001", pagerdutyUserId: "P0RENE1", role: "read_only_limited_user", teamIds: [TEAMS.payments.id], timeZone: "UTC" },
  // A Slack member with no PagerDuty account, and a PagerDuty user with no Slack account.
  { key: "slackOnly", name: "Sam Slackonly", email: "sam.slackonly@example.com", slackUserId: "U0SAM00001", pagerdutyUserId: "", role: "user", teamIds: [], timeZone: "UTC" },
  { key: "pagerdutyOnly", name: "Paula Pageronly", email: "paula.pageronly@example.com", slackUserId: "", pagerdutyUserId: "P0PAULA", role: "user", teamIds: [TEAMS.payments.id], timeZone: "America/Chicago" },
];

export function person(key: string): SeedPerson {
  const found = PEOPLE.find((p) => p.key === key);
  if (!found) throw new Error(`No seeded person with key "${key}"`);
  return found;
}

export const CHANNELS = {
  incidents: { id: "C0INCIDENT", name: "incidents", isPrivate: false, botIsMember: true },
  platform: { id: "C0PLATFORM", name: "platform-alerts", isPrivate: false, botIsMember: true },
  general: { id: "C0GENERAL1", name: "general", isPrivate: false, botIsMember: false },
  security: { id: "C0SECURITY", name: "security-private", isPrivate: true, botIsMember: false },
  // Public channels the bot is not in, one per use, so tests that change one do not affect another.
  support: { id: "C0SUPPORT1", name: "support", isPrivate: false, botIsMember: false },
  warRoom: { id: "C0WARROOM1", name: "war-room", isPrivate: false, botIsMember: false },
  random: { id: "C0RANDOM01", name: "random", isPrivate: false, botIsMember: false },
} as const;

export const ESCALATION_POLICIES = {
  checkout: { id: "P0EPCHK", name: "Checkout On-Call", teamId: TEAMS.payments.id, levels: [["responder"], ["owner", "pagerdutyOnly"]] },
  platform: { id: "P0EPPLT", name: "Platform On-Call", teamId: TEAMS.platform.id, levels: [["limited"], ["admin"]] },
} as const;

export const SERVICES = {
  checkout: { id: "P0SVCCHK", name: "Checkout API", escalationPolicyId: ESCALATION_POLICIES.checkout.id, teamId: TEAMS.payments.id },
  platform: { id: "P0SVCPLT", name: "Platform Core", escalationPolicyId: ESCALATION_POLICIES.platform.id, teamId: TEAMS.platform.id },
  search: { id: "P0SVCSRC", name: "Search Indexer", escalationPolicyId: ESCALATION_POLICIES.platform.id, teamId: TEAMS.platform.id },
} as const;

export const PRIORITIES = [
  { id: "P0PRIO1", name: "P1", description: "Critical" },
  { id: "P0PRIO2", name: "P2", description: "High" },
  { id: "P0PRIO3", name: "P3", description: "Moderate" },
] as const;

/** The Slack V2 extension that the demo configures: Checkout API incidents go to #incidents. */
export const DEMO_EXTENSION = {
  name: "SlackV2-Checkout-API",
  serviceId: SERVICES.checkout.id,
  channelId: CHANNELS.incidents.id,
  channelName: CHANNELS.incidents.name,
  updates: ["escalate", "resolve", "acknowledge", "reassign", "notes"],
} as const;
