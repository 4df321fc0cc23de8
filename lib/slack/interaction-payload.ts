import { z } from "zod";

const actionSchema = z
  .object({
    action_id: z.string(),
    block_id: z.string().optional(),
    type: z.string(),
    value: z.string().optional(),
    selected_option: z.object({ value: z.string() }).passthrough().nullish(),
    action_ts: z.string().optional(),
  })
  .passthrough();

/** A block_actions payload: what Switchboard reads of it. */
export const blockActionsSchema = z
  .object({
    type: z.literal("block_actions"),
    team: z.object({ id: z.string().min(1), domain: z.string().optional() }).passthrough(),
    user: z.object({ id: z.string().min(1), name: z.string().optional(), username: z.string().optional(), team_id: z.string().optional() }).passthrough(),
    api_app_id: z.string().optional(),
    trigger_id: z.string().optional(),
    response_url: z.string().optional(),
    container: z
      .object({ type: z.string(), message_ts: z.string().optional(), channel_id: z.string().optional(), is_ephemeral: z.boolean().optional() })
      .passthrough()
      .optional(),
    channel: z.object({ id: z.string(), name: z.string().optional() }).passthrough().nullish(),
    message: z.object({ ts: z.string() }).passthrough().nullish(),
    actions: z.array(actionSchema).min(1),
  })
  .passthrough();

export type BlockActionsPayload = z.infer<typeof blockActionsSchema>;
export type BlockAction = z.infer<typeof actionSchema>;

/** The outer shape every interaction payload shares; the type decides how the rest is read. */
export const interactionEnvelopeSchema = z
  .object({
    type: z.string().min(1),
    team: z.object({ id: z.string() }).passthrough().nullish(),
    user: z.object({ id: z.string() }).passthrough().nullish(),
    trigger_id: z.string().optional(),
  })
  .passthrough();
