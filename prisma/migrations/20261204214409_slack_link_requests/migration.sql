-- AlterTable
ALTER TABLE "linked_user" ADD COLUMN     "link_method" TEXT;

-- CreateTable
CREATE TABLE "slack_link_request" (
    "id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "slack_team_id" TEXT NOT NULL,
    "slack_user_id" TEXT NOT NULL,
    "pending_action" JSONB,
    "slack_channel_id" TEXT,
    "response_url" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "slack_link_request_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "slack_link_request_token_hash_key" ON "slack_link_request"("token_hash");

-- CreateIndex
CREATE INDEX "slack_link_request_slack_team_id_slack_user_id_idx" ON "slack_link_request"("slack_team_id", "slack_user_id");

-- CreateIndex
CREATE INDEX "slack_link_request_expires_at_idx" ON "slack_link_request"("expires_at");

