import { z } from "zod";

const incidentId = z.string().regex(/^[A-Z0-9]{1,32}$/i);

/** The incident actions of More actions… that open a modal. */
export const MODAL_ACTIONS = ["add_note", "escalate", "run_play"] as const;
export type ModalAction = (typeof MODAL_ACTIONS)[number];

/**
 * What a Slack user tried before their account was linked, carried out once they link: a status
 * change runs at once; an action that needs a modal gets a "Continue" button, because the trigger_id
 * of the first try has expired by then.
 */
export const pendingActionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("incident_status"), incidentId, status: z.enum(["acknowledged", "resolved"]) }),
  z.object({ kind: z.literal("incident_modal"), incidentId, modal: z.enum(MODAL_ACTIONS) }),
  z.object({ kind: z.literal("trigger") }),
]);

export type PendingAction = z.infer<typeof pendingActionSchema>;

/** A short description of the action, to finish "…to <description>". */
export function describePendingAction(action: PendingAction): string {
  switch (action.kind) {
    case "incident_status":
      return action.status === "acknowledged" ? "acknowledge the incident" : "resolve the incident";
    case "incident_modal":
      return { add_note: "add a note to the incident", escalate: "escalate the incident", run_play: "run a play on the incident" }[action.modal];
    case "trigger":
      return "trigger an incident";
  }
}

/** Reads a stored pending action; anything malformed counts as none. */
export function parsePendingAction(value: unknown): PendingAction | null {
  const parsed = pendingActionSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
