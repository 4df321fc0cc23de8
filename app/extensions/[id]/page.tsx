import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DeleteExtensionButton } from "@/components/extensions/delete-extension-button";
import { ExtensionForm } from "@/components/extensions/extension-form";
import { ExtensionStatus } from "@/components/extensions/status";
import { ExtensionChannelRules } from "@/components/incidents/extension-channel-rules";
import { buttonClasses, Card, PageHeader, ReadOnlyNotice } from "@/components/extensions/ui";
import { requirePageUser } from "@/lib/auth/page-guard";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { EXTENSION_TYPE_LABELS, UPDATE_LABELS } from "@/lib/extensions/labels";
import { getExtension } from "@/lib/extensions/list-extensions";
import { getChannelRules } from "@/lib/incident-channels/manage-rules";
import { fillServiceNames } from "@/lib/extensions/pagerduty-services";
import type { ExtensionView } from "@/lib/extensions/view";
import { listWorkspaces } from "@/lib/extensions/workspaces";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Extension" };

interface PageProps {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function ExtensionPage({ params, searchParams }: PageProps) {
  const { id } = await params;
  const user = await requirePageUser(`/extensions/${id}`);
  let extension: ExtensionView;
  try {
    [extension] = await fillServiceNames(getPrisma(), [await getExtension({ prisma: getPrisma(), id })]) as [ExtensionView];
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
  const { saved, notice } = await searchParams;
  const channelRules = await getChannelRules(getPrisma(), extension.id);
  const channelLabel = `${extension.channel.isPrivate ? "the private channel " : ""}#${extension.channel.name}`;
  const editable = user.isAdmin && !extension.managedByConfig;

  return (
    <div>
      <PageHeader
        section="Configuration → Extensions"
        title={extension.name}
        description={`${EXTENSION_TYPE_LABELS[extension.type]} extension of ${extension.service.name ?? extension.service.id}, posting in ${channelLabel} (${extension.workspace.name}).`}
        action={editable ? <DeleteExtensionButton id={extension.id} name={extension.name} channelLabel={channelLabel} /> : undefined}
      />
      {typeof saved === "string" && (
        <div role="status" className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-950">
          <p className="font-semibold">{saved === "created" ? "Extension created." : "Changes saved."}</p>
          {typeof notice === "string" && <p className="mt-1">{notice}</p>}
        </div>
      )}
      {user.readOnlyReason && <ReadOnlyNotice reason={user.readOnlyReason} />}
      {extension.managedByConfig && <ReadOnlyNotice reason="Managed by the configuration file (SWITCHBOARD_CONFIG): change the file to change this extension." />}

      <Card className="mb-6">
        <h2 className="sr-only">Status</h2>
        <dl className="grid gap-4 text-sm sm:grid-cols-2 lg:grid-cols-4">
          <div>
            <dt className="font-semibold text-slate-700">Status</dt>
            <dd className="mt-1">
              <ExtensionStatus status={extension.status} reason={extension.statusReason} />
            </dd>
          </div>
          <div>
            <dt className="font-semibold text-slate-700">Service</dt>
            <dd className="mt-1">
              {extension.service.name ?? "Unknown"} <span className="font-mono text-xs text-slate-600">{extension.service.id}</span>
            </dd>
          </div>
          <div>
            <dt className="font-semibold text-slate-700">Workspace and channel</dt>
            <dd className="mt-1">
              {channelLabel} <span className="font-mono text-xs text-slate-600">{extension.channel.id}</span>
              <span className="block text-slate-700">{extension.workspace.name}</span>
            </dd>
          </div>
          <div>
            <dt className="font-semibold text-slate-700">Updates sent</dt>
            <dd className="mt-1">{extension.updates.length > 0 ? extension.updates.map((kind) => UPDATE_LABELS[kind]).join(", ") : "None"}</dd>
          </div>
        </dl>
      </Card>

      {editable ? (
        <>
          <h2 className="mb-3 text-xl font-semibold text-slate-900">Edit extension</h2>
          <ExtensionForm mode="edit" extension={extension} workspaces={await listWorkspaces({ prisma: getPrisma(), activeOnly: true })} />
        </>
      ) : (
        <Link href="/extensions" className={buttonClasses.secondary}>
          Back to Extensions
        </Link>
      )}

      <section aria-labelledby="channel-rules-heading" className="mt-8">
        <ExtensionChannelRules
          view={channelRules}
          canEdit={editable}
          readOnlyReason={extension.managedByConfig ? "Managed by the configuration file, which has no channel rules." : user.readOnlyReason}
        />
      </section>
    </div>
  );
}
