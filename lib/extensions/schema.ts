import { z } from "zod";
import { UPDATE_KINDS } from "./labels";

// Input of the extension writes, shared by the admin pages' route handlers and the JSON API.

/** Slack channel ids: C (channels) or G (older private channels), then at least 8 capital letters and digits. */
export const CHANNEL_ID_PATTERN = /^[CG][A-Z0-9]{8,}$/;

const trimmed = z.string().trim();

const updatesSchema = z.array(z.enum(UPDATE_KINDS, { error: `each update must be one of ${UPDATE_KINDS.join(", ")}` })).transform((updates) => [...new Set(updates)]);

const channelIdSchema = trimmed.regex(CHANNEL_ID_PATTERN, "must be a Slack channel ID such as C0123ABCD: Slack shows it at the bottom of the channel's details");

/** The channel name the admin may give for a private channel that the bot cannot see yet. */
const channelNameSchema = trimmed
  .transform((name) => name.replace(/^#/, ""))
  .pipe(z.string().max(80, "must be at most 80 characters"));

export const createExtensionSchema = z.strictObject({
  type: z.enum(["slack_v2", "slack_v1"]).default("slack_v2"),
  /** Defaults to SlackV2-<Service-Name>. */
  name: trimmed.min(1, "must not be empty").max(255, "must be at most 255 characters").optional(),
  serviceId: trimmed.min(1, "is required"),
  /** Switchboard's workspace id (a UUID) or the Slack team id (T…). */
  workspaceId: trimmed.min(1, "is required"),
  channelId: channelIdSchema,
  channelName: channelNameSchema.optional(),
  updates: updatesSchema.default([...UPDATE_KINDS]),
});

export const updateExtensionSchema = z.strictObject({
  /** Only the current type is accepted: changing the type means creating a new extension. */
  type: z.enum(["slack_v2", "slack_v1"]).optional(),
  name: trimmed.min(1, "must not be empty").max(255, "must be at most 255 characters").optional(),
  serviceId: trimmed.min(1, "must not be empty").optional(),
  workspaceId: trimmed.min(1, "must not be empty").optional(),
  channelId: channelIdSchema.optional(),
  channelName: channelNameSchema.optional(),
  updates: updatesSchema.optional(),
});

export type CreateExtensionInput = z.input<typeof createExtensionSchema>;
export type UpdateExtensionInput = z.input<typeof updateExtensionSchema>;

export const EXTENSION_SORT_FIELDS = ["name", "service", "status", "workspace", "channel", "created"] as const;

export const listExtensionsQuerySchema = z.object({
  query: trimmed.max(200).optional().default(""),
  sort: z.enum(EXTENSION_SORT_FIELDS).default("name"),
  direction: z.enum(["asc", "desc"]).default("asc"),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
  status: z.enum(["working", "needs_attention", "disabled"]).optional(),
});

export type ListExtensionsQuery = z.infer<typeof listExtensionsQuerySchema>;
