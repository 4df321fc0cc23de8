"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ApiRequestError, apiFetch } from "@/components/extensions/api-fetch";
import { ConfirmDialog } from "@/components/extensions/confirm-dialog";
import { buttonClasses, Card, FieldError, inputClasses } from "@/components/extensions/ui";
import { StatusBadge } from "@/components/status-badge";
import type { ApiKeyView } from "@/lib/api-keys/api-keys";

const QUERY_KEY = ["api-keys"];

/** Lists API keys; admins create them (the key is shown once) and revoke them after a confirmation. */
export function ApiKeysManager({ canEdit }: { canEdit: boolean }) {
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: QUERY_KEY, queryFn: () => apiFetch<{ apiKeys: ApiKeyView[] }>("/api/admin/api-keys") });
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState<string | undefined>();
  const [created, setCreated] = useState<{ key: string; name: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [revoking, setRevoking] = useState<ApiKeyView | null>(null);

  const create = useMutation({
    mutationFn: (keyName: string) => apiFetch<{ key: string; apiKey: ApiKeyView }>("/api/admin/api-keys", { method: "POST", body: { name: keyName } }),
    onSuccess: (result) => {
      setCreated({ key: result.key, name: result.apiKey.name });
      setCopied(false);
      setName("");
      void queryClient.invalidateQueries({ queryKey: QUERY_KEY });
    },
    onError: (error) => setNameError(error instanceof ApiRequestError ? (error.fields.name ?? error.message) : "Creating the key failed."),
  });

  const revoke = useMutation({
    mutationFn: (id: string) => apiFetch(`/api/admin/api-keys/${id}`, { method: "DELETE" }),
    onSuccess: () => {
      setRevoking(null);
      void queryClient.invalidateQueries({ queryKey: QUERY_KEY });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setNameError("Enter a name that says what the key is for.");
      return;
    }
    setNameError(undefined);
    create.mutate(name.trim());
  };

  return (
    <div className="space-y-6">
      {canEdit && (
        <Card>
          <h2 className="text-lg font-semibold text-slate-900">Create an API key</h2>
          <form onSubmit={submit} noValidate className="mt-3 flex flex-col gap-3 sm:flex-row sm:items-start">
            <div className="w-full sm:max-w-sm">
              <label htmlFor="api-key-name" className="block text-sm font-semibold text-slate-900">
                Key name
              </label>
              <input
                id="api-key-name"
                className={`${inputClasses} mt-1`}
                value={name}
                maxLength={100}
                placeholder="terraform"
                aria-invalid={nameError ? true : undefined}
                aria-describedby={nameError ? "api-key-name-error" : undefined}
                onChange={(event) => setName(event.target.value)}
              />
              <FieldError id="api-key-name-error" message={nameError} />
            </div>
            <button type="submit" className={`${buttonClasses.primary} sm:mt-6`} disabled={create.isPending} aria-busy={create.isPending}>
              {create.isPending ? "Creating…" : "Create key"}
            </button>
          </form>
          <div aria-live="polite">
            {created && (
              <div className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
                <p className="font-semibold">Copy the key “{created.name}” now: it is shown only once.</p>
                <div className="mt-2 flex flex-col gap-2 sm:flex-row sm:items-center">
                  <label htmlFor="api-key-value" className="sr-only">
                    New API key
                  </label>
                  <input id="api-key-value" readOnly value={created.key} className={`${inputClasses} font-mono`} onFocus={(event) => event.target.select()} />
                  <button
                    type="button"
                    className={buttonClasses.secondary}
                    onClick={async () => {
                      await navigator.clipboard?.writeText(created.key).catch(() => undefined);
                      setCopied(true);
                    }}
                  >
                    {copied ? "Copied" : "Copy"}
                  </button>
                </div>
                <p className="mt-2">Send it as <code className="font-mono">Authorization: Bearer &lt;key&gt;</code> to /api/v1.</p>
              </div>
            )}
          </div>
        </Card>
      )}

      <section aria-labelledby="api-keys-heading">
        <h2 id="api-keys-heading" className="mb-3 text-lg font-semibold text-slate-900">
          Keys
        </h2>
        {keys.isPending ? (
          <div role="status" className="h-32 animate-pulse rounded-lg bg-slate-200">
            <span className="sr-only">Loading API keys…</span>
          </div>
        ) : keys.isError ? (
          <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900">
            The API keys could not be loaded: {keys.error.message}{" "}
            <button type="button" className="font-semibold underline" onClick={() => keys.refetch()}>
              Try again
            </button>
          </div>
        ) : keys.data.apiKeys.length === 0 ? (
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
                {keys.data.apiKeys.map((key) => (
                  <tr key={key.id} className="border-t border-slate-200 align-top">
                    <td className="px-4 py-3 font-medium text-slate-900">{key.name}</td>
                    <td className="px-4 py-3 font-mono text-xs text-slate-800">{key.prefix}…</td>
                    <td className="px-4 py-3 text-slate-800">
                      {key.createdBy.email}
                      <span className="block text-xs text-slate-600">{formatDate(key.createdAt)}</span>
                    </td>
                    <td className="px-4 py-3 text-slate-800">{key.lastUsedAt ? formatDate(key.lastUsedAt) : "Never"}</td>
                    <td className="px-4 py-3">
                      {key.revokedAt ? (
                        <>
                          <StatusBadge tone="danger">Revoked</StatusBadge>
                          <p className="mt-1 max-w-xs text-xs text-slate-700">
                            {formatDate(key.revokedAt)}
                            {key.revokedReason ? `: ${key.revokedReason}` : ""}
                          </p>
                        </>
                      ) : (
                        <StatusBadge tone="ok">Active</StatusBadge>
                      )}
                    </td>
                    {canEdit && (
                      <td className="px-4 py-3 text-right">
                        {!key.revokedAt && (
                          <button type="button" className="rounded px-2 py-1 font-medium text-red-800 hover:bg-red-50" onClick={() => setRevoking(key)}>
                            Revoke<span className="sr-only"> {key.name}</span>
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke the key ${revoking?.name ?? ""}?`}
        confirmLabel="Revoke"
        busy={revoke.isPending}
        error={revoke.isError ? revoke.error.message : null}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
        onCancel={() => {
          setRevoking(null);
          revoke.reset();
        }}
      >
        Scripts that use {revoking?.prefix}… are rejected from now on. This cannot be undone.
      </ConfirmDialog>
    </div>
  );
}

function formatDate(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
