import type { Connection } from './connections.ts';
import type { ConnectionStatus } from './mcp.ts';

/** Escapes text for HTML bodies and attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A tagged template that escapes every interpolated value unless it is already `Html`. */
export class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const parts = Array.isArray(value) ? value : [value];
    for (const part of parts)
      out += part instanceof Html ? part.value : escapeHtml(String(part ?? ''));
    out += strings[i + 1] ?? '';
  });
  return new Html(out);
}

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 46rem; color: #1b1f24; padding: 0 1rem; }
header { display: flex; justify-content: space-between; align-items: baseline; border-bottom: 1px solid #d0d7de; margin-bottom: 1rem; }
h1 { font-size: 1.3rem; margin: 0 0 .5rem; }
table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid #eaeef2; vertical-align: top; }
form.inline { display: inline; }
input[type=text], input[type=url] { padding: .35rem; width: 24rem; max-width: 100%; }
button { padding: .35rem .8rem; cursor: pointer; }
.status-connected { color: #1a7f37; } .status-expired { color: #9a6700; } .status-needs_authorization { color: #cf222e; }
pre { background: #f6f8fa; padding: .8rem; border-radius: 6px; white-space: pre-wrap; word-break: break-all; }
.error { border: 1px solid #cf222e; background: #ffebe9; padding: .8rem; border-radius: 6px; }
footer { margin-top: 2rem; color: #57606a; font-size: .85rem; }
`;

/** The page frame; `instance` names the process that rendered it (the demo's point). */
export function layout(title: string, instance: string, user: string | undefined, body: Html) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title} · MCP web gateway</title>
<link rel="icon" href="data:,">
<style>${new Html(STYLE)}</style>
</head>
<body>
<header>
  <h1><a href="/">MCP web gateway</a></h1>
  ${
    user
      ? html`<span>Signed in as <strong id="user">${user}</strong>
      <form class="inline" method="post" action="/signout"><button>Sign out</button></form></span>`
      : ''
  }
</header>
<main>${body}</main>
<footer>Served by <span id="instance">${instance}</span></footer>
</body>
</html>`.value;
}

export function signInPage() {
  return html`<h2>Sign in</h2>
<p>This example's own sign-in is deliberately trivial: any name will do.</p>
<form method="post" action="/signin">
  <label>Your name <input type="text" name="name" required maxlength="64" autofocus></label>
  <button id="signin">Sign in</button>
</form>`;
}

function statusText(status: ConnectionStatus): Html {
  const until = (ms: number | undefined) =>
    ms === undefined
      ? ''
      : html` until <time datetime="${new Date(ms).toISOString()}">${new Date(ms).toISOString().slice(11, 19)} UTC</time>`;
  switch (status.state) {
    case 'connected':
      return html`<span class="status-connected" data-status="connected" data-expires-at="${status.info.expiresAt ?? ''}">connected; access token${until(status.info.expiresAt)}${status.info.hasRefreshToken ? ', then renewed' : ''}</span>`;
    case 'expired':
      return html`<span class="status-expired" data-status="expired" data-expires-at="${status.info.expiresAt ?? ''}">access token expired; refreshed on the next call</span>`;
    case 'needs_authorization':
      return html`<span class="status-needs_authorization" data-status="needs_authorization">needs authorization: connect again</span>`;
  }
}

export function homePage(
  rows: { connection: Connection; status: ConnectionStatus }[],
  defaultServerUrl: string,
) {
  return html`<h2>Your MCP servers</h2>
${
  rows.length === 0
    ? html`<p id="no-connections">No server connected yet.</p>`
    : html`<table id="connections">
<tr><th>Server</th><th>Status</th><th></th></tr>
${rows.map(
  ({ connection, status }) => html`<tr data-connection="${connection.id}">
  <td><a href="/servers/${connection.id}">${connection.serverUrl}</a></td>
  <td>${statusText(status)}</td>
  <td><a href="/servers/${connection.id}">open</a></td>
</tr>`,
)}
</table>`
}
<h2>Connect a server</h2>
<form method="post" action="/connect">
  <input type="url" name="serverUrl" value="${defaultServerUrl}" required>
  <button id="connect">Connect</button>
</form>
<p>You will be sent to the server's authorization server to consent, then back here.</p>`;
}

export function connectionPage(
  connection: Connection,
  status: ConnectionStatus,
  result?: { tool: string; text: string } | { tool: string; error: string },
) {
  return html`<h2>${connection.serverUrl}</h2>
<table>
<tr><th>Status</th><td id="status">${statusText(status)}</td></tr>
<tr><th>Scope</th><td>${status.state === 'needs_authorization' ? '' : (status.info.scope ?? '')}</td></tr>
<tr><th>Authorization</th><td>started on <span id="started-on">${connection.startedOn}</span>, completed on <span id="completed-on">${connection.completedOn}</span></td></tr>
</table>
<p>
  <form class="inline" method="post" action="/servers/${connection.id}/call">
    <input type="hidden" name="tool" value="whoami">
    <button id="call">Call whoami</button>
  </form>
  <form class="inline" method="post" action="/servers/${connection.id}/disconnect">
    <button id="disconnect">Disconnect</button>
  </form>
</p>
${
  result === undefined
    ? ''
    : 'text' in result
      ? html`<h3>Result of ${result.tool}</h3><pre id="result">${result.text}</pre>`
      : html`<div class="error" id="result-error"><strong>${result.tool} failed.</strong> ${result.error}</div>`
}`;
}

export function errorPage(message: string, detail?: string) {
  return html`<div class="error" id="error"><strong>${message}</strong>${detail ? html`<p>${detail}</p>` : ''}</div>
<p><a href="/">Back to your servers</a></p>`;
}
