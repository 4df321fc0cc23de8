"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useListNavigation } from "@/components/ui/list-navigation";
import { inputClasses } from "./ui";
import { useDebounced } from "./use-debounced";
import { useTypedBeforeHydration } from "@/components/ui/use-typed-before-hydration";

/**
 * The Extensions search box. The list follows the text 250 ms after the last keystroke, through the
 * address (?q=), so a search can be shared as a link. Without JavaScript it is a plain GET form.
 */
export function ExtensionSearch({ query }: { query: string }) {
  const { navigate } = useListNavigation();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [text, setText] = useState(query);
  const adoptTyped = useTypedBeforeHydration(setText);
  const debounced = useDebounced(text.trim());
  // The search last sent to the address; a different `query` means the address changed elsewhere (back or forward).
  const requested = useRef(query);

  useEffect(() => {
    if (query === requested.current) return;
    requested.current = query;
    setText(query);
  }, [query]);

  const search = (value: string) => {
    requested.current = value;
    const params = new URLSearchParams(searchParams.toString());
    if (value) params.set("q", value);
    else params.delete("q");
    // A new search starts on its first page, and the deletion notice belongs to the earlier view.
    params.delete("page");
    params.delete("deleted");
    navigate(params.size > 0 ? `${pathname}?${params.toString()}` : pathname, { replace: true });
  };

  useEffect(() => {
    if (debounced !== requested.current) search(debounced);
    // Only a change of the debounced text starts a search, so `search` is left out of the dependencies.
  }, [debounced]);

  return (
    <form
      role="search"
      method="get"
      action={pathname}
      className="w-full sm:max-w-sm"
      onSubmit={(event) => {
        event.preventDefault();
        if (text.trim() !== requested.current) search(text.trim());
      }}
    >
      <label htmlFor="extension-search" className="sr-only">
        Search extensions
      </label>
      <input
        id="extension-search"
        name="q"
        type="search"
        maxLength={200}
        className={inputClasses}
        placeholder="Search by name, service, channel or workspace"
        value={text}
        ref={adoptTyped}
        onChange={(event) => setText(event.target.value)}
      />
    </form>
  );
}
