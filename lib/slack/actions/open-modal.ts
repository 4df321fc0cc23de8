import { PagerDutyApiError } from "../../pagerduty/client";
import { slackClientFor, slackErrorName } from "../client";
import { escapeAndTruncate } from "../mrkdwn";
import type { Block } from "../views/block-kit";
import type { ModalMetadata } from "../views/metadata";
import { loadingModal, messageModal } from "../views/modals";
import { replyToUser, type SlackUserContext } from "./context";

/** Slack's errors from views.open when the trigger_id can no longer open a modal. */
const TRIGGER_ERRORS = new Set(["expired_trigger_id", "exchanged_trigger_id", "invalid_trigger_id"]);

export type ModalOutcome = "opened" | "trigger_expired" | "closed_by_user";

/**
 * Opens a modal within Slack's 3-second trigger_id window: a loading view first, then the real one
 * through views.update once `fill` has fetched what it lists. A trigger_id that can no longer open
 * a modal gets an ephemeral "try again"; a failure inside `fill` is shown in the modal.
 */
export async function openModalWithLoading(context: SlackUserContext, input: { title: string; fill: () => Promise<Block> }): Promise<ModalOutcome> {
  const { log } = context;
  const client = slackClientFor(context.workspace);
  if (!context.triggerId) {
    await replyToUser(context, tryAgainText(input.title));
    return "trigger_expired";
  }

  let opened: { id: string; hash?: string };
  try {
    const result = await client.views.open({ trigger_id: context.triggerId, view: loadingModal(input.title) as never });
    opened = { id: result.view?.id ?? "", hash: result.view?.hash };
  } catch (error) {
    const name = slackErrorName(error);
    if (!name || !TRIGGER_ERRORS.has(name)) throw error;
    log.info({ error: name, title: input.title }, "The trigger_id could no longer open a modal");
    await replyToUser(context, tryAgainText(input.title));
    return "trigger_expired";
  }

  let view: Block;
  try {
    view = await input.fill();
  } catch (error) {
    // The trigger_id is used up, so a retry of the whole job could not open the modal again: the
    // failure is shown in the open modal instead.
    log.error({ err: error, title: input.title }, "Could not fill a modal");
    view = messageModal(input.title, loadFailureText(error));
  }

  try {
    await client.views.update({ view_id: opened.id, ...(opened.hash ? { hash: opened.hash } : {}), view: view as never });
  } catch (error) {
    const name = slackErrorName(error);
    // not_found: the user closed the loading modal; hash_conflict: it changed meanwhile.
    if (name === "not_found" || name === "hash_conflict") {
      log.info({ error: name, viewId: opened.id }, "The modal was closed or changed before it could be filled");
      return "closed_by_user";
    }
    throw error;
  }
  return "opened";
}

/** Sends a refusal as an ephemeral message and returns the modal that shows it in place of the form. */
export async function refusalModal(context: SlackUserContext, title: string, refusal: string): Promise<Block> {
  await replyToUser(context, refusal);
  return messageModal(title, escapeAndTruncate(refusal, 2900));
}

/** Returns the private_metadata of a modal opened by this request: where to reply to its submission. */
export function modalMetadataFor(context: SlackUserContext, incidentId?: string): ModalMetadata {
  return { ...(incidentId ? { incidentId } : {}), channelId: context.channelId, responseUrl: context.responseUrl };
}

export function tryAgainText(title: string): string {
  return `"${title}" could not open: Slack allows 3 seconds to open a form after a click, and that time ran out. Try again.`;
}

function loadFailureText(error: unknown): string {
  if (error instanceof PagerDutyApiError) {
    return `:warning: PagerDuty did not return what this form needs (${error.message}). Close this and try again in a minute.`;
  }
  return ":warning: Switchboard could not load this form. Close this and try again; the server log has the details.";
}
