-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "WorkspaceStatus" AS ENUM ('active', 'inactive');

-- CreateEnum
CREATE TYPE "ExtensionStatus" AS ENUM ('working', 'needs_attention', 'disabled');

-- CreateEnum
CREATE TYPE "InboundSource" AS ENUM ('pagerduty_webhook', 'slack_interaction', 'slack_event', 'slack_command');

-- CreateEnum
CREATE TYPE "InboundStatus" AS ENUM ('pending', 'processed', 'ignored', 'failed');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'sent', 'failed');

-- CreateTable
CREATE TABLE "slack_workspace" (
    "id" UUID NOT NULL,
    "slack_team_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "slack_bot_user_id" TEXT NOT NULL,
    "bot_token_encrypted" TEXT NOT NULL,
    "scopes" TEXT[],
    "status" "WorkspaceStatus" NOT NULL DEFAULT 'active',
    "status_reason" TEXT,
    "installed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "installed_by" TEXT,
    "managed_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slack_workspace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "slack_extension" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "pagerduty_service_id" TEXT NOT NULL,
    "workspace_id" UUID NOT NULL,
    "slack_channel_id" TEXT NOT NULL,
    "slack_channel_name" TEXT NOT NULL,
    "notify_escalate" BOOLEAN NOT NULL DEFAULT true,
    "notify_resolve" BOOLEAN NOT NULL DEFAULT true,
    "notify_acknowledge" BOOLEAN NOT NULL DEFAULT true,
    "notify_reassign" BOOLEAN NOT NULL DEFAULT true,
    "notify_notes" BOOLEAN NOT NULL DEFAULT true,
    "status" "ExtensionStatus" NOT NULL DEFAULT 'working',
    "status_reason" TEXT,
    "managed_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slack_extension_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incident" (
    "id" UUID NOT NULL,
    "pagerduty_incident_id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "urgency" TEXT NOT NULL,
    "priority" TEXT,
    "pagerduty_service_id" TEXT NOT NULL,
    "service_name" TEXT NOT NULL,
    "assignees" JSONB NOT NULL DEFAULT '[]',
    "escalation_policy_id" TEXT,
    "escalation_policy_name" TEXT,
    "html_url" TEXT NOT NULL,
    "last_change_at" TIMESTAMPTZ(3) NOT NULL,
    "last_action" TEXT,
    "last_action_by_name" TEXT,
    "last_action_by_pagerduty_user_id" TEXT,
    "last_action_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incident_message" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "extension_id" UUID,
    "slack_channel_id" TEXT NOT NULL,
    "slack_message_ts" TEXT,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "rendered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "incident_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "thread_reply" (
    "id" UUID NOT NULL,
    "incident_message_id" UUID NOT NULL,
    "source_event_id" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "slack_message_ts" TEXT,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "thread_reply_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "linked_user" (
    "id" UUID NOT NULL,
    "slack_team_id" TEXT NOT NULL,
    "slack_user_id" TEXT NOT NULL,
    "pagerduty_user_id" TEXT NOT NULL,
    "pagerduty_email" TEXT NOT NULL,
    "managed_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "linked_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inbound_event" (
    "id" BIGSERIAL NOT NULL,
    "source" "InboundSource" NOT NULL,
    "external_id" TEXT NOT NULL,
    "delivery_id" TEXT,
    "event_type" TEXT NOT NULL,
    "raw_body" TEXT NOT NULL,
    "status" "InboundStatus" NOT NULL DEFAULT 'pending',
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,

    CONSTRAINT "inbound_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pagerduty_user_cache" (
    "pagerduty_user_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "team_ids" TEXT[],
    "fetched_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "pagerduty_user_cache_pkey" PRIMARY KEY ("pagerduty_user_id")
);

-- CreateTable
CREATE TABLE "app_setting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "app_setting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "worker_heartbeat" (
    "worker_id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "worker_heartbeat_pkey" PRIMARY KEY ("worker_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "slack_workspace_slack_team_id_key" ON "slack_workspace"("slack_team_id");

-- CreateIndex
CREATE INDEX "slack_extension_pagerduty_service_id_idx" ON "slack_extension"("pagerduty_service_id");

-- CreateIndex
CREATE UNIQUE INDEX "slack_extension_workspace_id_name_key" ON "slack_extension"("workspace_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "incident_pagerduty_incident_id_key" ON "incident"("pagerduty_incident_id");

-- CreateIndex
CREATE INDEX "incident_pagerduty_service_id_idx" ON "incident"("pagerduty_service_id");

-- CreateIndex
CREATE INDEX "incident_status_idx" ON "incident"("status");

-- CreateIndex
CREATE INDEX "incident_message_workspace_id_idx" ON "incident_message"("workspace_id");

-- CreateIndex
CREATE INDEX "incident_message_extension_id_idx" ON "incident_message"("extension_id");

-- CreateIndex
CREATE UNIQUE INDEX "incident_message_incident_id_slack_channel_id_key" ON "incident_message"("incident_id", "slack_channel_id");

-- CreateIndex
CREATE UNIQUE INDEX "thread_reply_incident_message_id_source_event_id_key" ON "thread_reply"("incident_message_id", "source_event_id");

-- CreateIndex
CREATE INDEX "linked_user_pagerduty_user_id_idx" ON "linked_user"("pagerduty_user_id");

-- CreateIndex
CREATE UNIQUE INDEX "linked_user_slack_team_id_slack_user_id_key" ON "linked_user"("slack_team_id", "slack_user_id");

-- CreateIndex
CREATE INDEX "inbound_event_status_received_at_idx" ON "inbound_event"("status", "received_at");

-- CreateIndex
CREATE UNIQUE INDEX "inbound_event_source_external_id_key" ON "inbound_event"("source", "external_id");

-- CreateIndex
CREATE INDEX "worker_heartbeat_last_seen_at_idx" ON "worker_heartbeat"("last_seen_at");

-- AddForeignKey
ALTER TABLE "slack_extension" ADD CONSTRAINT "slack_extension_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "slack_workspace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_message" ADD CONSTRAINT "incident_message_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_message" ADD CONSTRAINT "incident_message_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "slack_workspace"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_message" ADD CONSTRAINT "incident_message_extension_id_fkey" FOREIGN KEY ("extension_id") REFERENCES "slack_extension"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "thread_reply" ADD CONSTRAINT "thread_reply_incident_message_id_fkey" FOREIGN KEY ("incident_message_id") REFERENCES "incident_message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

