"use client";

import { useCallback } from "react";

/**
 * Returns a ref for a controlled text field of a server-rendered page that adopts what was typed
 * into it before React hydrated the page. The field's state starts from the server's value, so
 * without this the typed text shows in the box while the form acts on the server's value.
 * `setValue` must be stable, as a state setter is.
 */
export function useTypedBeforeHydration(setValue: (value: string) => void): (element: HTMLInputElement | null) => void {
  return useCallback(
    (element: HTMLInputElement | null) => {
      // defaultValue is the value the server rendered, so a different value was typed since.
      if (element && element.value !== element.defaultValue) setValue(element.value);
    },
    [setValue],
  );
}
