import { uninstalledReason } from "../../workspaces/workspace-state";
import type { SlackEventHandler } from "./context";
import { deactivateWorkspace } from "./deactivate-workspace";

// app_uninstalled: the workspace removed the app, so every token of the installation is gone.
export const handleAppUninstalled: SlackEventHandler = (context) =>
  deactivateWorkspace(context, { reason: uninstalledReason(context.occurredAt), replaceReason: true });
