/**
 * sealed-session/http: the shared suite on examples/http.ts (the README's snippet), then what only a
 * bare `node:http` server exercises: streamed writes and backpressure, `writeHead` with its own
 * `Set-Cookie`, return values and callbacks of the wrapped methods, and where errors go.
 */
import { describe, test, after, mock } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type RequestListener } from 'node:http';
import { Readable } from 'node:stream';
import { createKeyring, defineSession, memoryStore, type SessionStore } from 'sealed-session';
import { attachSession, discardSessionChanges, withSession } from 'sealed-session/http';
import { createApp } from '../../examples/http.js';
import { adapterSuite, CookieClient, type RunningApp, listening } from './suite.js';
import { withPollutedPrototype } from '../helpers.js';

// The default error handler logs with console.error: keep the test output clean, and check the calls.
const logged = mock.method(console, 'error', () => {});

const listen = listening;

adapterSuite({ name: 'node:http', start: (options) => listen(createApp(options)) });

describe('sealed-session/http beyond the suite', () => {
  const keys = createKeyring([{ id: 'k1', secret: 'http-adapter-test-key-0123456789abcdefghij' }]);
  const options = { name: 'sid', keys, cookie: { secure: false } };
  const apps: RunningApp[] = [];
  const serve = async (listener: RequestListener) => {
    const app = await listen(createServer(listener));
    apps.push(app);
    return app.url;
  };
  after(() => Promise.all(apps.map((app) => app.close())));
  const failingSave: SessionStore = {
    load: () => ({ ok: false, reason: 'invalid' }),
    save: () => Promise.reject(new Error('save down')),
  };

  test('options are validated when the listener is made, not on the first request', () => {
    assert.throws(() => withSession(() => {}, { name: 'bad name', keys }), {
      name: 'TypeError',
      message: /^options\.name: expected/,
    });
    assert.throws(() => withSession(() => {}, { name: 'sid' }), { name: 'TypeError', message: /got neither/ });
  });

  // A store that answers with promises: the first call that writes the head then waits for the commit.
  const inner = memoryStore({ keys });
  const asyncStore: SessionStore = {
    load: (value, context) => Promise.resolve(inner.load(value, context)),
    save: (session, context) => Promise.resolve(inner.save(session, context)),
  };
  const stores = [
    { kind: 'synchronous (the cookie store): the write goes straight through', options, firstWrite: true },
    {
      kind: 'asynchronous: the first write is queued behind the commit',
      options: { name: 'sid', store: asyncStore, cookie: { secure: false } },
      firstWrite: false,
    },
  ];
  for (const store of stores) {
    // The timeout only guards against a hang (a missing 'drain'); nothing here measures speed.
    test(
      `a streamed response gets the cookie in its head, and write() backpressure is honoured; store ${store.kind}`,
      { timeout: 10_000 },
      async () => {
        const firstWrite: boolean[] = [];
        const chunk = 'y'.repeat(16 * 1024);
        const url = await serve(
          withSession(async (_req, res, session) => {
            session.set('streamed', 'yes');
            const written = res.write('start;');
            firstWrite.push(written);
            // A writer that honours backpressure waits for 'drain' (pipe() does the same): without it, a hang.
            if (!written) await once(res, 'drain');
            Readable.from(Array.from({ length: 64 }, () => chunk)).pipe(res);
          }, store.options),
        );
        const response = await fetch(url);
        const body = await response.text();
        assert.deepEqual(firstWrite, [store.firstWrite]);
        assert.equal(body.length, 'start;'.length + 64 * chunk.length);
        assert.ok(body.startsWith('start;yyy'));
        assert.match(response.headers.getSetCookie()[0] ?? '', /^sid=[^;]+; /);
      },
    );
  }

  test("writeHead's own Set-Cookie (object and flat-array forms) is kept alongside the session's", async () => {
    const url = await serve(
      withSession((req, res, session) => {
        session.set('k', 'v');
        if (req.url === '/object')
          res.writeHead(200, { 'Set-Cookie': ['a=1', 'b=2'], 'content-type': 'text/plain' }).end('ok');
        else res.writeHead(200, 'Fine', ['content-type', 'text/plain', 'set-cookie', 'c=3']).end('ok');
      }, options),
    );
    const object = (await fetch(`${url}/object`)).headers.getSetCookie();
    assert.deepEqual(
      object.map((line) => line.slice(0, line.indexOf('='))),
      ['a', 'b', 'sid'],
    );
    const flat = await fetch(`${url}/flat`);
    assert.equal(flat.statusText, 'Fine');
    assert.deepEqual(
      flat.headers.getSetCookie().map((line) => line.slice(0, line.indexOf('='))),
      ['c', 'sid'],
    );
  });

  test('writeHead and end return the response, and end() still calls its callback', async () => {
    let returned: unknown[] = [];
    let ended!: () => void;
    const callbackCalled = new Promise<void>((resolve) => (ended = resolve));
    const url = await serve(
      withSession((_req, res, session) => {
        session.set('k', 'v');
        returned = [res.writeHead(201, { 'x-app': '1' }), res.end('done', ended)].map((value) => value === res);
      }, options),
    );
    const response = await fetch(url);
    assert.equal(response.status, 201);
    assert.equal(await response.text(), 'done');
    assert.equal(response.headers.get('x-app'), '1');
    assert.equal(response.headers.getSetCookie().length, 1);
    assert.deepEqual(returned, [true, true]);
    await callbackCalled;
  });

  test('flushHeaders() first sends the cookie with the head, before the body is written', async () => {
    let finish!: () => void;
    const url = await serve(
      withSession((_req, res, session) => {
        session.set('k', 'v');
        res.flushHeaders();
        finish = () => res.end('later');
      }, options),
    );
    const response = await fetch(url); // resolves on the head alone: the body is not written yet
    assert.match(response.headers.getSetCookie()[0] ?? '', /^sid=ss1\./);
    finish();
    assert.equal(await response.text(), 'later');
  });

  test('an unchanged session leaves the response untouched: no Set-Cookie', async () => {
    const url = await serve(withSession((_req, res, session) => res.end(String(session.size)), options));
    const response = await fetch(url);
    assert.equal(await response.text(), '0');
    assert.deepEqual(response.headers.getSetCookie(), []);
  });

  test('by default a store failure is logged and answered 500, without calling the handler', async () => {
    logged.mock.resetCalls();
    let called = false;
    const failure = new Error('store down');
    const store: SessionStore = { load: () => Promise.reject(failure), save: () => 'x' };
    const url = await serve(
      withSession(
        () => {
          called = true;
        },
        { name: 'sid', store },
      ),
    );
    const response = await fetch(url, { headers: { cookie: 'sid=anything' } });
    assert.equal(response.status, 500);
    assert.equal(await response.text(), 'Internal Server Error');
    assert.equal(called, false);
    assert.deepEqual(
      logged.mock.calls.map((call) => call.arguments[0]),
      [failure],
    );
  });

  test("a failed commit goes to onError, and the handler's queued writes are dropped", async () => {
    const seen: unknown[] = [];
    const url = await serve(
      withSession(
        (_req, res, session) => {
          session.set('user', 'alice');
          res.setHeader('x-handler', 'yes');
          res.end('the secret page');
        },
        { name: 'sid', store: failingSave, cookie: { secure: false } },
        {
          onError: (error, _req, res) => {
            seen.push(error);
            res.writeHead(503).end(`unavailable: ${(error as Error).message}`);
          },
        },
      ),
    );
    const response = await fetch(url);
    assert.equal(response.status, 503);
    assert.equal(await response.text(), 'unavailable: save down');
    assert.deepEqual(response.headers.getSetCookie(), []);
    assert.equal(seen.length, 1);
  });

  test('an error the handler throws or rejects with goes to onError', async () => {
    const messages: string[] = [];
    const onError = (
      error: unknown,
      _req: unknown,
      res: { writeHead(status: number): { end(body: string): unknown } },
    ) => {
      messages.push((error as Error).message);
      res.writeHead(500).end('handled');
    };
    const url = await serve(
      withSession(
        (req) => {
          if (req.url === '/sync') throw new Error('sync throw');
          return Promise.reject(new Error('async rejection'));
        },
        options,
        { onError },
      ),
    );
    assert.equal(await (await fetch(`${url}/sync`)).text(), 'handled');
    assert.equal(await (await fetch(`${url}/async`)).text(), 'handled');
    assert.deepEqual(messages.sort(), ['async rejection', 'sync throw']);
  });

  describe('failed requests save no session changes', () => {
    /** /login signs alice in; /promote grants admin and then fails (how: by path); /me shows the session. */
    const promoteApp = (sessionOptions: Parameters<typeof withSession>[1], seen: unknown[]) =>
      withSession(
        async (req, res, session) => {
          if (req.url === '/login') session.set('user', 'alice');
          if (req.url?.startsWith('/promote')) {
            session.set('role', 'admin');
            if (req.url === '/promote/throw') throw new Error('audit log down');
            if (req.url === '/promote/reject') return Promise.reject(new Error('audit log down'));
            if (req.url === '/promote/503') return void res.writeHead(503).end('try later');
          }
          res.end(JSON.stringify(Object.fromEntries(session)));
        },
        sessionOptions,
        {
          // An answer below 500 on purpose: dropping does not depend on the status the handler chose.
          onError: (error, _req, res) => {
            seen.push(error);
            res.writeHead(409).end('{}');
          },
        },
      );

    for (const [label, storeOptions] of [
      ['cookie store', { name: 'sid', keys, cookie: { secure: false } }],
      [
        'memoryStore (the id stays; the entry must not change)',
        { name: 'sid', store: memoryStore({ keys }), cookie: { secure: false } },
      ],
    ] as const) {
      test(`${label}: a handler that grants role=admin, then throws, rejects or answers 503, sends no Set-Cookie and saves nothing`, async () => {
        const seen: unknown[] = [];
        const client = new CookieClient(await serve(promoteApp(storeOptions, seen)));
        assert.deepEqual((await client.request('POST', '/login')).body, { user: 'alice' });
        for (const path of ['/promote/throw', '/promote/reject', '/promote/503']) {
          const response = await client.request('POST', path);
          assert.equal(response.status, path === '/promote/503' ? 503 : 409, path);
          assert.deepEqual(response.setCookies, [], path);
          assert.deepEqual(
            (await client.request('GET', '/me')).body,
            { user: 'alice' },
            `${path}: the grant was saved`,
          );
        }
        assert.equal(seen.length, 2);
        // The same route without a failure does grant it: the test above is not vacuous.
        assert.deepEqual((await client.request('POST', '/promote')).body, { user: 'alice', role: 'admin' });
        assert.deepEqual((await client.request('GET', '/me')).body, { user: 'alice', role: 'admin' });
      });
    }

    test('discardSessionChanges drops the changes of a response below 500, for routers on attachSession', async () => {
      const config = defineSession(options);
      const url = await serve(async (req, res) => {
        const session = await attachSession(req, res, config, () => res.writeHead(500).end());
        session.set('user', 'mallory');
        if (req.url === '/invalid') {
          discardSessionChanges(res);
          return void res.writeHead(400).end('bad form');
        }
        res.end('ok');
      });
      assert.deepEqual((await fetch(`${url}/invalid`)).headers.getSetCookie(), []);
      assert.equal((await fetch(`${url}/valid`)).headers.getSetCookie().length, 1);
    });

    test('a change after res.writeHead() throws a TypeError that reaches onError; the cookie sent holds the earlier changes', async () => {
      const seen: unknown[] = [];
      const url = await serve(
        withSession(
          (req, res, session) => {
            session.set('user', 'alice');
            session.set('step', req.url!);
            res.writeHead(200, { 'content-type': 'text/plain' });
            res.end('ok');
            if (req.url === '/logout-too-late') session.destroy();
            else session.set('late', 'lost');
          },
          options,
          { onError: (error) => seen.push(error) },
        ),
      );
      const client = new CookieClient(url);
      for (const path of ['/set-too-late', '/logout-too-late']) {
        const response = await client.request('GET', path);
        assert.equal(response.status, 200);
        assert.equal(response.setCookies.length, 1);
      }
      assert.equal(seen.length, 2);
      for (const error of seen) {
        assert.ok(error instanceof TypeError);
        assert.match(
          error.message,
          /^session\.(set|destroy): expected a change before the session was committed, got one after/,
        );
      }
      const reread = await serve(
        withSession((_req, res, session) => res.end(JSON.stringify(Object.fromEntries(session))), options),
      );
      const check = new CookieClient(reread);
      for (const [name, value] of client.jar) check.jar.set(name, value);
      assert.deepEqual((await check.request('GET', '/')).body, { user: 'alice', step: '/logout-too-late' });
    });

    test('by default a change after the response started is logged with console.error', async () => {
      logged.mock.resetCalls();
      const url = await serve(
        withSession((_req, res, session) => {
          res.end('ok');
          session.set('late', 'lost');
        }, options),
      );
      const response = await fetch(url);
      assert.equal(await response.text(), 'ok');
      // The error is reported after the response went out: wait for that turn of the event loop.
      for (let turn = 0; turn < 50 && logged.mock.callCount() === 0; turn++)
        await new Promise((resolve) => setImmediate(resolve));
      const [error] = logged.mock.calls.map((call) => call.arguments[0]);
      assert.ok(
        error instanceof TypeError &&
          /^session\.set: expected a change before the session was committed/.test(error.message),
      );
    });
  });

  test('an onError on a polluted Object.prototype is not used: the default handler answers', async () => {
    const polluted: unknown[] = [];
    const listener = await withPollutedPrototype({ onError: (error: unknown) => polluted.push(error) }, () =>
      withSession(() => {
        throw new Error('handler failed');
      }, options),
    );
    logged.mock.resetCalls();
    const response = await fetch(await serve(listener));
    assert.equal(response.status, 500);
    assert.equal(await response.text(), 'Internal Server Error');
    assert.deepEqual(polluted, []);
    assert.equal(logged.mock.callCount(), 1);
    assert.throws(() => withSession(() => {}, options, { onError: 'log' as never }), {
      name: 'TypeError',
      message: /^onError: expected a function/,
    });
  });

  test('attachSession serves a router of your own: the session round-trips over a cookie-keeping client', async () => {
    const config = defineSession(options);
    const url = await serve(async (req, res) => {
      try {
        const session = await attachSession(req, res, config, () => res.writeHead(500).end());
        if (req.method === 'POST') session.set('user', 'zoe');
        res.end(JSON.stringify(Object.fromEntries(session)));
      } catch {
        res.writeHead(500).end();
      }
    });
    const client = new CookieClient(url);
    assert.deepEqual((await client.request('POST', '/')).body, { user: 'zoe' });
    assert.deepEqual((await client.request('GET', '/')).body, { user: 'zoe' });
  });
});
