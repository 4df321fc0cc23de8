import { ListLink } from "./list-navigation";
import { buttonClasses } from "./page";

const DISABLED_PAGE_LINK =
  "inline-flex cursor-not-allowed items-center justify-center rounded-md border border-slate-200 bg-slate-50 px-4 py-2 text-sm font-medium text-slate-500";

/** Previous and Next links of a paged list inside <ListNavigation>, with the current page between them. */
export function PageLinks({ page, pageCount, href }: { page: number; pageCount: number; href: (page: number) => string }) {
  return (
    <span className="flex items-center gap-2">
      {page > 1 ? (
        <ListLink href={href(Math.min(page - 1, pageCount))} className={buttonClasses.secondary} rel="prev">
          Previous
        </ListLink>
      ) : (
        <span aria-disabled="true" className={DISABLED_PAGE_LINK}>
          Previous
        </span>
      )}
      <span>
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? (
        <ListLink href={href(page + 1)} className={buttonClasses.secondary} rel="next">
          Next
        </ListLink>
      ) : (
        <span aria-disabled="true" className={DISABLED_PAGE_LINK}>
          Next
        </span>
      )}
    </span>
  );
}
