import type { Logger } from "pino";
import type { Prisma, SlackWorkspace } from "../../db/generated/client";
import type { EventCallback } from "./envelope";

/** Input of an event handler: the open transaction, the event and the workspace it came from. */
export interface SlackEventContext {
  tx: Prisma.TransactionClient;
  envelope: EventCallback;
  workspace: SlackWorkspace;
  /** When the event happened in Slack. */
  occurredAt: Date;
  log: Logger;
}

/** Outcome of a handled event. `note` explains why nothing was done and is stored on the inbox row. */
export type SlackEventResult = { status: "processed" | "ignored"; note: string | null };

export type SlackEventHandler = (context: SlackEventContext) => Promise<SlackEventResult>;

/** The actor of audit entries that Slack's events cause. */
export const SLACK_EVENT_ACTOR = { userId: null, label: "Slack" } as const;
