import { z } from "zod";
import { recordAudit, type AuditActor } from "../audit/record-audit";
import type { PrismaClient } from "../db/generated/client";
import { AppError } from "../errors";
import { DEFAULT_NAME_TEMPLATE, nameTemplateProblem } from "./channel-name";

/** The maximum archive delay an extension may set, in days. */
export const MAX_ARCHIVE_DAYS = 365;

export const channelRulesSchema = z.object({
  nameTemplate: z
    .string()
    .trim()
    .superRefine((template, context) => {
      const problem = nameTemplateProblem(template);
      if (problem) context.addIssue({ code: "custom", message: problem });
    }),
  autoCreateHighUrgency: z.boolean(),
  autoCreatePriorities: z.array(z.string().trim().min(1).max(100)).max(50, "Choose at most 50 priorities."),
  autoCreatePrivate: z.boolean(),
  archiveAfterDays: z
    .number()
    .int("Enter a whole number of days.")
    .min(0, "Enter 0 or more days.")
    .max(MAX_ARCHIVE_DAYS, `Enter at most ${MAX_ARCHIVE_DAYS} days.`)
    .nullable(),
});

export type ChannelRules = z.infer<typeof channelRulesSchema>;

export const DEFAULT_CHANNEL_RULES: ChannelRules = {
  nameTemplate: DEFAULT_NAME_TEMPLATE,
  autoCreateHighUrgency: false,
  autoCreatePriorities: [],
  autoCreatePrivate: false,
  archiveAfterDays: null,
};

export interface ChannelRulesView {
  extension: { id: string; name: string; managedBy: string | null };
  rules: ChannelRules;
  /** False until the extension's rules were saved once; the defaults apply meanwhile. */
  saved: boolean;
}

/** Returns an extension's incident channel rules, or the defaults when none were saved. */
export async function getChannelRules(prisma: PrismaClient, extensionId: string): Promise<ChannelRulesView> {
  const extension = await prisma.slackExtension.findUnique({ where: { id: extensionId }, include: { channelRule: true } });
  if (!extension) throw new AppError("not_found", "That extension no longer exists. Reload the extension list.");
  const rule = extension.channelRule;
  return {
    extension: { id: extension.id, name: extension.name, managedBy: extension.managedBy },
    rules: rule
      ? {
          nameTemplate: rule.nameTemplate,
          autoCreateHighUrgency: rule.autoCreateHighUrgency,
          autoCreatePriorities: rule.autoCreatePriorities,
          autoCreatePrivate: rule.autoCreatePrivate,
          archiveAfterDays: rule.archiveAfterDays,
        }
      : DEFAULT_CHANNEL_RULES,
    saved: rule !== null,
  };
}

/**
 * Saves an extension's incident channel rules and records the change in the audit log. Rules of an
 * extension that the configuration file manages are read-only here, like the extension itself.
 * Callers check that the actor is an admin.
 */
export async function saveChannelRules(input: { prisma: PrismaClient; extensionId: string; rules: ChannelRules; actor: AuditActor }): Promise<ChannelRulesView> {
  const { prisma, rules } = input;
  await prisma.$transaction(async (tx) => {
    const extension = await tx.slackExtension.findUnique({ where: { id: input.extensionId }, include: { channelRule: true } });
    if (!extension) throw new AppError("not_found", "That extension no longer exists. Reload the extension list.");
    if (extension.managedBy === "config") {
      throw new AppError("managed_by_config", `The extension ${extension.name} is managed by the configuration file, so its channel rules cannot be changed here.`);
    }
    const data = { ...rules, autoCreatePriorities: [...new Set(rules.autoCreatePriorities)] };
    await tx.incidentChannelRule.upsert({ where: { extensionId: extension.id }, create: { extensionId: extension.id, ...data }, update: data });
    await recordAudit(tx, {
      actor: input.actor,
      action: "extension.channel_rules.update",
      targetType: "extension",
      targetId: extension.id,
      details: {
        name: extension.name,
        before: extension.channelRule
          ? {
              nameTemplate: extension.channelRule.nameTemplate,
              autoCreateHighUrgency: extension.channelRule.autoCreateHighUrgency,
              autoCreatePriorities: extension.channelRule.autoCreatePriorities,
              autoCreatePrivate: extension.channelRule.autoCreatePrivate,
              archiveAfterDays: extension.channelRule.archiveAfterDays,
            }
          : null,
        after: data,
      },
    });
  });
  return getChannelRules(prisma, input.extensionId);
}
