import type pg from "pg";
import type { SlackWorkspace } from "../db/generated/client";
import { prepared } from "../db/prepared";

/**
 * Finds the mapped workspace of a Slack team, with SQL on `pool` rather than Prisma: the worker
 * looks it up for every interaction it processes. The row has the shape of Prisma's model, which
 * by-team.test.ts checks field by field against prisma.slackWorkspace.findUnique.
 */
export async function findWorkspaceByTeamId(pool: pg.Pool, slackTeamId: string): Promise<SlackWorkspace | null> {
  const { rows } = await pool.query<SlackWorkspace>(
    prepared(
      `SELECT id, slack_team_id AS "slackTeamId", name, slack_bot_user_id AS "slackBotUserId",
            bot_token_encrypted AS "botTokenEncrypted", scopes, status::text AS status, status_reason AS "statusReason",
            installed_at AS "installedAt", installed_by AS "installedBy", managed_by AS "managedBy",
            created_at AS "createdAt", updated_at AS "updatedAt", deactivated_at AS "deactivatedAt",
            installed_by_user_id AS "installedByUserId", slack_app_id AS "slackAppId"
       FROM slack_workspace
      WHERE slack_team_id = $1`,
      [slackTeamId],
    ),
  );
  return rows[0] ?? null;
}
