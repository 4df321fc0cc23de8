import { person } from "../seed";
import type { FakePagerDutyApp } from "./app";
import { incidentSummary, restTime } from "./render";
import type { IncidentRecord, UserRecord } from "./state";

// The sandbox's web pages: the incident list with a trigger form, one page per incident (its
// html_url) with action forms, and a plain JSON view for the html_url of other objects.
// Forms post to the control API, which runs the same code as the REST API.

export function escapeHtml(value: unknown): string {
  return String(value).replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

const STYLE = `
  :root { color-scheme: light; font-family: system-ui, sans-serif; line-height: 1.45; }
  body { margin: 0; background: #f6f7f8; color: #1b1d1f; }
  header { background: #06ac38; color: #fff; padding: .75rem 1rem; }
  header a { color: #fff; font-weight: 700; text-decoration: none; }
  main { max-width: 62rem; margin: 0 auto; padding: 1rem; }
  section { background: #fff; border: 1px solid #d6d9dc; border-radius: .5rem; padding: 1rem; margin-bottom: 1rem; }
  h1 { font-size: 1.4rem; margin: .25rem 0 1rem; } h2 { font-size: 1.1rem; margin-top: 0; }
  label { display: block; font-weight: 600; margin-top: .6rem; }
  input, select, textarea, button { font: inherit; max-width: 100%; }
  input[type=text], select, textarea { width: 100%; box-sizing: border-box; padding: .4rem; border: 1px solid #8a9096; border-radius: .3rem; }
  button { margin-top: .75rem; margin-right: .4rem; padding: .45rem .9rem; border-radius: .3rem; border: 1px solid #1b1d1f; background: #fff; cursor: pointer; }
  button.primary { background: #1b1d1f; color: #fff; }
  .table-wrap { overflow-x: auto; }
  table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .4rem; border-bottom: 1px solid #e3e5e7; vertical-align: top; }
  .status { font-weight: 700; } .status-triggered { color: #b3261e; } .status-acknowledged { color: #8a5a00; } .status-resolved { color: #16794a; }
  [role=alert] { background: #fdecea; border: 1px solid #b3261e; padding: .6rem; border-radius: .3rem; }
  [role=status] { background: #e8f5ee; border: 1px solid #16794a; padding: .6rem; border-radius: .3rem; }
  dl { display: grid; grid-template-columns: auto minmax(0, 1fr); gap: .3rem 1rem; } dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; }
  pre { white-space: pre-wrap; word-break: break-word; background: #f0f1f2; padding: .75rem; border-radius: .3rem; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  .row { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; } .row > div { flex: 1 1 12rem; }
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Fake PagerDuty</title>
<style>${STYLE}</style>
</head>
<body>
<header><a href="/">Fake PagerDuty</a> · sandbox</header>
<main>
${body}
</main>
</body>
</html>`;
}

/** Messages passed back by the control API after a form post. */
export interface PageMessages {
  notice?: string;
  error?: string;
  /** Email of the user the forms should act as, preselected again after a post. */
  actingEmail?: string;
}

function messagesHtml(messages: PageMessages): string {
  let html = "";
  if (messages.error) html += `<p role="alert">${escapeHtml(messages.error)}</p>`;
  if (messages.notice) html += `<p role="status">${escapeHtml(messages.notice)}</p>`;
  return html;
}

function userOptions(users: Iterable<UserRecord>, selectedEmail: string): string {
  return [...users]
    .map((user) => `<option value="${escapeHtml(user.email)}"${user.email === selectedEmail ? " selected" : ""}>${escapeHtml(`${user.name} (${user.role})`)}</option>`)
    .join("");
}

function statusHtml(status: string): string {
  return `<span class="status status-${escapeHtml(status)}">${escapeHtml(status)}</span>`;
}

function userNames(app: FakePagerDutyApp, userIds: string[]): string {
  if (userIds.length === 0) return "nobody";
  return userIds.map((userId) => escapeHtml(app.account.users.get(userId)?.name ?? userId)).join(", ");
}

