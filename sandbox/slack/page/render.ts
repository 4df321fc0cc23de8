import type { ServerContext } from "../context";
import { escapeHtml } from "../http";
import type { JsonObject, StoredChannel, StoredMessage, StoredView } from "../state";
import { BOT, MEMBERS, TEAM, displayName } from "../workspace";
import { SLACKBOT_USER_ID } from "../interactions/commands";
import { blocksHtml, type BlockRenderContext } from "./blocks";
import { mrkdwnToHtml, type NameResolver } from "./mrkdwn";
import { PAGE_SCRIPT, PAGE_STYLES } from "./assets";

/** The default viewer of the page: the seeded responder. */
export const DEFAULT_VIEWER_ID = "U0ROSA0001";

export interface PageView {
  version: number;
  nav: string;
  banner: string;
  /** Whether the viewer may post in the channel (member, channel not archived). */
  canPost: boolean;
  messages: Array<{ ts: string; sig: string; html: string }>;
  modal: { viewId: string; sig: string; html: string } | null;
}

function names(server: ServerContext): NameResolver {
  return {
    user: (userId) => (userId === SLACKBOT_USER_ID ? "Slackbot" : displayName(userId)),
    channel: (channelId) => server.state.channels.get(channelId)?.name ?? channelId,
  };
}

