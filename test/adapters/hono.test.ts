import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono, type MiddlewareHandler } from 'hono';
import { createKeyring, type Session, type SessionOptions, type SessionStore } from 'sealed-session';
import { session, type SessionEnv, type SessionVariables } from 'sealed-session/hono';
import { createApp } from '../../examples/hono.js';
import { adapterSuite, CookieClient, type RunningApp, startedApps } from './suite.js';

/**
 * Serves a Hono app over node:http on an ephemeral loopback port, as Hono apps run on Node. Without
 * replacing the global Response (@hono/node-server's default): Node's own keeps its immutable
 * headers after `Response.redirect()`, as on Workers, Deno and Bun, which one test needs.
 */
function listen(app: { fetch: (request: Request) => Response | Promise<Response> }): Promise<RunningApp> {
  return new Promise((resolve) => {
    const server = serve(
      { fetch: app.fetch, hostname: '127.0.0.1', port: 0, overrideGlobalObjects: false },
      ({ port }) => {
        resolve({
          url: `http://127.0.0.1:${port}`,
          close: () => new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done()))),
        });
      },
    );
  });
}

adapterSuite({
  name: 'Hono',
  start(options) {
    const app = createApp(options);
    // Hono's default error handler, without its console.error of the store-failure test's expected error.
    app.onError((_error, c) => c.text('Internal Server Error', 500));
    return listen(app);
  },
});

const ROOT = new URL('../../', import.meta.url);
const EDGE_HOOK = new URL('../crypto/fixtures/edge-runtime.mjs', import.meta.url);