/** GET /: the incident list, the trigger form, the webhook subscriptions and recent deliveries. */
export function renderHomePage(app: FakePagerDutyApp, messages: PageMessages): string {
  const { account } = app;
  const actingEmail = messages.actingEmail ?? person("owner").email;
  const incidents = [...account.incidents.values()].reverse();

  const serviceOptions = [...account.services.values()].map((service) => `<option value="${escapeHtml(service.id)}">${escapeHtml(service.name)}</option>`).join("");
  const triggerForm = `
<section aria-labelledby="trigger-heading">
  <h2 id="trigger-heading">Trigger an incident</h2>
  <form method="post" action="/_sandbox/trigger">
    <input type="hidden" name="returnTo" value="/">
    <div class="row">
      <div><label for="trigger-service">Service</label><select id="trigger-service" name="serviceId" required>${serviceOptions}</select></div>
      <div><label for="trigger-urgency">Urgency</label><select id="trigger-urgency" name="urgency"><option value="high">high</option><option value="low">low</option></select></div>
      <div><label for="trigger-from">Acting as</label><select id="trigger-from" name="fromEmail">${userOptions(account.users.values(), actingEmail)}</select></div>
    </div>
    <label for="trigger-title">Title</label>
    <input type="text" id="trigger-title" name="title" required maxlength="1024" placeholder="e.g. Checkout API error rate above 5%">
    <label for="trigger-description">Description (optional)</label>
    <textarea id="trigger-description" name="description" rows="3"></textarea>
    <button type="submit" class="primary">Trigger incident</button>
  </form>
</section>`;

  const incidentRows = incidents
    .map(
      (incident) => `<tr>
  <td>${incident.number}</td>
  <td><a href="/incidents/${escapeHtml(incident.id)}">${escapeHtml(incident.title)}</a></td>
  <td>${escapeHtml(account.services.get(incident.serviceId)?.name ?? incident.serviceId)}</td>
  <td>${statusHtml(incident.status)}</td>
  <td>${escapeHtml(incident.urgency)}</td>
  <td>${userNames(app, incident.assignments.map((assignment) => assignment.userId))}</td>
  <td><time datetime="${escapeHtml(incident.createdAt)}">${escapeHtml(restTime(incident.createdAt))}</time></td>
</tr>`,
    )
    .join("");
  const incidentTable = `
<section aria-labelledby="incidents-heading">
  <h2 id="incidents-heading">Incidents</h2>
  <p><a href="/">Refresh</a></p>
  ${
    incidents.length === 0
      ? "<p>No incidents yet. Trigger one above, or call POST /incidents.</p>"
      : `<div class="table-wrap"><table>
  <caption class="visually-hidden">Incidents, newest first</caption>
  <thead><tr><th scope="col">#</th><th scope="col">Title</th><th scope="col">Service</th><th scope="col">Status</th><th scope="col">Urgency</th><th scope="col">Assigned to</th><th scope="col">Created</th></tr></thead>
  <tbody>${incidentRows}</tbody>
</table></div>`
  }
</section>`;

  return layout("Incidents", `<h1>Incidents</h1>${messagesHtml(messages)}${triggerForm}${incidentTable}${subscriptionsHtml(app)}${deliveriesHtml(app)}`);
}

function subscriptionsHtml(app: FakePagerDutyApp): string {
  const subscriptions = [...app.account.subscriptions.values()];
  const items = subscriptions
    .map((subscription) => {
      let state = "active";
      if (!subscription.active) state = "inactive";
      else if (subscription.temporarilyDisabled) state = "temporarily disabled after repeated failures";
      const enable = subscription.temporarilyDisabled
        ? `<form method="post" action="/_sandbox/webhook-subscriptions/${escapeHtml(subscription.id)}/enable"><input type="hidden" name="returnTo" value="/"><button type="submit">Enable ${escapeHtml(subscription.id)} again</button></form>`
        : "";
      const filter = subscription.filter.type === "account_reference" ? "whole account" : `${subscription.filter.type.replace("_reference", "")} ${subscription.filter.id}`;
      return `<li><strong>${escapeHtml(subscription.id)}</strong> → <code>${escapeHtml(subscription.url)}</code> (${escapeHtml(filter)}, ${subscription.events.length} event types): ${escapeHtml(state)}${enable}</li>`;
    })
    .join("");
  return `
<section aria-labelledby="subscriptions-heading">
  <h2 id="subscriptions-heading">Webhook subscriptions</h2>
  ${subscriptions.length === 0 ? "<p>None. Start the fake with webhookUrl, or call POST /webhook_subscriptions.</p>" : `<ul>${items}</ul>`}
</section>`;
}

