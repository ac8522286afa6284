/**
 * sealed-session/express: the shared suite on examples/express.ts (the README's snippet) under
 * Express 5 and Express 4, then what Express users rely on beyond it: res.redirect, streamed
 * responses, errors reaching `next(err)`, options checked when the middleware is made, and the
 * bare Connect `(req, res, next)` contract.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type RequestListener } from 'node:http';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import express from 'express';
import { createKeyring, memoryStore, type SessionStore } from 'sealed-session';
import { discardSessionOnError, session } from 'sealed-session/express';
import { createApp } from '../../examples/express.js';
import { adapterSuite, CookieClient, type RunningApp, listening } from './suite.js';

// Express 4 is installed under the npm alias `express4` and ships no types of its own; the API the
// tests use (use, get, post, json, cookie, redirect, set, listen) is the same in both majors.
const express4 = createRequire(import.meta.url)('express4') as typeof express;

const listen = (listener: RequestListener): Promise<RunningApp> => listening(createServer(listener));

const keys = createKeyring([{ id: 'k1', secret: 'express-adapter-test-key-0123456789abcdefgh' }]);
const options = { name: 'sid', keys, cookie: { secure: false } };
const failingSave: SessionStore = {
  load: () => ({ ok: false, reason: 'invalid' }),
  save: () => Promise.reject(new Error('save down')),
};
const failingLoad: SessionStore = { load: () => Promise.reject(new Error('load down')), save: () => 'x' };

for (const [name, framework] of [
  ['Express 5', express],
  ['Express 4', express4],
] as const) {
  adapterSuite({
    name,
    start: (suiteOptions) => {
      const app = createApp(suiteOptions, framework());
      app.set('env', 'test'); // Express's final handler logs errors unless in test: keep the output clean
      return listen(app);
    },
  });

  describe(`${name}: sealed-session/express beyond the suite`, () => {
    const apps: RunningApp[] = [];
    const serve = async (app: express.Express) => {
      app.set('env', 'test');
      const running = await listen(app);
      apps.push(running);
      return running.url;
    };
    after(() => Promise.all(apps.map((app) => app.close())));

    test('res.redirect() carries the cookie', async () => {
      const app = framework();
      app.use(session(options));
      app.post('/login', (req, res) => {
        req.session.set('user', 'alice');
        res.redirect(303, '/home');
      });
      const response = await fetch(`${await serve(app)}/login`, { method: 'POST', redirect: 'manual' });
      assert.equal(response.status, 303);
      assert.equal(response.headers.get('location'), '/home');
      assert.match(response.headers.getSetCookie()[0] ?? '', /^sid=ss1\./);
    });

    test('res.write() before res.end(), and a piped stream: the cookie goes with the head, the body whole', async () => {
      const app = framework();
      app.use(session(options));
      app.get('/parts', (req, res) => {
        req.session.set('parts', 'yes');
        res.type('text/plain');
        res.write('one;');
        res.write('two;');
        res.end('three');
      });
      app.get('/stream', (req, res) => {
        req.session.set('stream', 'yes');
        Readable.from(Array.from({ length: 32 }, () => 'z'.repeat(32 * 1024))).pipe(res);
      });
      const url = await serve(app);
      const parts = await fetch(`${url}/parts`);
      assert.equal(await parts.text(), 'one;two;three');
      assert.match(parts.headers.getSetCookie()[0] ?? '', /^sid=ss1\./);
      const stream = await fetch(`${url}/stream`);
      assert.equal((await stream.text()).length, 32 * 32 * 1024);
      assert.match(stream.headers.getSetCookie()[0] ?? '', /^sid=ss1\./);
    });

    test("a store failure, on load or on commit, reaches the app's error handler through next(err)", async () => {
      for (const [store, path, message] of [
        [failingLoad, '/read', 'load down'],
        [failingSave, '/write', 'save down'],
      ] as const) {
        const app = framework();
        app.use(session({ name: 'sid', store, cookie: { secure: false } }));
        app.get('/read', (req, res) => {
          res.send(`unreachable: ${req.session.size}`);
        });
        app.get('/write', (req, res) => {
          req.session.set('user', 'alice');
          res.send('the secret page'); // queued behind the commit, then dropped when it fails
        });
        app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
          res.status(503).json({ error: error.message });
        });
        const response = await fetch(`${await serve(app)}${path}`, { headers: { cookie: 'sid=anything' } });
        assert.equal(response.status, 503, path);
        assert.deepEqual(await response.json(), { error: message });
        assert.deepEqual(response.headers.getSetCookie(), []);
      }
    });

    /** /login signs alice in; /promote grants admin, then throws (or not, for /promote/ok); /me shows the session. */
    const promoteRoutes = (app: express.Express): void => {
      app.post('/login', (req, res) => {
        req.session.set('user', 'alice');
        res.json(Object.fromEntries(req.session));
      });
      app.post('/promote/:how', (req, res) => {
        req.session.set('role', 'admin');
        if (req.params['how'] === 'throw') throw new Error('audit log down');
        res.json(Object.fromEntries(req.session));
      });
      app.get('/me', (req, res) => {
        res.json(Object.fromEntries(req.session));
      });
    };

    for (const [label, sessionOptions] of [
      ['cookie store', options],
      ['memoryStore', { name: 'sid', store: memoryStore({ keys }), cookie: { secure: false } }],
    ] as const) {
      test(`${label}: a route that grants role=admin and throws gets Express's 500 without Set-Cookie, and nothing is saved`, async () => {
        const app = framework();
        app.use(session(sessionOptions));
        promoteRoutes(app);
        const client = new CookieClient(await serve(app));
        await client.request('POST', '/login');
        const failed = await client.request('POST', '/promote/throw');
        assert.equal(failed.status, 500);
        assert.deepEqual(failed.setCookies, []);
        assert.deepEqual((await client.request('GET', '/me')).body, { user: 'alice' });
        // Not vacuous: the same route without the throw grants it.
        await client.request('POST', '/promote/ok');
        assert.deepEqual((await client.request('GET', '/me')).body, { user: 'alice', role: 'admin' });
      });
    }

    test('an error answered below 500 keeps the changes, unless discardSessionOnError() sits before the error handler', async () => {
      for (const discard of [false, true]) {
        const app = framework();
        app.use(session(options));
        promoteRoutes(app);
        if (discard) app.use(discardSessionOnError());
        app.use((_error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
          res.status(409).json({});
        });
        const client = new CookieClient(await serve(app));
        await client.request('POST', '/login');
        const failed = await client.request('POST', '/promote/throw');
        assert.equal(failed.status, 409);
        assert.equal(failed.setCookies.length, discard ? 0 : 1, `discard: ${discard}`);
        assert.deepEqual(
          (await client.request('GET', '/me')).body,
          discard ? { user: 'alice' } : { user: 'alice', role: 'admin' },
        );
      }
    });

    test('a mounted sub-app, a second session middleware, and an app without one, all on the same Express', async () => {
      const shop = framework(); // a sub-app: Express gives the response shop's own prototype inside it
      shop.post('/cart', (req, res) => {
        req.session.set('cart', 'apple');
        res.json(Object.fromEntries(req.session));
      });
      const app = framework();
      app.use(session(options));
      const first = new WeakMap<object, Map<string, string>>();
      app.use((req, _res, next) => void (first.set(req, req.session), next()));
      app.use(session({ ...options, name: 'prefs' })); // another cookie on the same response
      app.post('/theme', (req, res) => {
        first.get(req)!.set('user', 'alice');
        req.session.set('theme', 'dark'); // the last middleware's session is req.session
        res.end();
      });
      app.use('/shop', shop);
      const plain = framework(); // no session middleware at all
      plain.get('/', (req, res) => void res.type('text/plain').send(`plain, session ${typeof req.session}`));
      const client = new CookieClient(await serve(app));
      const names = (lines: string[]) => lines.map((line) => line.slice(0, line.indexOf('='))).sort();
      const cart = await client.request('POST', '/shop/cart');
      assert.deepEqual(cart.body, { cart: 'apple' });
      assert.deepEqual(names(cart.setCookies), ['prefs']); // the sub-app's route wrote req.session, the last one's
      assert.deepEqual(names((await client.request('POST', '/theme')).setCookies), ['prefs', 'sid']);
      assert.deepEqual((await client.request('POST', '/shop/cart')).body, { cart: 'apple', theme: 'dark' });
      const response = await fetch(`${await serve(plain)}/`);
      assert.equal(await response.text(), 'plain, session undefined');
      assert.deepEqual(response.headers.getSetCookie(), []);
    });

    test('options are validated when the middleware is made, not on the first request', () => {
      assert.throws(() => session({ name: 'bad name', keys }), {
        name: 'TypeError',
        message: /^options\.name: expected/,
      });
      assert.throws(() => session({ name: 'sid', keys, ttl: -1 }), {
        name: 'RangeError',
        message: /^options\.ttl: expected/,
      });
    });
  });
}

test("Connect's (req, res, next) contract, without Express", async () => {
  const middleware = session(options);
  const app = await listen((req, res) => {
    middleware(req, res, (error) => {
      if (error !== undefined) return void res.writeHead(500).end();
      const { session: current } = req as typeof req & { session: Map<string, string> };
      current.set('hits', String(Number(current.get('hits') ?? 0) + 1));
      res.end(JSON.stringify(Object.fromEntries(current)));
    });
  });
  after(() => app.close());
  const client = new CookieClient(app.url);
  await client.request('GET', '/');
  assert.deepEqual((await client.request('GET', '/')).body, { hits: '2' });
});
