import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import Koa from 'koa';
import { createKeyring, type SessionStore } from 'sealed-session';
import { session } from 'sealed-session/koa';
import { createApp } from '../../examples/koa.js';
import { adapterSuite, CookieClient, type RunningApp, listening, startedApps } from './suite.js';

/** Serves a Koa app on an ephemeral loopback port. */
const serve = (app: Koa): Promise<RunningApp> => listening(app.listen(0, '127.0.0.1'));

adapterSuite({
  name: 'Koa',
  start(options) {
    const app = createApp(options);
    app.silent = true; // the store-failure test's 500 is expected: keep Koa from logging it
    return serve(app);
  },
});

describe('Koa adapter specifics', () => {
  const keys = createKeyring([{ id: 'k1', secret: 'koa-specific-key-0123456789abcdefghijklmn' }]);
  const options = { name: 'sid', keys, cookie: { secure: false } } as const;
  const start = startedApps(serve);

  test('options are validated when the middleware is made: a bad cookie name throws', () => {
    assert.throws(() => session({ ...options, name: 'bad name' }), {
      name: 'TypeError',
      message: /^options\.name: expected an RFC 6265 token/,
    });
  });

  test('a streamed body still gets the cookie, and streams through', async () => {
    const app = new Koa();
    app.use(session(options));
    app.use((ctx) => {
      ctx.session.set('user', 'streamer');
      ctx.type = 'text/plain';
      ctx.body = Readable.from(['chunk one, ', 'chunk two']);
    });
    const response = await new CookieClient(await start(app)).request('POST', '/stream');
    assert.equal(response.status, 200);
    assert.equal(response.body['text'], 'chunk one, chunk two');
    assert.equal(response.setCookies.length, 1);
    assert.match(response.setCookies[0]!, /^sid=ss1\.[\w-]+; Max-Age=/);
  });

  test('a redirect carries the cookie', async () => {
    const app = new Koa();
    app.use(session(options));
    app.use((ctx) => {
      ctx.session.set('user', 'alice');
      ctx.redirect('/home');
    });
    const response = await fetch(`${await start(app)}/login`, { method: 'POST', redirect: 'manual' });
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), '/home');
    assert.match(response.headers.getSetCookie().join(' | '), /^sid=ss1\./);
  });

  test("a store failure reaches Koa's error event, and the response is a 500", async () => {
    const failing: SessionStore = {
      save: () => Promise.reject(new Error('store down')),
      load: () => ({ ok: false, reason: 'invalid' }),
    };
    const app = new Koa();
    const errors: string[] = [];
    app.on('error', (error: Error) => errors.push(error.message));
    app.use(session({ name: 'sid', store: failing, cookie: { secure: false } }));
    app.use((ctx) => {
      ctx.session.set('user', 'alice');
      ctx.body = { ok: true };
    });
    const response = await new CookieClient(await start(app)).request('POST', '/login');
    assert.equal(response.status, 500);
    assert.deepEqual(response.setCookies, []);
    assert.deepEqual(errors, ['store down']);
  });

  test('a request whose middleware throws commits nothing', async () => {
    const app = new Koa();
    app.silent = true;
    app.use(session(options));
    app.use((ctx) => {
      ctx.session.set('user', 'half-done');
      ctx.throw(409, 'conflict');
    });
    const response = await new CookieClient(await start(app)).request('POST', '/broken');
    assert.equal(response.status, 409);
    assert.deepEqual(response.setCookies, []);
  });
});

// Type checks (run by `npm run typecheck`): ctx.session is a Session, not Koa's `any` for custom properties.
export function typed(app: Koa): void {
  app.use((ctx) => {
    const user: string | undefined = ctx.session.get('user');
    const isNew: boolean = ctx.session.isNew;
    // @ts-expect-error: values are strings
    ctx.session.set('count', 1);
    ctx.body = { user, isNew };
  });
}
