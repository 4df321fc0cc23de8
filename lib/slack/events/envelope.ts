import { z } from "zod";

/** Slack's handshake when an Events request URL is saved: the response must contain the challenge. */
export const urlVerificationSchema = z.object({
  type: z.literal("url_verification"),
  challenge: z.string().min(1).max(1000),
});

/** The `event_callback` envelope around every event; event_id is the deduplication key. */
export const eventCallbackSchema = z
  .object({
    type: z.literal("event_callback"),
    team_id: z.string().min(1),
    api_app_id: z.string().optional(),
    event_id: z.string().min(1).max(255),
    /** Seconds since the epoch. */
    event_time: z.number().int().nonnegative(),
    event: z.object({ type: z.string().min(1).max(255), event_ts: z.string().optional() }).passthrough(),
  })
  .passthrough();

export type EventCallback = z.infer<typeof eventCallbackSchema>;

/** Any body Slack posts to the events URL has a top-level `type`. */
export const anyEventBodySchema = z.object({ type: z.string().min(1) }).passthrough();

export const tokensRevokedEventSchema = z.object({
  type: z.literal("tokens_revoked"),
  tokens: z.object({ oauth: z.array(z.string()).optional(), bot: z.array(z.string()).optional() }),
});

export const memberJoinedChannelEventSchema = z.object({
  type: z.literal("member_joined_channel"),
  user: z.string().min(1),
  channel: z.string().min(1),
  channel_type: z.string().optional(),
  inviter: z.string().optional(),
});

/**
 * When the event happened. `event.event_ts` ("1712345678.000100") is finer than the envelope's
 * whole-second `event_time`, which matters when an uninstall and a reinstall fall in one second.
 */
export function eventOccurredAt(envelope: EventCallback): Date {
  const eventTs = envelope.event.event_ts;
  if (eventTs && /^\d{1,12}(\.\d{1,6})?$/.test(eventTs)) return new Date(Math.floor(Number(eventTs) * 1000));
  return new Date(envelope.event_time * 1000);
}