describe('Hono adapter specifics', () => {
  const keys = createKeyring([{ id: 'k1', secret: 'hono-specific-key-0123456789abcdefghijklm' }]);
  const options = { name: 'sid', keys, cookie: { secure: false } } as const;
  const start = startedApps(listen);

  test('options are validated when the middleware is made: a bad cookie name throws', () => {
    assert.throws(() => session({ ...options, name: 'bad name' }), {
      name: 'TypeError',
      message: /^options\.name: expected an RFC 6265 token/,
    });
  });

  test('a returned Response.redirect (immutable headers) is replaced by a copy that carries the cookie', async () => {
    const app = new Hono<SessionEnv>();
    app.use(session(options));
    app.post('/login', (c) => {
      c.get('session').set('user', 'alice');
      return Response.redirect('http://localhost/home', 303);
    });
    assert.throws(() => Response.redirect('http://localhost/').headers.append('x', 'y'), TypeError, 'the case at hand');
    for (const response of [
      await app.request('/login', { method: 'POST' }),
      await fetch(`${await start(app)}/login`, { method: 'POST', redirect: 'manual' }),
    ]) {
      assert.equal(response.status, 303);
      assert.equal(response.headers.get('location'), 'http://localhost/home');
      assert.equal(response.headers.getSetCookie().length, 1);
      assert.match(response.headers.getSetCookie()[0]!, /^sid=ss1\.[\w-]+; Max-Age=/);
    }
  });

  test("a handler that fails commits nothing, and app.onError gets the handler's error", async () => {
    const app = new Hono<SessionEnv>();
    const errors: string[] = [];
    app.onError((error, c) => {
      errors.push(`${error.message} user=${c.get('session').get('user')}`);
      return c.text('failed', 500);
    });
    app.use(session(options));
    app.post('/broken', (c) => {
      c.get('session').set('user', 'half-done');
      throw new Error('database down');
    });
    const response = await new CookieClient(await start(app)).request('POST', '/broken');
    assert.equal(response.status, 500);
    assert.deepEqual(response.setCookies, []);
    assert.deepEqual(errors, ['database down user=half-done']);
  });

  test('a store failure, reading or committing, reaches app.onError', async () => {
    const failing: SessionStore = {
      save: () => Promise.reject(new Error('save failed')),
      load: () => Promise.reject(new Error('load failed')),
    };
    const app = new Hono<SessionEnv>();
    const errors: string[] = [];
    app.onError((error, c) => {
      errors.push(error.message);
      return c.text('failed', 500);
    });
    app.use(session({ name: 'sid', store: failing, cookie: { secure: false } }));
    app.post('/login', (c) => {
      c.get('session').set('user', 'alice');
      return c.text('ok');
    });
    const client = new CookieClient(await start(app));
    const commitFailure = await client.request('POST', '/login');
    client.jar.set('sid', 'some-id');
    const readFailure = await client.request('POST', '/login');
    assert.deepEqual([commitFailure.status, readFailure.status], [500, 500]);
    assert.deepEqual([...commitFailure.setCookies, ...readFailure.setCookies], []);
    assert.deepEqual(errors, ['save failed', 'load failed']);
  });

  test('as route middleware in an untyped app, c.get("session") is typed through the handler list', async () => {
    const app = new Hono();
    app.post('/count', session(options), (c) => {
      const visits = Number(c.get('session').get('visits') ?? 0) + 1;
      c.get('session').set('visits', String(visits));
      return c.json({ visits });
    });
    const client = new CookieClient(await start(app));
    await client.request('POST', '/count');
    assert.deepEqual((await client.request('POST', '/count')).body, { visits: 2 });
  });

  test('the built adapter runs at the edge: without Node built-ins, #core is the WebCrypto build', () => {
    assert.ok(
      existsSync(new URL('dist/adapters/hono.js', ROOT)),
      'dist/ is missing: run `npm run build` first (npm test does)',
    );
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    // Node's Fetch classes load lazily and need the `global` and `process` the hook deletes: load
    // them first (an edge runtime has them built in).
    const preload = 'data:text/javascript,new Response(new Request("https://edge.example/").body)';
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        preload,
        '--import',
        EDGE_HOOK.href,
        '--input-type=module',
        '--eval',
        `
      import { Hono } from 'hono';
      import { createKeyring, generateKey } from 'sealed-session';
      import { session } from 'sealed-session/hono';
      const app = new Hono();
      app.use(session({ name: 'sid', keys: createKeyring(generateKey()) }));
      app.get('/', (c) => {
        c.get('session').set('visits', String(Number(c.get('session').get('visits') ?? 0) + 1));
        return c.body(null, 204, { 'x-visits': c.get('session').get('visits') });
      });
      const first = await app.request('/');
      const cookie = first.headers.getSetCookie()[0].split(';')[0];
      const second = await app.request('/', { headers: { cookie } });
      console.log(JSON.stringify({ core: import.meta.resolve('#core'), process: typeof process, visits: second.headers.get('x-visits') }));
    `,
      ],
      { cwd: fileURLToPath(ROOT), env, encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout), {
      core: new URL('dist/web.js', ROOT).href,
      process: 'undefined',
      visits: '2',
    });
  });
});

// Type checks (run by `npm run typecheck`): c.get('session') is a Session wherever the Env says so,
// the middleware fits any Env that has it, and is refused where no Env declares it.
type AppEnv = { Bindings: { GREETING: string }; Variables: SessionVariables & { user: string } };
export function typed(options: SessionOptions): void {
  const app = new Hono<AppEnv>();
  app.use(session(options));
  app.get('/', (c) => {
    const current: Session = c.get('session');
    // @ts-expect-error: values are strings
    current.set('count', 1);
    return c.text(`${c.env.GREETING} ${c.get('user')} ${current.size}`);
  });
  const list: MiddlewareHandler<AppEnv>[] = [session(options)];
  new Hono().use(session(options)).get('/', (c) => c.text(String(c.get('session').size)));
  // Through Hono's ContextVariableMap, the session is typed in every app, with no Env to declare.
  new Hono().get('/', (c) => {
    const plain: Session = c.get('session');
    // @ts-expect-error: values are strings, here too
    plain.set('count', 1);
    return c.text(String(list.length));
  });
}
