import { z } from "zod";

/** A PagerDuty reference object ({id, type, summary, self, html_url}); only id is always present. */
export const referenceSchema = z
  .object({
    id: z.string().min(1),
    type: z.string().optional(),
    summary: z.string().nullish(),
    html_url: z.string().nullish(),
    self: z.string().nullish(),
  })
  .passthrough();

export type PagerDutyReferenceObject = z.infer<typeof referenceSchema>;

/** The V3 webhook envelope: one event per POST. Only what every event carries is required here. */
export const webhookEnvelopeSchema = z.object({
  event: z
    .object({
      id: z.string().min(1, "event.id must be a non-empty string"),
      event_type: z.string().min(1, "event.event_type must be a non-empty string"),
      resource_type: z.string().optional(),
      occurred_at: z.string().optional(),
      agent: referenceSchema.nullish(),
      client: z.unknown().optional(),
      data: z.record(z.string(), z.unknown()).nullish(),
    })
    .passthrough(),
});

export type WebhookEnvelope = z.infer<typeof webhookEnvelopeSchema>;

/** event.data when data.type is "incident". */
export const incidentDataSchema = z
  .object({
    id: z.string().min(1),
    type: z.literal("incident"),
    html_url: z.string(),
    number: z.number().int(),
    status: z.enum(["triggered", "acknowledged", "resolved"]),
    title: z.string(),
    service: referenceSchema,
    assignees: z.array(referenceSchema).nullish(),
    escalation_policy: referenceSchema.nullish(),
    teams: z.array(referenceSchema).nullish(),
    priority: referenceSchema.nullish(),
    urgency: z.string(),
    created_at: z.string().optional(),
  })
  .passthrough();

export type IncidentData = z.infer<typeof incidentDataSchema>;

/** event.data of incident.annotated: a note with a reference to its incident. */
export const incidentNoteDataSchema = z
  .object({
    id: z.string().min(1),
    type: z.literal("incident_note"),
    content: z.string(),
    incident: referenceSchema,
  })
  .passthrough();

export type IncidentNoteData = z.infer<typeof incidentNoteDataSchema>;

/** The incident event types Switchboard acts on. Everything else is acknowledged and ignored. */
export const HANDLED_EVENT_TYPES = [
  "incident.triggered",
  "incident.acknowledged",
  "incident.unacknowledged",
  "incident.resolved",
  "incident.reopened",
  "incident.escalated",
  "incident.reassigned",
  "incident.delegated",
  "incident.annotated",
  "incident.priority_updated",
] as const;

export type HandledEventType = (typeof HANDLED_EVENT_TYPES)[number];

export function isHandledEventType(eventType: string): eventType is HandledEventType {
  return (HANDLED_EVENT_TYPES as readonly string[]).includes(eventType);
}

