"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";
import { buttonClasses } from "./ui";

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * A modal confirmation on the native <dialog> element: showModal() makes the rest of the page inert,
 * traps focus and closes on Escape. Focus starts on Cancel, the safe choice.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) {
      dialog.showModal();
      cancelRef.current?.focus();
    } else if (!props.open && dialog.open) {
      dialog.close();
    }
  }, [props.open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      aria-modal="true"
      onCancel={(event) => {
        event.preventDefault();
        if (!props.busy) props.onCancel();
      }}
      className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50"
    >
      <div className="p-6">
        <h2 id={titleId} className="text-lg font-semibold">
          {props.title}
        </h2>
        <div id={bodyId} className="mt-2 text-sm text-slate-800">
          {props.children}
        </div>
        {props.error && (
          <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-900">
            {props.error}
          </p>
        )}
        <div className="mt-6 flex justify-end gap-3">
          <button ref={cancelRef} type="button" className={buttonClasses.secondary} onClick={props.onCancel} disabled={props.busy}>
            Cancel
          </button>
          <button type="button" className={buttonClasses.danger} onClick={props.onConfirm} disabled={props.busy} aria-busy={props.busy}>
            {props.busy ? "Working…" : props.confirmLabel}
          </button>
        </div>
      </div>
    </dialog>
  );
}
