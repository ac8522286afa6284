/**
 * The workerd entry: a Hono app as a Cloudflare Worker, bundled by esbuild with the conditions
 * wrangler uses (workerd, worker, browser), so `sealed-session` resolves as it does for Workers users.
 *
 * - /hono/*: the sealed-session/hono middleware (`c.get('session')`);
 * - /fetch/*: getSession of sealed-session/fetch inside a Hono route (`c.req.raw`);
 * - POST /checks, POST /open, GET /bench: the shared checks (checks.mjs).
 *
 * No key is made at module scope: Workers forbid random values outside a request.
 */
import { Hono } from 'hono';
import * as lib from 'sealed-session';
import * as web from 'sealed-session/web';
import { session } from 'sealed-session/hono';
import { getSession } from 'sealed-session/fetch';
import { webRuntime } from './node_modules/sealed-session/dist/crypto/web.js';
import { benchLoop, openParityTokens, runChecks } from './checks.mjs';
import { route } from './e2e.mjs';
import { vectors } from './vectors.mjs';

// A fixed test key: module scope cannot draw a random one.
const config = lib.defineSession({ name: 'sid', keys: lib.createKeyring([{ id: 'w1', secret: '0123456789abcdef0123456789abcdef-workerd' }]) });
const app = new Hono();

app.use('/hono/*', session(config));
app.get('/hono/*', (c) => c.text(route(c.req.path.slice('/hono'.length), c.get('session'))));

app.get('/fetch/*', async (c) => {
  const { session: current, commit } = await getSession(c.req.raw, config);
  return commit(c.text(route(c.req.path.slice('/fetch'.length), current)));
});

const runtime = () => ({ runtime: 'workerd', userAgent: navigator.userAgent });
app.post('/checks', async (c) => c.json({ ok: true, ...runtime(), ...(await runChecks({ lib, web, primitives: webRuntime, vectors, bench: false })) }));
app.post('/open', async (c) => c.json({ ok: true, ...runtime(), opened: await openParityTokens(lib, await c.req.json()) }));
// Time does not advance inside a Worker between I/O (a Spectre mitigation), so the caller times this.
app.get('/bench', async (c) => {
  await benchLoop(lib, c.req.query('op'), Number(c.req.query('runs')));
  return c.text('done');
});
app.onError((error, c) => c.json({ ok: false, error: String(error?.stack ?? error) }, 500));

export default app;
