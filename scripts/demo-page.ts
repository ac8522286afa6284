/**
 * The demo's one page (scripts/demo.ts): plain HTML and two POST forms, no client JavaScript. Every
 * value that comes from a request is escaped: the signed-in name is user input.
 */

/** What the page shows about a request's session and the cookie that carried it. */
export interface PageView {
  /** Page views in this session, this one included. */
  readonly visits: number;
  readonly user: string | undefined;
  /** The session's entries after this request. */
  readonly entries: ReadonlyArray<readonly [string, string]>;
  /** The session cookie(s) the browser sent, `name=value` counted; undefined when it sent none. */
  readonly cookie: { readonly bytes: number; readonly count: number } | undefined;
  /** From the Session (`isNew`, `keyId`, `issuedAt`, `expiresAt`): null for a new one. */
  readonly isNew: boolean;
  readonly keyId: string | null;
  readonly issuedAt: number | null;
  readonly expiresAt: number | null;
  /** The id of the key that seals new cookies. */
  readonly currentKeyId: string;
  /** True when the key is the generated development key. */
  readonly devKey: boolean;
}

const ESCAPES: Readonly<Record<string, string>> = Object.freeze({
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
});

/** Escapes text for HTML content and quoted attribute values (OWASP XSS Prevention, rule #1 and #2). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

const time = (ms: number | null, none: string): string => (ms === null ? none : new Date(ms).toUTCString());

export function renderPage(view: PageView): string {
  const { cookie } = view;
  const sent =
    cookie === undefined
      ? 'none yet: this response sets the first one'
      : `${cookie.bytes} bytes in ${cookie.count} cookie${cookie.count === 1 ? '' : 's'}` +
        (view.isNew ? ' that did not open (tampered, expired or sealed with an unknown key): a new session' : '');
  const rows = view.entries
    .map(([key, value]) => `<tr><th>${escapeHtml(key)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('');
  const account =
    view.user === undefined
      ? `<form method="post" action="/login"><label>Name <input name="name" required maxlength="64" autofocus></label> <button>Sign in</button></form>`
      : `<p>Signed in as <strong>${escapeHtml(view.user)}</strong></p><form method="post" action="/logout"><button>Sign out</button></form>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sealed-session demo</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; } th, td { text-align: left; padding: .2rem 1rem .2rem 0; vertical-align: top; }
code, td { font-family: ui-monospace, monospace; word-break: break-all; } .warn { background: #fff3cd; padding: .5rem 1rem; }
</style>
</head>
<body>
<h1>sealed-session demo</h1>
${view.devKey ? '<p class="warn">Sealed with a development key from <code>.demo-key</code>. Production needs its own key: <code>SESSION_KEY</code>.</p>' : ''}
<p>Visits in this session: <strong id="visits">${view.visits}</strong></p>
${account}
<h2>The session</h2>
<table>${rows}</table>
<h2>The cookie your browser sent</h2>
<table>
<tr><th>Size</th><td>${escapeHtml(sent)}</td></tr>
<tr><th>Sealed with key</th><td>${escapeHtml(view.keyId ?? '-')}</td></tr>
<tr><th>Issued</th><td>${time(view.issuedAt, '-')}</td></tr>
<tr><th>Expires</th><td>${time(view.expiresAt, view.isNew ? '-' : 'never')}</td></tr>
</table>
<p>This response seals the session again with key <code>${escapeHtml(view.currentKeyId)}</code> (the visit count changed): reload to see the new cookie.</p>
</body>
</html>
`;
}
