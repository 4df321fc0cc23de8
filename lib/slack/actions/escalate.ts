import { PagerDutyApiError } from "../../pagerduty/client";
import { escalateModal, type EscalationLevel } from "../views/modals";
import type { EscalateChoice } from "../views/submission";
import { findActor, findLinkedUser, loadActor, refusalForService, type Actor } from "./actor";
import { applyIncidentFromRest } from "./apply-update";
import { afterWrite, replyToUser, type SlackUserContext } from "./context";
import { loadIncidentFacts, type IncidentFacts } from "./incident-facts";
import { refusalText } from "./incident-status";
import { modalMetadataFor, openModalWithLoading, refusalModal } from "./open-modal";
import { getEscalationPolicy, listEscalationPolicies, listOncalls, listUsers } from "./pagerduty-requests";

const TITLE = "Escalate";
const REFUSAL_PREFIX = "You can't escalate this incident.";

/**
 * More actions… → Escalate: a modal listing the levels of the incident's escalation policy with who
 * is on call at each, people to reassign to, and other escalation policies.
 */
export async function openEscalateModal(context: SlackUserContext, input: { incidentId: string }): Promise<void> {
  // Only the database is read before the modal opens, so it opens well within the trigger_id's 3 seconds.
  const linked = await findLinkedUser(context, { pendingAction: { kind: "incident_modal", modal: "escalate", incidentId: input.incidentId }, purpose: "escalate incidents" });
  if (!linked) return;
  await openModalWithLoading(context, {
    title: TITLE,
    fill: async () => {
      const actor = await loadActor(context, linked);
      const facts = await loadIncidentFacts(context.prisma, actor.client, input.incidentId);
      const refusal = await refusalForService(context, actor, { serviceId: facts.serviceId, refusalPrefix: REFUSAL_PREFIX });
      if (refusal) return refusalModal(context, TITLE, refusal);
      const [levels, users, policies] = await Promise.all([escalationLevels(actor, facts), listUsers(actor.client), listEscalationPolicies(actor.client)]);
      return escalateModal({
        incident: facts,
        policyName: facts.escalationPolicyName,
        levels,
        // NOTE: a select lists at most 100 options, so accounts with more users or policies see the first 100 by name.
        users: users.map((user) => ({ id: user.id, name: user.name })),
        policies: policies.filter((policy) => policy.id !== facts.escalationPolicyId).map((policy) => ({ id: policy.id, name: policy.name })),
        metadata: modalMetadataFor(context, facts.pagerdutyIncidentId),
      });
    },
  });
}

/** Lists each level of the incident's escalation policy with the people on call there now. */
async function escalationLevels(actor: Actor, facts: IncidentFacts): Promise<EscalationLevel[]> {
  if (!facts.escalationPolicyId) return [];
  const [{ escalation_policy: policy }, oncalls] = await Promise.all([
    getEscalationPolicy(actor.client, facts.escalationPolicyId),
    listOncalls(actor.client, { escalationPolicyIds: [facts.escalationPolicyId] }),
  ]);
  return policy.escalation_rules.map((rule, index) => {
    const level = index + 1;
    const onCall = oncalls.filter((entry) => entry.escalation_level === level).map((entry) => entry.user.name ?? entry.user.summary ?? entry.user.id);
    const targets = rule.targets.map((target) => target.summary ?? target.id);
    return { level, onCall: [...new Set(onCall.length > 0 ? onCall : targets)] };
  });
}

/** Escalates to a level, reassigns to people, or delegates to another policy, as the linked user. */
export async function submitEscalation(context: SlackUserContext, input: { incidentId: string; choice: EscalateChoice }): Promise<void> {
  const actor = await findActor(context, { pendingAction: null, purpose: "escalate incidents" });
  if (!actor) return;
  const facts = await loadIncidentFacts(context.prisma, actor.client, input.incidentId);
  const refusal = await refusalForService(context, actor, { serviceId: facts.serviceId, refusalPrefix: REFUSAL_PREFIX });
  if (refusal) {
    await replyToUser(context, refusal);
    return;
  }

  const { choice } = input;
  const change =
    choice.kind === "level"
      ? { fields: { escalation_level: choice.level }, action: "escalated", done: `escalated to level ${choice.level}` }
      : choice.kind === "users"
        ? { fields: { assignments: choice.userIds.map((id) => ({ assignee: { id, type: "user_reference" } })) }, action: "reassigned", done: "reassigned" }
        : { fields: { escalation_policy: { id: choice.policyId, type: "escalation_policy_reference" } }, action: "delegated", done: "reassigned to another escalation policy" };

  let updated;
  try {
    updated = await actor.client.updateIncident(input.incidentId, change.fields, actor.link.pagerdutyEmail);
  } catch (error) {
    if (!(error instanceof PagerDutyApiError) || error.retryable) throw error;
    context.log.info({ incidentId: input.incidentId, status: error.status, code: error.code }, "PagerDuty rejected an escalation");
    await replyToUser(context, refusalText(error, "escalate"));
    return;
  }
  await afterWrite(context, "show the escalation", async () => {
    await applyIncidentFromRest(context.prisma, { incident: updated.incident, action: change.action, profile: actor.profile });
    await replyToUser(context, `Incident #${facts.number} was ${change.done}.`);
  });
}
