import { z } from "zod";
import { UPDATE_KINDS } from "../extensions/labels";

export { UPDATE_KINDS };

const nonEmpty = (what: string) => z.string({ error: `${what} must be a string` }).trim().min(1, `${what} must not be empty`);

const workspaceSchema = z.strictObject({
  teamId: nonEmpty("teamId").regex(/^[TE][A-Z0-9]+$/, "teamId must be a Slack team id such as T0123ABCD"),
  name: nonEmpty("name"),
  botToken: nonEmpty("botToken").regex(/^xoxb-/, "botToken must be a bot token starting with xoxb-"),
  botUserId: nonEmpty("botUserId").regex(/^[UW][A-Z0-9]+$/, "botUserId must be a Slack user id such as U0123ABCD"),
  scopes: z.array(z.string()).optional(),
});

const extensionSchema = z.strictObject({
  name: nonEmpty("name").max(255),
  serviceId: nonEmpty("serviceId"),
  teamId: nonEmpty("teamId"),
  channelId: nonEmpty("channelId").regex(/^[CG][A-Z0-9]+$/, "channelId must be a Slack channel id such as C0123ABCD"),
  channelName: nonEmpty("channelName").transform((name) => name.replace(/^#/, "")),
  updates: z.array(z.enum(UPDATE_KINDS, { error: `each update must be one of ${UPDATE_KINDS.join(", ")}` })).default([...UPDATE_KINDS]),
});

const userLinkSchema = z.strictObject({
  teamId: nonEmpty("teamId"),
  slackUserId: nonEmpty("slackUserId").regex(/^[UW][A-Z0-9]+$/, "slackUserId must be a Slack user id such as U0123ABCD"),
  pagerdutyUserId: nonEmpty("pagerdutyUserId"),
  email: z.string({ error: "email must be a string" }).trim().toLowerCase().pipe(z.email("email must be an email address")),
});

export const configFileSchema = z.strictObject({
  workspaces: z.array(workspaceSchema).default([]),
  extensions: z.array(extensionSchema).default([]),
  userLinks: z.array(userLinkSchema).default([]),
});

export type ConfigFile = z.infer<typeof configFileSchema>;
