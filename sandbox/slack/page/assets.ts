/**
 * Styles and the browser script of the sandbox page. The script is plain JavaScript (no build step)
 * and never inserts text from messages as HTML: the only HTML it inserts is what the fake's server
 * rendered, where every piece of message text is escaped.
 */

export const PAGE_STYLES = `
:root { color-scheme: light; --border: #d9d9d9; --muted: #616061; --accent: #1264a3; --primary: #007a5a; --danger: #e01e5a; --bg-soft: #f8f8f8; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1c1d; background: #fff; }
button, select, input, textarea { font: inherit; }
.sb-visually-hidden { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.sb-muted { color: var(--muted); font-weight: normal; }
.sb-topbar { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .5rem 1rem; background: #3f0e40; color: #fff; }
.sb-topbar__title { font-size: 1rem; margin: 0; flex: 1 1 auto; }
.sb-topbar .sb-muted { color: #d8c9d8; }
.sb-viewer { display: flex; gap: .4rem; align-items: center; }
.sb-layout { display: grid; grid-template-columns: 14rem 1fr; min-height: calc(100vh - 3rem); }
.sb-nav { background: #f4ede4; padding: .75rem; border-right: 1px solid var(--border); }
.sb-nav__title { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 .4rem; }
.sb-nav__list { list-style: none; margin: 0; padding: 0; }
.sb-nav__list a { display: block; padding: .25rem .5rem; border-radius: 6px; color: inherit; text-decoration: none; }
.sb-nav__list a[aria-current="page"] { background: var(--accent); color: #fff; }
.sb-main { display: flex; flex-direction: column; min-width: 0; padding: .5rem 1rem 1rem; }
.sb-channel-title { font-size: 1.1rem; margin: .25rem 0 .5rem; }
.sb-banner:empty { display: none; }
.sb-status { background: #fff8e1; border: 1px solid #f2c94c; border-radius: 6px; padding: .4rem .6rem; margin: 0 0 .5rem; }
.sb-messages { flex: 1 1 auto; display: flex; flex-direction: column; gap: .25rem; }
.sb-message { border-radius: 6px; padding: .5rem .6rem; }
.sb-message:hover { background: var(--bg-soft); }
.sb-message[data-ephemeral="true"] { border-left: 3px solid #c3c3c3; background: #fbfbfb; }
.sb-message--reply { margin-left: 1rem; border-left: 2px solid var(--border); }
.sb-message__header { display: flex; flex-wrap: wrap; gap: .4rem; align-items: baseline; }
.sb-author { font-weight: 700; }
.sb-badge { font-size: .65rem; font-weight: 700; background: #e8e8e8; color: var(--muted); padding: 0 .25rem; border-radius: 3px; }
.sb-message time, .sb-edited, .sb-ephemeral-note, .sb-broadcast-note { color: var(--muted); font-size: .8rem; }
.sb-ephemeral-note, .sb-broadcast-note { margin: 0; }
.sb-app-error { color: var(--danger); font-size: .85rem; margin: .25rem 0 0; }
.sb-block { margin: .3rem 0; }
.sb-header { font-size: 1.05rem; }
.sb-section { display: flex; gap: .75rem; align-items: flex-start; justify-content: space-between; }
.sb-section__main { min-width: 0; flex: 1 1 auto; }
.sb-section__fields { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: .4rem 1rem; margin-top: .3rem; }
.sb-context { color: var(--muted); font-size: .8rem; }
.sb-divider { border: 0; border-top: 1px solid var(--border); }
.sb-actions { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; }
.sb-button { border: 1px solid #bbb; background: #fff; border-radius: 6px; padding: .3rem .8rem; cursor: pointer; font-weight: 600; }
.sb-button:focus-visible, .sb-overflow__toggle:focus-visible, [role="menuitem"]:focus-visible { outline: 3px solid #1d9bd1; outline-offset: 1px; }
.sb-button--primary { background: var(--primary); border-color: var(--primary); color: #fff; }
.sb-button--danger { background: var(--danger); border-color: var(--danger); color: #fff; }
.sb-button[disabled] { opacity: .5; cursor: not-allowed; }
.sb-overflow { position: relative; display: inline-block; }
.sb-overflow__toggle { border: 1px solid #bbb; background: #fff; border-radius: 6px; padding: .3rem .6rem; cursor: pointer; }
.sb-overflow__menu { position: absolute; right: 0; z-index: 10; min-width: 12rem; list-style: none; margin: .25rem 0 0; padding: .25rem 0; background: #fff; border: 1px solid var(--border); border-radius: 6px; box-shadow: 0 4px 12px rgba(0,0,0,.15); }
.sb-overflow__menu button { display: block; width: 100%; text-align: left; border: 0; background: none; padding: .35rem .8rem; cursor: pointer; }
.sb-overflow__menu button:hover, .sb-overflow__menu button:focus { background: var(--accent); color: #fff; }
.sb-image { color: var(--muted); font-style: italic; }
.sb-pre { background: var(--bg-soft); border: 1px solid var(--border); border-radius: 4px; padding: .4rem; white-space: pre-wrap; }
code { background: var(--bg-soft); border: 1px solid var(--border); border-radius: 3px; padding: 0 .2rem; color: #c01343; }
blockquote { margin: .2rem 0; padding-left: .6rem; border-left: 4px solid #ddd; }
.sb-mention { background: #e8f5fa; color: var(--accent); border-radius: 3px; padding: 0 .15rem; }
.sb-thread summary { cursor: pointer; color: var(--accent); font-size: .85rem; }
.sb-reply-button { border: 0; background: none; color: var(--accent); font-size: .8rem; cursor: pointer; padding: 0; }
.sb-composer { display: grid; grid-template-columns: 1fr auto; gap: .4rem; margin-top: .75rem; position: sticky; bottom: 0; background: #fff; padding-top: .4rem; }
.sb-composer textarea { width: 100%; border: 1px solid #bbb; border-radius: 6px; padding: .4rem; resize: vertical; }
.sb-composer__status { grid-column: 1 / -1; margin: 0; color: var(--muted); font-size: .85rem; min-height: 1.2em; }
.sb-thread-target { grid-column: 1 / -1; margin: 0; font-size: .85rem; }
.sb-modal { border: 0; border-radius: 8px; padding: 0; width: min(34rem, 96vw); box-shadow: 0 10px 40px rgba(0,0,0,.3); }
.sb-modal::backdrop { background: rgba(0,0,0,.45); }
.sb-modal__form, .sb-confirm form { padding: 1rem; }
.sb-modal__header h2, .sb-confirm h2 { margin: 0 0 .5rem; font-size: 1.15rem; }
.sb-modal__footer { display: flex; justify-content: flex-end; gap: .5rem; margin-top: 1rem; }
.sb-input { display: flex; flex-direction: column; gap: .25rem; margin: .6rem 0; }
.sb-input input, .sb-input select, .sb-input textarea { border: 1px solid #bbb; border-radius: 6px; padding: .35rem; }
.sb-input [aria-invalid="true"] { border-color: var(--danger); }
.sb-control-label { font-weight: 600; }
.sb-choices { border: 0; padding: 0; margin: 0; }
.sb-hint { color: var(--muted); font-size: .8rem; margin: 0; }
.sb-optional { color: var(--muted); font-weight: normal; }
.sb-field-error { color: var(--danger); font-size: .85rem; margin: 0; }
.sb-simple { max-width: 36rem; margin: 2rem auto; padding: 0 1rem; }
.sb-simple form { display: flex; flex-direction: column; gap: .6rem; }
@media (max-width: 640px) {
  .sb-layout { grid-template-columns: 1fr; grid-template-rows: auto 1fr; }
  .sb-nav { border-right: 0; border-bottom: 1px solid var(--border); }
  .sb-nav__list { display: flex; flex-wrap: wrap; gap: .25rem; }
  .sb-section { flex-direction: column; }
}
`;

