/**
 * "Install App into Workspace": a plain link, because /api/slack/install redirects the browser to
 * Slack's consent page.
 */
export function InstallAppLink({ label = "Install App into Workspace" }: { label?: string }) {
  return (
    <a
      href="/api/slack/install"
      className="inline-flex items-center gap-2 rounded bg-emerald-700 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-emerald-800"
    >
      <span aria-hidden="true">+</span>
      {label}
    </a>
  );
}