function deliveriesHtml(app: FakePagerDutyApp): string {
  const recent = app.dispatcher.attempts.slice(-20).reverse();
  const rows = recent
    .map(
      (attempt) => `<tr>
  <td><time datetime="${escapeHtml(attempt.at)}">${escapeHtml(restTime(attempt.at))}</time></td>
  <td>${escapeHtml(attempt.eventType)}</td>
  <td>${attempt.attempt}</td>
  <td>${attempt.statusCode ?? "none"}</td>
  <td>${escapeHtml(attempt.outcome)}</td>
  <td>${escapeHtml(attempt.error ?? "")}</td>
</tr>`,
    )
    .join("");
  return `
<section aria-labelledby="deliveries-heading">
  <h2 id="deliveries-heading">Recent webhook deliveries</h2>
  ${
    recent.length === 0
      ? "<p>No webhooks sent yet.</p>"
      : `<div class="table-wrap"><table>
  <thead><tr><th scope="col">Time</th><th scope="col">Event</th><th scope="col">Attempt</th><th scope="col">HTTP status</th><th scope="col">Outcome</th><th scope="col">Error</th></tr></thead>
  <tbody>${rows}</tbody>
</table></div>`
  }
  <p>Full log as JSON: <a href="/_sandbox/webhook-deliveries">/_sandbox/webhook-deliveries</a></p>
</section>`;
}