export const PAGE_SCRIPT = `
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("sb-config").textContent);
  var version = config.version;
  var modalSig = config.modal ? config.modal.sig : null;
  var threadTarget = null;
  var openThreads = {};
  var polling = false;
  var messagesEl = document.getElementById("messages");
  var statusEl = document.getElementById("composer-status");
  var modalEl = document.getElementById("modal");

  function api(path, body) {
    body.as = config.viewerId;
    return fetch("/client/api/" + path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (json) { json.httpStatus = response.status; return json; });
    });
  }

  function setStatus(text) { statusEl.textContent = text || ""; }

  function reportFailure(result) {
    if (result && result.ok === false && result.message) setStatus(result.message);
  }

  function articleOf(element) { return element.closest("article.sb-message"); }

  function topArticleTs(element) {
    var article = articleOf(element);
    while (article && article.parentElement && articleOf(article.parentElement)) article = articleOf(article.parentElement);
    return article ? article.getAttribute("data-ts") : null;
  }

  function rememberThreads() {
    messagesEl.querySelectorAll("details.sb-thread").forEach(function (details) {
      openThreads[details.getAttribute("data-thread-of")] = details.open;
    });
  }

  function restoreThreads(root) {
    root.querySelectorAll("details.sb-thread").forEach(function (details) {
      if (openThreads[details.getAttribute("data-thread-of")]) details.open = true;
    });
  }

  function fromHtml(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content.firstElementChild;
  }

  function focusKey(element) {
    if (!element || !element.getAttribute) return null;
    return element.getAttribute("data-action-id") || element.id || null;
  }

  function applyMessages(messages) {
    rememberThreads();
    var active = document.activeElement;
    var activeArticle = active && messagesEl.contains(active) ? topArticleTs(active) : null;
    var activeKey = focusKey(active);
    var existing = {};
    Array.prototype.forEach.call(messagesEl.children, function (child) { existing[child.getAttribute("data-ts")] = child; });
    var previous = null;
    messages.forEach(function (message) {
      var current = existing[message.ts];
      delete existing[message.ts];
      if (!current || current.getAttribute("data-sig") !== message.sig) {
        var fresh = fromHtml(message.html);
        fresh.setAttribute("data-sig", message.sig);
        restoreThreads(fresh);
        if (current) current.replaceWith(fresh); else messagesEl.insertBefore(fresh, previous ? previous.nextSibling : messagesEl.firstChild);
        if (activeArticle === message.ts && activeKey) {
          var again = fresh.querySelector('[data-action-id="' + CSS.escape(activeKey) + '"]') || document.getElementById(activeKey);
          if (again) again.focus();
        }
        current = fresh;
      } else if (previous ? current.previousElementSibling !== previous : current !== messagesEl.firstElementChild) {
        messagesEl.insertBefore(current, previous ? previous.nextSibling : messagesEl.firstChild);
      }
      previous = current;
    });
    Object.keys(existing).forEach(function (ts) { existing[ts].remove(); });
  }

  function applyModal(modal) {
    if (!modal) {
      modalSig = null;
      if (modalEl.open) modalEl.close();
      modalEl.innerHTML = "";
      return;
    }
    if (modal.sig === modalSig && modalEl.open) return;
    modalSig = modal.sig;
    modalEl.innerHTML = modal.html;
    if (!modalEl.open) modalEl.showModal();
    var invalid = modalEl.querySelector('[aria-invalid="true"]');
    var first = invalid || modalEl.querySelector("input, textarea, select, button[type=submit]");
    if (first) first.focus();
  }

  function applyView(view) {
    version = view.version;
    var nav = document.getElementById("channel-nav");
    if (nav.innerHTML !== view.nav) nav.innerHTML = view.nav;
    var banner = document.getElementById("banner");
    if (banner.innerHTML !== view.banner) banner.innerHTML = view.banner;
    document.getElementById("composer-text").disabled = !view.canPost;
    document.getElementById("composer-send").disabled = !view.canPost;
    applyMessages(view.messages);
    applyModal(view.modal);
  }

  function poll() {
    if (polling) return Promise.resolve();
    polling = true;
    var url = "/client/" + encodeURIComponent(config.channelId) + "/state?as=" + encodeURIComponent(config.viewerId) + "&since=" + version;
    return fetch(url).then(function (response) { return response.json(); }).then(function (view) {
      if (!view.unchanged) applyView(view);
    }).catch(function () {}).then(function () { polling = false; });
  }

  setInterval(poll, 1000);
  Array.prototype.forEach.call(messagesEl.children, function (article) {
    article.setAttribute("data-sig", config.signatures[article.getAttribute("data-ts")] || "");
  });
  poll();
  if (config.modal) { modalSig = null; applyModal(config.modal); }

  function confirmFirst(element) {
    var raw = element.getAttribute("data-confirm");
    if (!raw) return Promise.resolve(true);
    var confirm = JSON.parse(raw);
    var dialog = document.getElementById("confirm-dialog");
    document.getElementById("confirm-title").textContent = confirm.title && confirm.title.text || "Are you sure?";
    document.getElementById("confirm-text").textContent = confirm.text && confirm.text.text || "";
    document.getElementById("confirm-ok").textContent = confirm.confirm && confirm.confirm.text || "Confirm";
    document.getElementById("confirm-deny").textContent = confirm.deny && confirm.deny.text || "Cancel";
    dialog.returnValue = "";
    dialog.showModal();
    return new Promise(function (resolve) {
      dialog.addEventListener("close", function () { resolve(dialog.returnValue === "confirm"); }, { once: true });
    });
  }

  function collectSelection(control) {
    var type = control.getAttribute("data-element-type") || "";
    if (control.tagName === "FIELDSET") {
      var checked = Array.prototype.map.call(control.querySelectorAll("input:checked"), function (input) { return input.value; });
      return type === "checkboxes" ? { selectedValues: checked } : { selectedOptionValue: checked[0] };
    }
    if (control.tagName === "SELECT" && control.multiple) {
      return { selectedValues: Array.prototype.map.call(control.selectedOptions, function (option) { return option.value; }) };
    }
    return { selectedOptionValue: control.value };
  }

  function viewValues(form) {
    var values = {};
    form.querySelectorAll('[data-kind="input"]').forEach(function (control) {
      var blockId = control.getAttribute("data-block-id");
      var actionId = control.getAttribute("data-action-id");
      var selection = collectSelection(control);
      values[blockId] = values[blockId] || {};
      values[blockId][actionId] = selection.selectedValues ? { values: selection.selectedValues } : { value: selection.selectedOptionValue };
    });
    return values;
  }

  function sendAction(element, selection) {
    var holder = element.closest("[data-action-id]");
    var body = Object.assign({ actionId: holder.getAttribute("data-action-id"), blockId: holder.getAttribute("data-block-id") }, selection || {});
    var form = element.closest("form.sb-modal__form");
    var request;
    if (form) {
      body.viewId = form.getAttribute("data-view-id");
      body.values = viewValues(form);
      request = api("view-action", body);
    } else {
      body.channelId = config.channelId;
      body.messageTs = articleOf(element).getAttribute("data-ts");
      request = api("action", body);
    }
    return request.then(function (result) { reportFailure(result); return poll(); });
  }

  function closeMenus(except) {
    document.querySelectorAll(".sb-overflow__menu").forEach(function (menu) {
      if (menu === except) return;
      menu.hidden = true;
      var toggle = menu.parentElement.querySelector(".sb-overflow__toggle");
      if (toggle) toggle.setAttribute("aria-expanded", "false");
    });
  }

  function openMenu(toggle, focusLast) {
    var menu = document.getElementById(toggle.getAttribute("aria-controls"));
    closeMenus(menu);
    menu.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    var items = menu.querySelectorAll('[role="menuitem"]');
    if (items.length) items[focusLast ? items.length - 1 : 0].focus();
  }

  function closeMenu(menu, focusToggle) {
    menu.hidden = true;
    var toggle = menu.parentElement.querySelector(".sb-overflow__toggle");
    toggle.setAttribute("aria-expanded", "false");
    if (focusToggle) toggle.focus();
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest("button, a");
    if (!target || target.disabled) { closeMenus(null); return; }

    if (target.classList.contains("sb-overflow__toggle")) {
      if (target.getAttribute("aria-expanded") === "true") closeMenu(document.getElementById(target.getAttribute("aria-controls")), false);
      else openMenu(target, false);
      return;
    }
    if (target.getAttribute("role") === "menuitem") {
      var menu = target.closest('[role="menu"]');
      closeMenu(menu, true);
      confirmFirst(target).then(function (confirmed) {
        if (confirmed) sendAction(target, { selectedOptionValue: target.getAttribute("data-option-value") });
      });
      return;
    }
    closeMenus(null);
    if (target.getAttribute("data-kind") === "button") {
      confirmFirst(target).then(function (confirmed) { if (confirmed) sendAction(target, {}); });
      return;
    }
    if (target.id === "add-bot") { api("add-bot", { channelId: config.channelId }).then(function (result) { reportFailure(result); poll(); }); return; }
    if (target.id === "join-channel") { api("join", { channelId: config.channelId }).then(function (result) { reportFailure(result); poll(); }); return; }
    if (target.id === "uninstall-app") {
      target.disabled = true;
      api("uninstall", {}).then(function (result) { reportFailure(result); if (result.ok) setStatus("The app was uninstalled."); poll(); });
      return;
    }
    if (target.classList.contains("sb-reply-button")) {
      threadTarget = target.getAttribute("data-thread-ts");
      document.getElementById("thread-target").hidden = false;
      document.getElementById("composer-text").focus();
      return;
    }
    if (target.id === "cancel-thread") {
      threadTarget = null;
      document.getElementById("thread-target").hidden = true;
      return;
    }
    if (target.hasAttribute("data-modal-close")) {
      var form = target.closest("form.sb-modal__form");
      api("view-close", { viewId: form.getAttribute("data-view-id") }).then(function (result) { reportFailure(result); poll(); });
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target.classList && target.classList.contains("sb-overflow__toggle") && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      openMenu(target, event.key === "ArrowUp");
      return;
    }
    if (target.getAttribute && target.getAttribute("role") === "menuitem") {
      var menu = target.closest('[role="menu"]');
      var items = Array.prototype.slice.call(menu.querySelectorAll('[role="menuitem"]'));
      var index = items.indexOf(target);
      if (event.key === "ArrowDown") { event.preventDefault(); items[(index + 1) % items.length].focus(); }
      else if (event.key === "ArrowUp") { event.preventDefault(); items[(index - 1 + items.length) % items.length].focus(); }
      else if (event.key === "Home") { event.preventDefault(); items[0].focus(); }
      else if (event.key === "End") { event.preventDefault(); items[items.length - 1].focus(); }
      else if (event.key === "Escape") { event.preventDefault(); closeMenu(menu, true); }
      else if (event.key === "Tab") { closeMenu(menu, false); }
      return;
    }
    if (target.id === "composer-text" && event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      document.getElementById("composer").requestSubmit();
    }
  });

  document.addEventListener("change", function (event) {
    var control = event.target.closest('[data-kind="control"]');
    if (!control) return;
    var selection = collectSelection(control);
    if (selection.selectedOptionValue === "") return;
    sendAction(control, selection);
  });

  document.getElementById("viewer-select").addEventListener("change", function (event) {
    event.target.form.submit();
  });

  document.getElementById("composer").addEventListener("submit", function (event) {
    event.preventDefault();
    var textarea = document.getElementById("composer-text");
    var text = textarea.value;
    if (!text.trim()) return;
    var body = { channelId: config.channelId, text: text };
    if (threadTarget) body.threadTs = threadTarget;
    setStatus(text.trim().charAt(0) === "/" ? "Sending command…" : "");
    api("message", body).then(function (result) {
      if (result.ok) {
        textarea.value = "";
        setStatus(result.kind === "slash_command" ? "Command sent." : "");
      } else {
        reportFailure(result);
      }
      poll();
    });
  });

  modalEl.addEventListener("submit", function (event) {
    var form = event.target.closest("form.sb-modal__form");
    if (!form) return;
    event.preventDefault();
    api("view-submit", { viewId: form.getAttribute("data-view-id"), values: viewValues(form) }).then(function (result) {
      reportFailure(result);
      modalSig = null;
      poll();
    });
  });

  modalEl.addEventListener("cancel", function (event) {
    event.preventDefault();
    var form = modalEl.querySelector("form.sb-modal__form");
    if (form) api("view-close", { viewId: form.getAttribute("data-view-id") }).then(function () { poll(); });
  });
})();
`;
