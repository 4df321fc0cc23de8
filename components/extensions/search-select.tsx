"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { inputClasses } from "./ui";
import { useDebounced } from "./use-debounced";

export interface SearchResult<T> {
  items: T[];
  total: number;
}

interface SearchSelectProps<T> {
  id: string;
  label: string;
  description?: ReactNode;
  placeholder?: string;
  /**
   * Reads the options matching `text` from the server. `signal` aborts a search that a newer one
   * replaced. Give the component a new `key` when the source changes (another workspace, say).
   */
  search: (text: string, signal: AbortSignal) => Promise<SearchResult<T>>;
  optionKey: (option: T) => string;
  optionText: (option: T) => string;
  renderOption?: (option: T) => ReactNode;
  value: T | null;
  onChange: (option: T | null) => void;
  error?: string;
  disabled?: boolean;
  required?: boolean;
}

/** The options the server returned for one search text, or why it failed. */
type Outcome<T> = { text: string; result: SearchResult<T> } | { text: string; error: string };

/**
 * A searchable single choice (the ARIA combobox pattern): type to search on the server, arrow keys
 * to move, Enter to choose, Escape to close. The search runs 250 ms after the last keystroke, and a
 * newer search aborts the one still running.
 */
export function SearchSelect<T>(props: SearchSelectProps<T>) {
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [active, setActive] = useState(0);
  const [outcome, setOutcome] = useState<Outcome<T> | null>(null);
  const query = useDebounced(text.trim());
  const inputRef = useRef<HTMLInputElement>(null);
  // The latest search function, so that a parent's re-render (which makes a new one) starts no request.
  const searchRef = useRef(props.search);
  useEffect(() => {
    searchRef.current = props.search;
  });

  const enabled = open && !props.disabled;
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    searchRef.current(query, controller.signal).then(
      (result) => setOutcome({ text: query, result }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setOutcome({ text: query, error: error instanceof Error ? error.message : "The search failed." });
      },
    );
    return () => controller.abort();
  }, [enabled, query]);

  // Until the server returns the options for the current text, the list is empty and shows "Searching…".
  const current = outcome?.text === query ? outcome : null;
  const result = current && "result" in current ? current.result : null;
  const options = result?.items ?? [];

  const choose = (option: T) => {
    props.onChange(option);
    setText("");
    setOpen(false);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open) setOpen(true);
      else setActive((index) => Math.min(index + 1, options.length - 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((index) => Math.max(index - 1, 0));
    } else if (event.key === "Enter" && open) {
      event.preventDefault();
      const option = options[active];
      if (option) choose(option);
    } else if (event.key === "Escape") {
      setOpen(false);
    }
  };

  const activeOption = open ? options[active] : undefined;
  const describedBy = [props.description ? `${props.id}-description` : null, props.error ? `${props.id}-error` : null].filter(Boolean).join(" ") || undefined;

  return (
    <div className="relative">
      <label htmlFor={props.id} className="block text-sm font-semibold text-slate-900">
        {props.label}
        {props.required && <span className="text-red-800"> *</span>}
      </label>
      {props.description && (
        <p id={`${props.id}-description`} className="mt-0.5 text-sm text-slate-700">
          {props.description}
        </p>
      )}
      {props.value && !open ? (
        <div className="mt-1 flex items-center justify-between gap-2 rounded-md border border-slate-300 bg-slate-50 px-3 py-2 text-sm">
          <span className="min-w-0 truncate" data-testid={`${props.id}-selected`}>
            {props.renderOption ? props.renderOption(props.value) : props.optionText(props.value)}
          </span>
          {!props.disabled && (
            <button
              type="button"
              className="shrink-0 rounded px-2 py-0.5 font-medium text-emerald-800 hover:bg-emerald-50"
              onClick={() => {
                setOpen(true);
                setActive(0);
                setTimeout(() => inputRef.current?.focus(), 0);
              }}
            >
              Change<span className="sr-only"> {props.label}</span>
            </button>
          )}
        </div>
      ) : (
        <input
          ref={inputRef}
          id={props.id}
          type="text"
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={activeOption ? `${listId}-${props.optionKey(activeOption)}` : undefined}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={describedBy}
          autoComplete="off"
          disabled={props.disabled}
          placeholder={props.placeholder}
          className={`${inputClasses} mt-1`}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setActive(0);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={onKeyDown}
        />
      )}
      {open && (
        <div className="absolute z-20 mt-1 w-full rounded-md border border-slate-300 bg-white shadow-lg">
          <ul id={listId} role="listbox" aria-label={props.label} className="max-h-72 overflow-y-auto py-1">
            {options.map((option, index) => (
              <li
                key={props.optionKey(option)}
                id={`${listId}-${props.optionKey(option)}`}
                role="option"
                aria-selected={index === active}
                className={`cursor-pointer px-3 py-2 text-sm ${index === active ? "bg-emerald-50 text-emerald-950" : "text-slate-900"}`}
                onMouseDown={(event) => event.preventDefault()}
                onMouseEnter={() => setActive(index)}
                onClick={() => choose(option)}
              >
                {props.renderOption ? props.renderOption(option) : props.optionText(option)}
              </li>
            ))}
          </ul>
          <p aria-live="polite" className="border-t border-slate-100 px-3 py-2 text-xs text-slate-700">
            {searchStatus(current, options.length)}
          </p>
        </div>
      )}
      {props.error && (
        <p id={`${props.id}-error`} className="mt-1 text-sm text-red-800">
          {props.error}
        </p>
      )}
    </div>
  );
}

function searchStatus<T>(current: Outcome<T> | null, shown: number): string {
  if (!current) return "Searching…";
  if ("error" in current) return `Could not load the list: ${current.error}`;
  if (shown === 0) return "Nothing matches.";
  if (current.result.total > shown) return `Showing ${shown} of ${current.result.total}: type to narrow the list.`;
  return `${shown} match${shown === 1 ? "" : "es"}.`;
}
