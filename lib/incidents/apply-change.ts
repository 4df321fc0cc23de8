import type { SqlRunner } from "../queue/jobs";
import type { IncidentSnapshot, PagerDutyReference } from "./types";

/** A Prisma transaction or the worker's own (withTransaction): both run these raw statements. */
type Tx = SqlRunner;

/** The incident fields carried by a webhook's incident data or a REST incident. */
export interface IncidentState {
  pagerdutyIncidentId: string;
  number: number;
  title: string;
  status: string;
  urgency: string;
  priority: string | null;
  pagerdutyServiceId: string;
  serviceName: string;
  assignees: PagerDutyReference[];
  escalationPolicyId: string | null;
  escalationPolicyName: string | null;
  htmlUrl: string;
}

export interface IncidentAction {
  action: string;
  byName: string | null;
  byPagerdutyUserId: string | null;
}

/** The incident columns that a snapshot is made of, as SQL returns them. */
export interface IncidentSnapshotRow {
  pagerduty_incident_id: string;
  number: number;
  title: string;
  status: string;
  urgency: string;
  priority: string | null;
  pagerduty_service_id: string;
  service_name: string;
  assignees: PagerDutyReference[];
  escalation_policy_id: string | null;
  escalation_policy_name: string | null;
  html_url: string;
  last_action: string | null;
  last_action_by_name: string | null;
  last_action_at: Date | null;
}

interface IncidentRow extends IncidentSnapshotRow {
  id: string;
  state_applied: boolean;
  action_applied: boolean;
}

export interface AppliedChange {
  incidentId: string;
  snapshot: IncidentSnapshot;
  /** False when the change is older than the state already stored, which then stays as it was. */
  stateApplied: boolean;
  actionApplied: boolean;
}

/**
 * Upserts an incident from a snapshot of its state at `occurredAt`. The state moves only forward:
 * a snapshot older than the last one applied changes nothing, so a late "acknowledged" never undoes
 * a "resolved", while a newer "reopened" does. The shown last action follows the same rule on its
 * own clock, so a note (which carries no state) never blocks an older state change.
 */
export async function applyIncidentState(
  tx: Tx,
  input: { state: IncidentState; occurredAt: Date; action: IncidentAction | null },
): Promise<AppliedChange> {
  const { state, occurredAt, action } = input;
  const rows = await tx.$queryRawUnsafe<IncidentRow[]>(
    `INSERT INTO incident AS i (
       id, pagerduty_incident_id, number, title, status, urgency, priority, pagerduty_service_id,
       service_name, assignees, escalation_policy_id, escalation_policy_name, html_url, last_change_at,
       last_action, last_action_by_name, last_action_by_pagerduty_user_id, last_action_at, updated_at)
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13::timestamptz,
       $14, $15, $16, CASE WHEN $14::text IS NULL THEN NULL ELSE $13::timestamptz END, now())
     ON CONFLICT (pagerduty_incident_id) DO UPDATE SET
       number = CASE WHEN i.last_change_at <= EXCLUDED.last_change_at THEN EXCLUDED.number ELSE i.number END,
       title = CASE WHEN i.last_change_at <= EXCLUDED.last_change_at THEN EXCLUDED.title ELSE i.title END,
       status = CASE WHEN i.last_change_at <= EXCLUDED.last_change_at THEN EXCLUDED.status ELSE i.status END,
       urgency = CASE WHEN i.last_change_at <= EXCLUDED.last_change_at THEN EXCLUDED.urgency ELSE i.urgency END,
       priority = CASE WHEN i.last_change_at <= EXCLUDED.last_change_at THEN EXCLUDED.priority ELSE i.priority END,
       pagerduty_service_id = CASE WHEN i.last_change_at <= EXCLUDED.last_change_at THEN EXCLUDED.pagerduty_service_id ELSE i.pagerduty_service_id END,
       service_name = CASE WHEN i.last_change_at <= EXCLUDED.last_change_at THEN EXCLUDED.service_name ELSE i.service_name END,
       assignees = CASE WHEN i.last_change_at <= EXCLUDED.last_change_at THEN EXCLUDED.assignees ELSE i.assignees END,
       escalation_policy_id = CASE WHEN i.last_change_at <= EXCLUDED.last_change_at THEN EXCLUDED.escalation_policy_id ELSE i.escalation_policy_id END,
       escalation_policy_name = CASE WHEN i.last_change_at <= EXCLUDED.last_change_at THEN EXCLUDED.escalation_policy_name ELSE i.escalation_policy_name END,
       html_url = CASE WHEN i.last_change_at <= EXCLUDED.last_change_at THEN EXCLUDED.html_url ELSE i.html_url END,
       last_change_at = GREATEST(i.last_change_at, EXCLUDED.last_change_at),
       last_action = CASE WHEN $14::text IS NOT NULL AND (i.last_action_at IS NULL OR i.last_action_at <= $13::timestamptz) THEN $14 ELSE i.last_action END,
       last_action_by_name = CASE WHEN $14::text IS NOT NULL AND (i.last_action_at IS NULL OR i.last_action_at <= $13::timestamptz) THEN $15 ELSE i.last_action_by_name END,
       last_action_by_pagerduty_user_id = CASE WHEN $14::text IS NOT NULL AND (i.last_action_at IS NULL OR i.last_action_at <= $13::timestamptz) THEN $16 ELSE i.last_action_by_pagerduty_user_id END,
       last_action_at = CASE WHEN $14::text IS NOT NULL AND (i.last_action_at IS NULL OR i.last_action_at <= $13::timestamptz) THEN $13::timestamptz ELSE i.last_action_at END,
       updated_at = now()
     RETURNING i.id, i.pagerduty_incident_id, i.number, i.title, i.status, i.urgency, i.priority,
       i.pagerduty_service_id, i.service_name, i.assignees, i.escalation_policy_id, i.escalation_policy_name,
       i.html_url, i.last_action, i.last_action_by_name, i.last_action_at,
       (i.last_change_at = $13::timestamptz) AS state_applied,
       ($14::text IS NOT NULL AND i.last_action_at = $13::timestamptz AND i.last_action = $14) AS action_applied`,
    state.pagerdutyIncidentId,
    state.number,
    state.title,
    state.status,
    state.urgency,
    state.priority,
    state.pagerdutyServiceId,
    state.serviceName,
    JSON.stringify(state.assignees),
    state.escalationPolicyId,
    state.escalationPolicyName,
    state.htmlUrl,
    occurredAt,
    action?.action ?? null,
    action?.byName ?? null,
    action?.byPagerdutyUserId ?? null,
  );
  const row = rows[0];
  if (!row) throw new Error(`Upsert of incident ${state.pagerdutyIncidentId} returned no row`);
  return { incidentId: row.id, snapshot: toSnapshot(row), stateApplied: row.state_applied, actionApplied: row.action_applied };
}