/** Hashes a string (FNV-1a, 32 bits) so the page can tell which parts changed. */
function signature(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

function slugTs(ts: string): string {
  return ts.replace(".", "-");
}

function visibleChannels(server: ServerContext, viewerId: string): StoredChannel[] {
  return [...server.state.channels.values()].filter((channel) => !channel.isPrivate || channel.memberIds.has(viewerId));
}

function blockContext(server: ServerContext, idPrefix: string, surface: "message" | "view"): BlockRenderContext {
  return {
    names: names(server),
    idPrefix,
    surface,
    channels: [...server.state.channels.values()].filter((channel) => !channel.isPrivate).map((channel) => ({ id: channel.id, name: channel.name })),
  };
}

function authorHtml(message: StoredMessage): string {
  if (message.authorId === BOT.userId) return `${escapeHtml(BOT.name)} <span class="sb-badge">APP</span>`;
  if (message.authorId === SLACKBOT_USER_ID) return "Slackbot";
  return escapeHtml(displayName(message.authorId));
}

function timeHtml(ts: string): string {
  const date = new Date(Number(ts) * 1000);
  return `<time datetime="${date.toISOString()}">${date.toISOString().slice(11, 16)} UTC</time>`;
}

function articleHtml(server: ServerContext, message: StoredMessage, viewerId: string, options: { isReply: boolean; replies: StoredMessage[] }): string {
  const id = `m-${slugTs(message.ts)}`;
  const body =
    message.blocks && message.blocks.length > 0
      ? blocksHtml(message.blocks, blockContext(server, id, "message"))
      : `<div class="sb-text">${mrkdwnToHtml(message.text, names(server))}</div>`;
  const ephemeral = message.ephemeralFor ? ` data-ephemeral="true"` : "";
  const ephemeralNote = message.ephemeralFor ? `<p class="sb-ephemeral-note">Only visible to you</p>` : "";
  const edited = message.edited ? ` <span class="sb-edited">(edited)</span>` : "";
  const broadcast = message.replyBroadcast && !options.isReply ? `<p class="sb-broadcast-note">replied to a thread</p>` : "";
  const notice = server.state.notices.get(server.state.noticeKey(viewerId, message.channelId, message.ts));
  const noticeHtml = notice ? `<p class="sb-app-error" role="alert">${escapeHtml(notice.text)}</p>` : "";
  const threadAttr = message.threadTs && message.threadTs !== message.ts ? ` data-thread-ts="${message.threadTs}"` : "";

  let thread = "";
  if (!options.isReply) {
    const replies = options.replies.map((reply) => articleHtml(server, reply, viewerId, { isReply: true, replies: [] })).join("");
    const count = options.replies.length;
    const summary = count === 1 ? "1 reply" : `${count} replies`;
    const replyButton = message.ephemeralFor ? "" : `<button type="button" class="sb-reply-button" data-thread-ts="${message.ts}">Reply in thread</button>`;
    thread =
      count > 0
        ? `<details class="sb-thread" data-thread-of="${message.ts}"><summary>${summary}</summary><div class="sb-replies">${replies}</div></details>${replyButton}`
        : replyButton;
  }

  return (
    `<article class="sb-message${options.isReply ? " sb-message--reply" : ""}" data-ts="${message.ts}" data-user-id="${escapeHtml(message.authorId)}"${ephemeral}${threadAttr} aria-labelledby="${id}-author">` +
    `<header class="sb-message__header"><span class="sb-author" id="${id}-author">${authorHtml(message)}</span> ${timeHtml(message.ts)}${edited}</header>` +
    broadcast +
    ephemeralNote +
    `<div class="sb-message__body">${body}</div>` +
    noticeHtml +
    thread +
    `</article>`
  );
}

/** Lists the top-level messages (and broadcast replies) visible to the viewer, each with its thread replies. */
function messagesFor(server: ServerContext, channel: StoredChannel, viewerId: string): PageView["messages"] {
  if (channel.isPrivate && !channel.memberIds.has(viewerId)) return [];
  const visible = (message: StoredMessage): boolean => !message.ephemeralFor || message.ephemeralFor === viewerId;
  const all = server.state.channelMessages(channel.id).filter(visible);
  const isReply = (message: StoredMessage): boolean => message.threadTs !== undefined && message.threadTs !== message.ts;
  return all
    .filter((message) => !isReply(message) || message.replyBroadcast)
    .map((message) => {
      const replies = isReply(message) ? [] : all.filter((reply) => isReply(reply) && reply.threadTs === message.ts);
      const html = articleHtml(server, message, viewerId, { isReply: false, replies });
      return { ts: message.ts, sig: signature(html), html };
    });
}

/** A padlock drawn inline, so private channels are marked even where no emoji font is installed. */
const LOCK_ICON =
  '<svg class="sb-lock" aria-hidden="true" width="12" height="12" viewBox="0 0 12 12"><rect x="2" y="5" width="8" height="6" rx="1" fill="currentColor"/><path d="M4 5V3.5a2 2 0 0 1 4 0V5" fill="none" stroke="currentColor" stroke-width="1.4"/></svg>';

function navHtml(server: ServerContext, channel: StoredChannel, viewerId: string): string {
  const items = visibleChannels(server, viewerId)
    .map((candidate) => {
      const current = candidate.id === channel.id ? ` aria-current="page"` : "";
      const marker = candidate.isPrivate ? LOCK_ICON : `<span aria-hidden="true">#</span>`;
      const privateNote = candidate.isPrivate ? `<span class="sb-visually-hidden"> (private)</span>` : "";
      const archived = candidate.isArchived ? ` <span class="sb-muted">(archived)</span>` : "";
      const href = `/client/${encodeURIComponent(candidate.id)}?as=${encodeURIComponent(viewerId)}`;
      return `<li><a href="${href}"${current} data-channel-id="${candidate.id}" data-private="${candidate.isPrivate}">${marker} ${escapeHtml(candidate.name)}${privateNote}${archived}</a></li>`;
    })
    .join("");
  return `<h2 class="sb-nav__title">Channels</h2><ul class="sb-nav__list">${items}</ul>`;
}

function bannerHtml(server: ServerContext, channel: StoredChannel, viewerId: string): string {
  const parts: string[] = [];
  const canSee = !channel.isPrivate || channel.memberIds.has(viewerId);
  if (!canSee) return `<p class="sb-status">You don't have access to this private channel.</p>`;
  if (channel.isArchived) parts.push(`<p class="sb-status">This channel is archived.</p>`);
  if (!channel.memberIds.has(viewerId) && !channel.isArchived) {
    parts.push(`<p class="sb-status">You are not a member of #${escapeHtml(channel.name)}. <button type="button" id="join-channel">Join channel</button></p>`);
  }
  if (!server.state.appInstalled) {
    parts.push(`<p class="sb-status" id="app-status">${escapeHtml(BOT.name)} is not installed in this workspace.</p>`);
  } else if (!channel.memberIds.has(BOT.userId) && !channel.isArchived) {
    parts.push(`<p class="sb-status">${escapeHtml(BOT.name)} is not in this channel. <button type="button" id="add-bot">Add the bot to this channel</button></p>`);
  }
  return parts.join("");
}

function modalHtml(server: ServerContext, stored: StoredView): string {
  const view = stored.view;
  const text = (value: unknown): string =>
    typeof value === "object" && value !== null && typeof (value as JsonObject).text === "string" ? String((value as JsonObject).text) : "";
  const context: BlockRenderContext = { ...blockContext(server, `v-${stored.id}`, "view"), selections: stored.values, errors: stored.errors };
  const submit = view.submit ? `<button type="submit" class="sb-button sb-button--primary">${escapeHtml(text(view.submit))}</button>` : "";
  const notice = stored.notice ? `<p class="sb-app-error" role="alert">${escapeHtml(stored.notice)}</p>` : "";
  const unplacedErrors = Object.entries(stored.errors)
    .filter(([blockId]) => !Array.isArray(view.blocks) || !(view.blocks as JsonObject[]).some((block) => block.block_id === blockId && block.type === "input"))
    .map(([blockId, error]) => `<p class="sb-field-error" role="alert">${escapeHtml(`${blockId}: ${error}`)}</p>`)
    .join("");
  return (
    `<form class="sb-modal__form" data-view-id="${stored.id}" data-hash="${escapeHtml(stored.hash)}" novalidate>` +
    `<header class="sb-modal__header"><h2 id="modal-title">${escapeHtml(text(view.title))}</h2></header>` +
    `<div class="sb-modal__body">${blocksHtml(view.blocks, context)}</div>` +
    unplacedErrors +
    notice +
    `<footer class="sb-modal__footer"><button type="button" class="sb-button" data-modal-close>${escapeHtml(text(view.close) || "Cancel")}</button>${submit}</footer>` +
    `</form>`
  );
}

/** Everything the page shows for a channel and viewer; the page polls this as JSON. */
export function pageView(server: ServerContext, channel: StoredChannel, viewerId: string): PageView {
  const stack = server.state.viewStacks.get(viewerId) ?? [];
  const topId = stack[stack.length - 1];
  const top = topId ? server.state.views.get(topId) : undefined;
  const modal = top ? modalHtml(server, top) : null;
  return {
    version: server.state.version,
    nav: navHtml(server, channel, viewerId),
    banner: bannerHtml(server, channel, viewerId),
    canPost: channel.memberIds.has(viewerId) && !channel.isArchived,
    messages: messagesFor(server, channel, viewerId),
    modal: top && modal ? { viewId: top.id, sig: signature(modal), html: modal } : null,
  };
}

/** Serialises JSON for an inline <script type="application/json"> without letting it close the tag. */
function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}

