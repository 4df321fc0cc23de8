import type { Prisma, PrismaClient } from "../db/generated/client";
import { AppError } from "../errors";
import type { ListExtensionsQuery } from "./schema";
import { toExtensionView, WORKSPACE_SELECT, type ExtensionView } from "./view";

export interface ExtensionPage {
  items: ExtensionView[];
  total: number;
  page: number;
  pageSize: number;
}

function orderBy(query: ListExtensionsQuery): Prisma.SlackExtensionOrderByWithRelationInput[] {
  const direction = query.direction;
  const primary: Record<ListExtensionsQuery["sort"], Prisma.SlackExtensionOrderByWithRelationInput[]> = {
    name: [{ name: direction }],
    service: [{ pagerdutyServiceName: { sort: direction, nulls: "last" } }, { pagerdutyServiceId: direction }],
    // The enum's order: working, needs_attention, disabled.
    status: [{ status: direction }],
    workspace: [{ workspace: { name: direction } }],
    channel: [{ slackChannelName: direction }],
    created: [{ createdAt: direction }],
  };
  // The id makes the order total, so that paging never shows a row twice or skips one.
  return [...primary[query.sort], { name: "asc" }, { id: "asc" }];
}

function whereFor(query: ListExtensionsQuery): Prisma.SlackExtensionWhereInput {
  const where: Prisma.SlackExtensionWhereInput = {};
  if (query.status) where.status = query.status;
  const text = query.query;
  if (text) {
    const contains = { contains: text, mode: "insensitive" as const };
    where.OR = [
      { name: contains },
      { pagerdutyServiceName: contains },
      { pagerdutyServiceId: contains },
      { slackChannelName: contains },
      { slackChannelId: contains },
      { workspace: { name: contains } },
    ];
  }
  return where;
}

/**
 * Lists extensions matching a search, sorted and paged in the database (LIMIT/OFFSET), so a page
 * costs the same with a thousand extensions as with ten.
 */
export async function listExtensions(input: { prisma: PrismaClient; query: ListExtensionsQuery }): Promise<ExtensionPage> {
  const { prisma, query } = input;
  const where = whereFor(query);
  const [rows, total] = await prisma.$transaction([
    prisma.slackExtension.findMany({
      where,
      orderBy: orderBy(query),
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      include: { workspace: WORKSPACE_SELECT },
    }),
    prisma.slackExtension.count({ where }),
  ]);
  return { items: rows.map(toExtensionView), total, page: query.page, pageSize: query.pageSize };
}

/** Reads one extension by id, or throws AppError("not_found") when there is none. */
export async function getExtension(input: { prisma: PrismaClient; id: string }): Promise<ExtensionView> {
  const row = await findExtensionRow(input.prisma, input.id);
  return toExtensionView(row);
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findExtensionRow(prisma: Prisma.TransactionClient | PrismaClient, id: string) {
  const row = UUID_PATTERN.test(id) ? await prisma.slackExtension.findUnique({ where: { id }, include: { workspace: WORKSPACE_SELECT } }) : null;
  if (!row) throw new AppError("not_found", `No extension has the ID "${id}". It may have been deleted.`);
  return row;
}

export { UUID_PATTERN };