/**
 * Records an action that carries no incident state (a note), under the same last-action rule.
 * Returns null when Switchboard has never seen the incident.
 */
export async function applyIncidentAction(
  tx: Tx,
  input: { pagerdutyIncidentId: string; occurredAt: Date; action: IncidentAction },
): Promise<AppliedChange | null> {
  const { action, occurredAt } = input;
  const rows = await tx.$queryRawUnsafe<IncidentRow[]>(
    `UPDATE incident AS i SET
       last_action = CASE WHEN i.last_action_at IS NULL OR i.last_action_at <= $2::timestamptz THEN $3 ELSE i.last_action END,
       last_action_by_name = CASE WHEN i.last_action_at IS NULL OR i.last_action_at <= $2::timestamptz THEN $4 ELSE i.last_action_by_name END,
       last_action_by_pagerduty_user_id = CASE WHEN i.last_action_at IS NULL OR i.last_action_at <= $2::timestamptz THEN $5 ELSE i.last_action_by_pagerduty_user_id END,
       last_action_at = CASE WHEN i.last_action_at IS NULL OR i.last_action_at <= $2::timestamptz THEN $2::timestamptz ELSE i.last_action_at END,
       updated_at = now()
     WHERE i.pagerduty_incident_id = $1
     RETURNING i.id, i.pagerduty_incident_id, i.number, i.title, i.status, i.urgency, i.priority,
       i.pagerduty_service_id, i.service_name, i.assignees, i.escalation_policy_id, i.escalation_policy_name,
       i.html_url, i.last_action, i.last_action_by_name, i.last_action_at,
       TRUE AS state_applied, (i.last_action_at = $2::timestamptz AND i.last_action = $3) AS action_applied`,
    input.pagerdutyIncidentId,
    occurredAt,
    action.action,
    action.byName,
    action.byPagerdutyUserId,
  );
  const row = rows[0];
  if (!row) return null;
  return { incidentId: row.id, snapshot: toSnapshot(row), stateApplied: false, actionApplied: row.action_applied };
}

export function toSnapshot(row: IncidentSnapshotRow): IncidentSnapshot {
  return {
    pagerdutyIncidentId: row.pagerduty_incident_id,
    number: row.number,
    title: row.title,
    status: row.status,
    urgency: row.urgency,
    priority: row.priority,
    pagerdutyServiceId: row.pagerduty_service_id,
    serviceName: row.service_name,
    assignees: Array.isArray(row.assignees) ? row.assignees : [],
    escalationPolicyId: row.escalation_policy_id,
    escalationPolicyName: row.escalation_policy_name,
    htmlUrl: row.html_url,
    lastAction: row.last_action,
    lastActionByName: row.last_action_by_name,
    lastActionAt: row.last_action_at,
  };
}
