"use client";

import { useOptimistic, type ReactNode } from "react";
import { inputClasses } from "@/components/extensions/ui";
import { useListNavigation } from "@/components/ui/list-navigation";
import { incidentsHref, type IncidentFilters } from "./incidents-href";

/**
 * The incident list's filters by status, service and urgency. A choice changes the address at once
 * and starts again on the first page. The select shows the choice while the list updates.
 */
export function IncidentFilterBar({ filters, services }: { filters: IncidentFilters; services: { id: string; name: string }[] }) {
  const { navigate } = useListNavigation();
  const [shown, setShown] = useOptimistic(filters);

  const change = (update: Partial<IncidentFilters>) => {
    const next = { ...shown, page: 1, ...update };
    navigate(incidentsHref(next), { replace: true, update: () => setShown(next) });
  };

  return (
    <div className="mb-4 grid gap-3 sm:grid-cols-3 lg:max-w-3xl">
      <FilterSelect id="filter-status" label="Status" value={shown.status} onChange={(status) => change({ status })}>
        <option value="">All statuses</option>
        <option value="triggered">Triggered</option>
        <option value="acknowledged">Acknowledged</option>
        <option value="resolved">Resolved</option>
      </FilterSelect>
      <FilterSelect id="filter-service" label="Service" value={shown.service} onChange={(service) => change({ service })}>
        <option value="">All services</option>
        {services.map((service) => (
          <option key={service.id} value={service.id}>
            {service.name}
          </option>
        ))}
        {shown.service && !services.some((service) => service.id === shown.service) && <option value={shown.service}>{shown.service}</option>}
      </FilterSelect>
      <FilterSelect id="filter-urgency" label="Urgency" value={shown.urgency} onChange={(urgency) => change({ urgency })}>
        <option value="">All urgencies</option>
        <option value="high">High</option>
        <option value="low">Low</option>
      </FilterSelect>
    </div>
  );
}

function FilterSelect(props: { id: string; label: string; value: string; onChange: (value: string) => void; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={props.id} className="mb-1 block text-sm font-medium text-slate-800">
        {props.label}
      </label>
      <select id={props.id} className={inputClasses} value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        {props.children}
      </select>
    </div>
  );
}