/** Renders the whole page for a channel; the page script keeps it current by polling. */
export function clientPageHtml(server: ServerContext, channel: StoredChannel, viewerId: string): string {
  const view = pageView(server, channel, viewerId);
  const viewerOptions = MEMBERS.map(
    (member) => `<option value="${member.id}"${member.id === viewerId ? " selected" : ""}>${escapeHtml(member.realName)}</option>`,
  ).join("");
  const messages = view.messages.map((message) => message.html).join("");
  const placeholder = `Message #${channel.name} or type /pd …`;
  const signatures = Object.fromEntries(view.messages.map((message) => [message.ts, message.sig]));
  const config = { channelId: channel.id, viewerId, version: view.version, modal: view.modal, signatures };

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>#${escapeHtml(channel.name)} · ${escapeHtml(TEAM.name)} (sandbox Slack)</title>
<style>${PAGE_STYLES}</style>
</head>
<body>
<header class="sb-topbar">
  <h1 class="sb-topbar__title">${escapeHtml(TEAM.name)} <span class="sb-muted">sandbox Slack</span></h1>
  <form class="sb-viewer" method="get" action="/client/${encodeURIComponent(channel.id)}">
    <label for="viewer-select">Viewing as</label>
    <select id="viewer-select" name="as">${viewerOptions}</select>
    <noscript><button type="submit">Switch</button></noscript>
  </form>
  <button type="button" class="sb-button sb-button--danger" id="uninstall-app"${server.state.appInstalled ? "" : " disabled"}>Uninstall app</button>
</header>
<div class="sb-layout">
  <nav class="sb-nav" id="channel-nav" aria-label="Channels">${view.nav}</nav>
  <main class="sb-main" id="main">
    <h2 class="sb-channel-title" id="channel-title">${channel.isPrivate ? `${LOCK_ICON}<span class="sb-visually-hidden">Private channel </span>` : `<span aria-hidden="true">#</span>`} ${escapeHtml(channel.name)}</h2>
    <div id="banner" class="sb-banner">${view.banner}</div>
    <div id="messages" class="sb-messages" role="log" aria-live="polite" aria-labelledby="channel-title">${messages}</div>
    <form id="composer" class="sb-composer">
      <p id="thread-target" class="sb-thread-target" hidden>Replying in a thread <button type="button" id="cancel-thread">Cancel</button></p>
      <label for="composer-text" class="sb-visually-hidden">Message #${escapeHtml(channel.name)}</label>
      <textarea id="composer-text" name="text" rows="2" placeholder="${escapeHtml(placeholder)}"${view.canPost ? "" : " disabled"}></textarea>
      <button type="submit" class="sb-button sb-button--primary" id="composer-send"${view.canPost ? "" : " disabled"}>Send</button>
      <p id="composer-status" class="sb-composer__status" role="status"></p>
    </form>
  </main>
</div>
<dialog id="modal" class="sb-modal" aria-labelledby="modal-title"></dialog>
<dialog id="confirm-dialog" class="sb-modal sb-confirm" role="alertdialog" aria-labelledby="confirm-title" aria-describedby="confirm-text">
  <form method="dialog">
    <h2 id="confirm-title"></h2>
    <p id="confirm-text"></p>
    <footer class="sb-modal__footer"><button value="deny" class="sb-button" id="confirm-deny">Cancel</button><button value="confirm" class="sb-button sb-button--primary" id="confirm-ok">Confirm</button></footer>
  </form>
</dialog>
<script type="application/json" id="sb-config">${inlineJson(config)}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>`;
}

/** Renders a page for errors shown in the browser (unknown channel, bad OAuth request). */
export function simplePageHtml(title: string, bodyHtml: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>${escapeHtml(title)}</title><style>${PAGE_STYLES}</style></head>
<body><main class="sb-simple"><h1>${escapeHtml(title)}</h1>${bodyHtml}</main></body>
</html>`;
}
