import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { createKeyring, type SessionStore } from 'sealed-session';
import { session } from 'sealed-session/fastify';
import { createApp } from '../../examples/fastify.js';
import { adapterSuite, CookieClient } from './suite.js';

adapterSuite({
  name: 'Fastify',
  async start(options) {
    const app = await createApp(options);
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    return { url, close: () => app.close() };
  },
});

describe('Fastify adapter specifics', () => {
  const keys = createKeyring([{ id: 'k1', secret: 'fastify-specific-key-0123456789abcdefghij' }]);
  const options = { name: 'sid', keys, cookie: { secure: false } } as const;
  const running: FastifyInstance[] = [];
  after(() => Promise.all(running.map((app) => app.close())));
  const listen = async (app: FastifyInstance): Promise<string> => {
    running.push(app);
    return app.listen({ host: '127.0.0.1', port: 0 });
  };

  test('options are validated at registration: a bad cookie name fails app.register', async () => {
    await assert.rejects(async () => Fastify().register(session, { ...options, name: 'bad name' }), {
      name: 'TypeError',
      message: /^options\.name: expected an RFC 6265 token/,
    });
  });

  test('reply.redirect carries the cookie', async () => {
    const app = Fastify();
    await app.register(session, options);
    app.post('/login', async (request, reply) => {
      request.session.set('user', 'alice');
      return reply.redirect('/home', 303);
    });
    const response = await fetch(`${await listen(app)}/login`, { method: 'POST', redirect: 'manual' });
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), '/home');
    assert.equal(response.headers.getSetCookie().length, 1);
    assert.match(response.headers.getSetCookie()[0]!, /^sid=ss1\.[\w-]+; Max-Age=/);
  });

  test('a Set-Cookie set on reply.raw (as Connect middleware does) survives next to the session cookie', async () => {
    const app = Fastify();
    await app.register(session, options);
    app.post('/raw', async (request, reply) => {
      reply.raw.setHeader('set-cookie', ['raw=1; Path=/', 'raw2=2; Path=/']);
      request.session.set('user', 'alice');
      return { ok: true };
    });
    const response = await new CookieClient(await listen(app)).request('POST', '/raw');
    assert.deepEqual(
      response.setCookies.map((line) => line.slice(0, line.indexOf('='))),
      ['raw', 'raw2', 'sid'],
    );
  });

  test('the plugin is not encapsulated: routes in other plugins see request.session, and hasPlugin finds it', async () => {
    const app = Fastify();
    await app.register(session, options);
    await app.register(async (child) => {
      child.post('/child', async (request) => {
        request.session.set('from', 'child');
        return Object.fromEntries(request.session);
      });
    });
    assert.ok(app.hasPlugin('sealed-session'));
    const client = new CookieClient(await listen(app));
    assert.deepEqual((await client.request('POST', '/child')).body, { from: 'child' });
    assert.ok(client.jar.get('sid')?.startsWith('ss1.'));
  });

  test('a handler that fails commits nothing, and the error handler can still read the session', async () => {
    const app = Fastify();
    await app.register(session, options);
    const seen: string[] = [];
    app.setErrorHandler<Error>(async (error, request, reply) => {
      seen.push(`${error.message} user=${request.session.get('user')}`);
      return reply.code(500).send({ error: 'failed' });
    });
    app.post('/broken', async (request) => {
      request.session.set('user', 'half-done');
      throw new Error('database down');
    });
    const client = new CookieClient(await listen(app));
    const response = await client.request('POST', '/broken');
    assert.equal(response.status, 500);
    assert.deepEqual(response.setCookies, []);
    assert.deepEqual(seen, ['database down user=half-done']);
  });

  test("a store failure while committing reaches Fastify's error handler once, as a 500", async () => {
    const failingSave: SessionStore = {
      save: () => Promise.reject(new Error('store down')),
      load: () => ({ ok: false, reason: 'invalid' }),
    };
    const app = Fastify();
    await app.register(session, { name: 'sid', store: failingSave, cookie: { secure: false } });
    const errors: string[] = [];
    app.setErrorHandler<Error>(async (error, _request, reply) => {
      errors.push(error.message);
      return reply.code(500).send({ error: 'failed' });
    });
    app.post('/login', async (request) => {
      request.session.set('user', 'alice');
      return Object.fromEntries(request.session);
    });
    const response = await new CookieClient(await listen(app)).request('POST', '/login');
    assert.equal(response.status, 500);
    assert.deepEqual(response.body, { error: 'failed' });
    assert.deepEqual(response.setCookies, []);
    assert.deepEqual(errors, ['store down']);
  });
});

// Type checks (run by `npm run typecheck`): request.session is a Session, not `any`.
export function typed(app: FastifyInstance): void {
  app.get('/typed', async (request) => {
    const user: string | undefined = request.session.get('user');
    const expiresAt: number | null = request.session.expiresAt;
    // @ts-expect-error: values are strings
    request.session.set('count', 1);
    return { user, expiresAt };
  });
}
