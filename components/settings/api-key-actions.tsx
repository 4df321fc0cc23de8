"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { ApiRequestError, apiFetch } from "@/components/extensions/api-fetch";
import { ConfirmDialog } from "@/components/extensions/confirm-dialog";
import { buttonClasses, Card, FieldError, inputClasses } from "@/components/extensions/ui";
import { useHydrated } from "@/components/auth/use-hydrated";
import type { ApiKeyView } from "@/lib/api-keys/api-keys";

/**
 * "Create an API key": names a new key, then shows it once, and renders the list again with it.
 * The page is rendered on the server, so the name field works before React runs: its value is read
 * from the form on submit, and the button waits for hydration, as the sign-in form does.
 */
export function CreateApiKeyCard() {
  const router = useRouter();
  const hydrated = useHydrated();
  const [nameError, setNameError] = useState<string | undefined>();
  const [created, setCreated] = useState<{ key: string; name: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [pending, startTransition] = useTransition();

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get("name") ?? "").trim();
    if (!name) {
      setNameError("Enter a name that describes what the key is for.");
      return;
    }
    setNameError(undefined);
    startTransition(async () => {
      let result: { key: string; apiKey: ApiKeyView };
      try {
        result = await apiFetch<{ key: string; apiKey: ApiKeyView }>("/api/admin/api-keys", { method: "POST", body: { name } });
      } catch (error) {
        setNameError(error instanceof ApiRequestError ? (error.fields.name ?? error.message) : "Creating the key failed.");
        return;
      }
      setCreated({ key: result.key, name: result.apiKey.name });
      setCopied(false);
      form.reset();
      router.refresh();
    });
  };

  return (
    <Card>
      <h2 className="text-lg font-semibold text-slate-900">Create an API key</h2>
      <form onSubmit={submit} noValidate className="mt-3 flex flex-col gap-3 sm:flex-row sm:items-start">
        <div className="w-full sm:max-w-sm">
          <label htmlFor="api-key-name" className="block text-sm font-semibold text-slate-900">
            Key name
          </label>
          <input
            id="api-key-name"
            name="name"
            className={`${inputClasses} mt-1`}
            maxLength={100}
            placeholder="terraform"
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? "api-key-name-error" : undefined}
          />
          <FieldError id="api-key-name-error" message={nameError} />
        </div>
        <button type="submit" className={`${buttonClasses.primary} sm:mt-6`} disabled={!hydrated || pending} aria-busy={pending}>
          {pending ? "Creating…" : "Create key"}
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
            <p className="mt-2">
              Send it as <code className="font-mono">Authorization: Bearer &lt;key&gt;</code> to /api/v1.
            </p>
          </div>
        )}
      </div>
    </Card>
  );
}

/** "Revoke", after a confirmation: scripts using the key are rejected from then on. */
export function RevokeApiKeyButton({ id, name, prefix }: { id: string; name: string; prefix: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const revoke = () => {
    startTransition(async () => {
      try {
        await apiFetch(`/api/admin/api-keys/${id}`, { method: "DELETE" });
      } catch (failure) {
        setError(failure instanceof Error ? failure.message : "Revoking the key failed. Try again.");
        return;
      }
      setOpen(false);
      router.refresh();
    });
  };

  return (
    <>
      <button
        type="button"
        className="rounded px-2 py-1 font-medium text-red-800 hover:bg-red-50"
        onClick={() => {
          setError(null);
          setOpen(true);
        }}
      >
        Revoke<span className="sr-only"> {name}</span>
      </button>
      <ConfirmDialog open={open} title={`Revoke the key ${name}?`} confirmLabel="Revoke" busy={pending} error={error} onConfirm={revoke} onCancel={() => setOpen(false)}>
        Scripts that use {prefix}… are rejected from now on. This cannot be undone.
      </ConfirmDialog>
    </>
  );
}
