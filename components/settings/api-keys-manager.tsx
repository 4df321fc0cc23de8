import { DateTime } from "@/components/auth/date-time";
import { StatusBadge } from "@/components/status-badge";
import type { ApiKeyView } from "@/lib/api-keys/api-keys";
import { CreateApiKeyCard, RevokeApiKeyButton } from "./api-key-actions";

/** Lists API keys; admins create them (the key is shown once) and revoke them after a confirmation. */
export function ApiKeysManager({ apiKeys, canEdit }: { apiKeys: ApiKeyView[]; canEdit: boolean }) {
  return (
    <div className="space-y-6">
      {canEdit && <CreateApiKeyCard />}

      <section aria-labelledby="api-keys-heading">
        <h2 id="api-keys-heading" className="mb-3 text-lg font-semibold text-slate-900">
          Keys
        </h2>
        {apiKeys.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-700">No API keys yet. Scripts use them to manage extensions through /api/v1.</p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table className="w-full min-w-[640px] text-left text-sm">
              <thead className="bg-slate-100 text-slate-800">
                <tr>
                  <th scope="col" className="px-4 py-2 font-semibold">Name</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Key</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Created by</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Last used</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Status</th>
                  {canEdit && (
                    <th scope="col" className="px-4 py-2 font-semibold">
                      <span className="sr-only">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {apiKeys.map((key) => (
                  <tr key={key.id} className="border-t border-slate-200 align-top">
                    <td className="px-4 py-3 font-medium text-slate-900">{key.name}</td>
                    <td className="px-4 py-3 font-mono text-xs text-slate-800">{key.prefix}…</td>
                    <td className="px-4 py-3 text-slate-800">
                      {key.createdBy.email}
                      <span className="block text-xs text-slate-600">
                        <DateTime iso={key.createdAt} />
                      </span>
                    </td>
                    <td className="px-4 py-3 text-slate-800">
                      <DateTime iso={key.lastUsedAt} />
                    </td>
                    <td className="px-4 py-3">
                      {key.revokedAt ? (
                        <>
                          <StatusBadge tone="danger">Revoked</StatusBadge>
                          <p className="mt-1 max-w-xs text-xs text-slate-700">
                            <DateTime iso={key.revokedAt} />
                            {key.revokedReason ? `: ${key.revokedReason}` : ""}
                          </p>
                        </>
                      ) : (
                        <StatusBadge tone="ok">Active</StatusBadge>
                      )}
                    </td>
                    {canEdit && (
                      <td className="px-4 py-3 text-right">
                        {!key.revokedAt && <RevokeApiKeyButton id={key.id} name={key.name} prefix={key.prefix} />}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
