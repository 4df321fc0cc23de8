import type { Logger } from "pino";
import type { Prisma, SlackWorkspace } from "../../db/generated/client";
import type { EventCallback } from "./envelope";

/** What an event handler gets: the open transaction, the event and the workspace it came from. */
export interface SlackEventContext {
  tx: Prisma.TransactionClient;
  envelope: EventCallback;
  workspace: SlackWorkspace;
  /** When the event happened in Slack. */
  occurredAt: Date;
  log: Logger;
}

/** How a handled event ended; `note` says why nothing was done and is stored on the inbox row. */
export type SlackEventResult = { status: "processed" | "ignored"; note: string | null };

export type SlackEventHandler = (context: SlackEventContext) => Promise<SlackEventResult>;

/** The actor of audit entries that Slack's events cause. */
export const SLACK_EVENT_ACTOR = { userId: null, label: "Slack" } as const;
