import { StatusBadge } from "@/components/status-badge";

const STATUS_TONES: Record<string, "ok" | "warn" | "danger"> = { triggered: "danger", acknowledged: "warn", resolved: "ok" };

export function capitalize(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}

/** Shows an incident's status as PagerDuty does: triggered red, acknowledged amber, resolved green. */
export function IncidentStatusBadge({ status }: { status: string }) {
  return <StatusBadge tone={STATUS_TONES[status] ?? "warn"}>{capitalize(status)}</StatusBadge>;
}

/** High urgency in bold, low in plain text. */
export function Urgency({ urgency }: { urgency: string }) {
  return <span className={urgency === "high" ? "font-semibold text-red-900" : "text-slate-700"}>{capitalize(urgency)}</span>;
}

const DELIVERY_TONES: Record<string, "ok" | "warn" | "danger"> = { sent: "ok", pending: "warn", failed: "danger" };
const DELIVERY_LABELS: Record<string, string> = { sent: "Posted", pending: "Waiting to post", failed: "Not delivered" };

/** Shows the delivery state of an incident message in one channel. */
export function DeliveryBadge({ status }: { status: string }) {
  return <StatusBadge tone={DELIVERY_TONES[status] ?? "warn"}>{DELIVERY_LABELS[status] ?? capitalize(status)}</StatusBadge>;
}
