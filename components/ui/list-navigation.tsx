"use client";

import { useRouter } from "next/navigation";
import { createContext, use, useTransition, type ReactNode } from "react";

interface NavigateOptions {
  replace?: boolean;
  update?: () => void;
}

interface ListNavigationValue {
  /** True from a change of search, filter, sort or page until the server's new rows are shown. */
  pending: boolean;
  /**
   * Opens `href` in a transition, so the current rows stay on screen until the new ones arrive.
   * `update` runs inside the same transition, for optimistic state such as a filter's new value.
   */
  navigate: (href: string, options?: NavigateOptions) => void;
}

const ListNavigationContext = createContext<ListNavigationValue | null>(null);

/**
 * Wraps a server-rendered list whose search, filters, sort and page live in the address. The
 * links and inputs inside it change the address in one shared transition, so that the list can
 * show "Updating…" and dim its rows while the server renders the next ones.
 */
export function ListNavigation({ children }: { children: ReactNode }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const navigate = (href: string, options: NavigateOptions = {}) => {
    startTransition(() => {
      options.update?.();
      if (options.replace) router.replace(href, { scroll: false });
      else router.push(href, { scroll: false });
    });
  };
  return <ListNavigationContext value={{ pending, navigate }}>{children}</ListNavigationContext>;
}

export function useListNavigation(): ListNavigationValue {
  const value = use(ListNavigationContext);
  if (!value) throw new Error("useListNavigation must be used inside <ListNavigation>.");
  return value;
}

/**
 * A plain link to another view of the list (a sort order or a page) that opens inside the list's
 * transition. Clicks with a modifier key, which open a new tab or window, are left to the browser.
 */
export function ListLink({ href, className, rel, children }: { href: string; className?: string; rel?: string; children: ReactNode }) {
  const { navigate } = useListNavigation();
  return (
    <a
      href={href}
      className={className}
      rel={rel}
      onClick={(event) => {
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}

/** A polite live region that shows "Updating…" while the list changes, and `children` otherwise. */
export function ListStatus({ className, children }: { className?: string; children: ReactNode }) {
  const { pending } = useListNavigation();
  return (
    <p aria-live="polite" className={className}>
      {pending ? "Updating…" : children}
    </p>
  );
}

/** Dims the rows while the list changes, and marks them busy for screen readers. */
export function ListRows({ className = "", children }: { className?: string; children: ReactNode }) {
  const { pending } = useListNavigation();
  return (
    <div aria-busy={pending || undefined} className={`${className} transition-opacity ${pending ? "opacity-70" : ""}`}>
      {children}
    </div>
  );
}
