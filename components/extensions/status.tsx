import { StatusBadge } from "@/components/status-badge";
import { EXTENSION_STATUS_LABELS } from "@/lib/extensions/labels";

type Status = keyof typeof EXTENSION_STATUS_LABELS;

const TONES: Record<Status, "ok" | "warn" | "danger"> = { working: "ok", needs_attention: "warn", disabled: "danger" };

/** An extension's status badge, with the reason and fix below it when it is not working. */
export function ExtensionStatus({ status, reason }: { status: Status; reason: string | null }) {
  return (
    <div>
      <StatusBadge tone={TONES[status]}>{EXTENSION_STATUS_LABELS[status]}</StatusBadge>
      {reason && <p className="mt-1 max-w-xs text-xs text-amber-900">{reason}</p>}
    </div>
  );
}