/** GET /incidents/{id} in a browser: the incident's html_url, with forms to act on it. */
export function renderIncidentPage(app: FakePagerDutyApp, incident: IncidentRecord, messages: PageMessages): string {
  const { account } = app;
  const actingEmail = messages.actingEmail ?? person("owner").email;
  const policy = account.escalationPolicies.get(incident.escalationPolicyId);
  const priority = incident.priorityId ? account.priorities.get(incident.priorityId) : undefined;
  const returnTo = `/incidents/${incident.id}`;
  const base = `/_sandbox/incidents/${encodeURIComponent(incident.id)}`;

  const details = `
<section aria-labelledby="details-heading">
  <h2 id="details-heading">Details</h2>
  <dl>
    <dt>Status</dt><dd>${statusHtml(incident.status)}</dd>
    <dt>Urgency</dt><dd>${escapeHtml(incident.urgency)}</dd>
    <dt>Priority</dt><dd>${escapeHtml(priority ? `${priority.name} (${priority.description})` : "none")}</dd>
    <dt>Service</dt><dd>${escapeHtml(account.services.get(incident.serviceId)?.name ?? incident.serviceId)}</dd>
    <dt>Escalation policy</dt><dd>${escapeHtml(policy?.name ?? incident.escalationPolicyId)}, level ${incident.escalationLevel}</dd>
    <dt>Assigned to</dt><dd>${userNames(app, incident.assignments.map((assignment) => assignment.userId))}</dd>
    <dt>Acknowledged by</dt><dd>${userNames(app, incident.acknowledgements.map((ack) => ack.userId))}</dd>
    <dt>Created</dt><dd><time datetime="${escapeHtml(incident.createdAt)}">${escapeHtml(restTime(incident.createdAt))}</time></dd>
    <dt>Incident key</dt><dd><code>${escapeHtml(incident.incidentKey)}</code></dd>
    <dt>ID</dt><dd><code>${escapeHtml(incident.id)}</code></dd>
    ${incident.bodyDetails ? `<dt>Description</dt><dd>${escapeHtml(incident.bodyDetails)}</dd>` : ""}
  </dl>
</section>`;

  const levels = (policy?.rules ?? []).map((_, index) => `<option value="${index + 1}"${index + 1 === incident.escalationLevel ? " selected" : ""}>Level ${index + 1}</option>`).join("");
  const priorities = [...account.priorities.values()]
    .map((candidate) => `<option value="${escapeHtml(candidate.id)}"${candidate.id === incident.priorityId ? " selected" : ""}>${escapeHtml(`${candidate.name} (${candidate.description})`)}</option>`)
    .join("");
  // One form, several buttons: each button posts the shared fields to its own control endpoint.
  const actions = `
<section aria-labelledby="actions-heading">
  <h2 id="actions-heading">Actions</h2>
  <form method="post" action="${base}/acknowledge">
    <input type="hidden" name="returnTo" value="${escapeHtml(returnTo)}">
    <label for="action-from">Acting as</label>
    <select id="action-from" name="fromEmail">${userOptions(account.users.values(), actingEmail)}</select>
    <button type="submit" formaction="${base}/acknowledge" class="primary">Acknowledge</button>
    <button type="submit" formaction="${base}/resolve">Resolve</button>
    <button type="submit" formaction="${base}/reopen">Reopen</button>
    <button type="submit" formaction="${base}/unacknowledge">Simulate acknowledgement timeout</button>
    <label for="action-resolution">Resolution note (used by Resolve)</label>
    <input type="text" id="action-resolution" name="resolution">
    <div class="row">
      <div><label for="action-level">Escalation level</label><select id="action-level" name="escalationLevel">${levels}</select></div>
      <div><button type="submit" formaction="${base}/escalate">Escalate</button></div>
      <div><label for="action-priority">Priority</label><select id="action-priority" name="priorityId"><option value="none">none</option>${priorities}</select></div>
      <div><button type="submit" formaction="${base}/priority">Set priority</button></div>
    </div>
  </form>
</section>
<section aria-labelledby="note-heading">
  <h2 id="note-heading">Add a note</h2>
  <form method="post" action="${base}/notes">
    <input type="hidden" name="returnTo" value="${escapeHtml(returnTo)}">
    <label for="note-from">Acting as</label>
    <select id="note-from" name="fromEmail">${userOptions(account.users.values(), actingEmail)}</select>
    <label for="note-content">Note</label>
    <textarea id="note-content" name="content" rows="3" required></textarea>
    <button type="submit" class="primary">Add note</button>
  </form>
</section>`;

  const notes = account.notesOf(incident.id);
  const notesHtml = `
<section aria-labelledby="notes-heading">
  <h2 id="notes-heading">Notes</h2>
  ${
    notes.length === 0
      ? "<p>No notes.</p>"
      : `<ul>${notes
          .map((note) => `<li><strong>${escapeHtml(account.users.get(note.userId)?.name ?? note.userId)}</strong>, <time datetime="${escapeHtml(note.createdAt)}">${escapeHtml(restTime(note.createdAt))}</time>: ${escapeHtml(note.content)}</li>`)
          .join("")}</ul>`
  }
</section>`;

  const logHtml = `
<section aria-labelledby="log-heading">
  <h2 id="log-heading">Timeline</h2>
  <ol>${account
    .logEntriesOf(incident.id)
    .map((entry) => `<li><time datetime="${escapeHtml(entry.createdAt)}">${escapeHtml(restTime(entry.createdAt))}</time> ${escapeHtml(entry.summary)}${entry.note ? `: ${escapeHtml(entry.note)}` : ""}</li>`)
    .join("")}</ol>
</section>`;

  return layout(incidentSummary(incident), `<h1>${escapeHtml(incidentSummary(incident))}</h1>${messagesHtml(messages)}${details}${actions}${notesHtml}${logHtml}`);
}

/** Renders the html_url page of a service, user, team or escalation policy: its REST object as JSON. */
export function renderObjectPage(title: string, object: unknown): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><section><pre>${escapeHtml(JSON.stringify(object, null, 2))}</pre></section><p><a href="/">Back to the incidents</a></p>`);
}

export function renderNotFoundPage(message: string): string {
  return layout("Not found", `<h1>Not found</h1><p role="alert">${escapeHtml(message)}</p><p><a href="/">Back to the incidents</a></p>`);
}
