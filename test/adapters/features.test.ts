/**
 * What migrating users look for first, through every adapter over real HTTP: a per-session cookie
 * lifetime ("remember me", options.persistent), an explicit refresh (session.touch()) and flash
 * values (setFlash/takeFlash). One small app, `act`, written once and mounted in each framework's
 * idiom.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { RequestCookies, ResponseCookies } from '@edge-runtime/cookies';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { createKeyring, setFlash, takeFlash, type Session, type SessionOptions } from 'sealed-session';
import { getSession as getJarSession } from 'sealed-session/cookies';
import { session as expressSession } from 'sealed-session/express';
import { session as fastifySession } from 'sealed-session/fastify';
import { withSession as fetchSession } from 'sealed-session/fetch';
import { session as honoSession, type SessionEnv } from 'sealed-session/hono';
import { withSession as httpSession } from 'sealed-session/http';
import { session as koaSession } from 'sealed-session/koa';
import { CookieClient, listening, type RunningApp } from './suite.js';

/**
 *   POST /sign-in?user=U&remember=0|1   the user and their choice, a fresh session
 *   POST /flash?text=T                  setFlash(session, 'notice', T)
 *   GET  /flash                         { notice: takeFlash(session, 'notice') }
 *   POST /touch                         session.touch()
 *   GET  /session                       the entries
 */
function act(session: Session, method: string, url: URL): Record<string, string | null> {
  switch (`${method} ${url.pathname}`) {
    case 'POST /sign-in':
      session.set('user', url.searchParams.get('user') ?? '');
      session.set('remember', url.searchParams.get('remember') ?? '0');
      session.regenerate();
      break;
    case 'POST /flash':
      setFlash(session, 'notice', url.searchParams.get('text') ?? '');
      break;
    case 'GET /flash':
      return { notice: takeFlash(session, 'notice') ?? null };
    case 'POST /touch':
      session.touch();
      break;
  }
  return Object.fromEntries(session);
}

const keys = createKeyring([{ id: 'k1', secret: 'features-adapter-test-key-0123456789abcdef' }]);
const options: SessionOptions = {
  name: 'sid',
  keys,
  rolling: false,
  cookie: { secure: false, maxAge: 3600 },
  persistent: (session) => session.get('remember') === '1',
};

const fetchListen = (handler: (request: Request) => Response | Promise<Response>): Promise<RunningApp> =>
  new Promise((resolve) => {
    const server = serve(
      { fetch: handler, hostname: '127.0.0.1', port: 0, overrideGlobalObjects: false },
      ({ port }) => {
        resolve({
          url: `http://127.0.0.1:${port}`,
          close: () => new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done()))),
        });
      },
    );
  });

const ADAPTERS: ReadonlyArray<readonly [string, () => Promise<RunningApp>]> = [
  [
    'express',
    () => {
      const app = express();
      app.use(expressSession(options));
      app.use((req, res) => {
        res.json(act(req.session, req.method, new URL(req.url, 'http://localhost')));
      });
      return listening(createServer(app));
    },
  ],
  [
    'fastify',
    async () => {
      const app = Fastify();
      await app.register(fastifySession, options);
      app.route({
        method: ['GET', 'POST'],
        url: '/*',
        handler: async (request) => act(request.session, request.method, new URL(request.url, 'http://localhost')),
      });
      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      return { url, close: () => app.close() };
    },
  ],
  [
    'koa',
    () => {
      const app = new Koa();
      app.use(koaSession(options));
      app.use((ctx) => {
        ctx.body = act(ctx.session, ctx.method, new URL(ctx.url, 'http://localhost'));
      });
      return listening(createServer(app.callback()));
    },
  ],
  [
    'hono',
    () => {
      const app = new Hono<SessionEnv>();
      app.use(honoSession(options));
      app.all('*', (c) => c.json(act(c.get('session'), c.req.method, new URL(c.req.url))));
      return fetchListen(app.fetch);
    },
  ],
  [
    'fetch',
    () =>
      fetchListen(
        fetchSession(
          async (request, session) => Response.json(act(session, request.method, new URL(request.url))),
          options,
        ),
      ),
  ],
  [
    'http',
    () =>
      listening(
        createServer(
          httpSession((req, res, session) => {
            // The cookie goes out with the head: change the session before writing it.
            const body = JSON.stringify(act(session, req.method!, new URL(req.url!, 'http://localhost')));
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(body);
          }, options),
        ),
      ),
  ],
  [
    'cookies (Next.js jar)',
    () =>
      fetchListen(async (request) => {
        const headers = new Headers();
        const requestCookies = new RequestCookies(request.headers);
        const responseCookies = new ResponseCookies(headers);
        const { session, commit } = await getJarSession(requestCookies, options);
        const body = act(session, request.method, new URL(request.url));
        await commit(responseCookies);
        headers.set('content-type', 'application/json');
        return new Response(JSON.stringify(body), { headers });
      }),
  ],
];

const hasMaxAge = (line: string) => /; max-age=\d+/i.test(line);

for (const [name, start] of ADAPTERS) {
  describe(`${name}: remember me, touch(), flash`, () => {
    const running: RunningApp[] = [];
    after(() => Promise.all(running.map((app) => app.close())));
    const client = async () => {
      const app = await start();
      running.push(app);
      return new CookieClient(app.url);
    };

    test('remember me: a persistent cookie when chosen at sign-in, a browser-session cookie otherwise, kept on re-issue', async () => {
      const remembered = await client();
      const signIn = await remembered.request('POST', '/sign-in?user=ann&remember=1');
      assert.equal(signIn.setCookies.length, 1);
      assert.match(signIn.setCookies[0]!, /; max-age=3600(;|$)/i);

      const forgotten = await client();
      const browserOnly = await forgotten.request('POST', '/sign-in?user=ben&remember=0');
      assert.equal(browserOnly.setCookies.length, 1);
      assert.equal(hasMaxAge(browserOnly.setCookies[0]!), false, browserOnly.setCookies[0]);
      const touched = await forgotten.request('POST', '/touch');
      assert.equal(touched.setCookies.length, 1);
      assert.equal(hasMaxAge(touched.setCookies[0]!), false, 'the choice holds on every re-issue');
      assert.deepEqual((await forgotten.request('GET', '/session')).body, { user: 'ben', remember: '0' });
    });

    test('touch(): with rolling off an unchanged session sends nothing, touch() re-issues it', async () => {
      const browser = await client();
      await browser.request('POST', '/sign-in?user=cat&remember=1');
      const before = browser.jar.get('sid');
      assert.deepEqual((await browser.request('GET', '/session')).setCookies, []);
      const touched = await browser.request('POST', '/touch');
      assert.equal(touched.setCookies.length, 1);
      assert.notEqual(browser.jar.get('sid'), before);
      assert.deepEqual((await browser.request('GET', '/session')).body, { user: 'cat', remember: '1' });
    });

    test('flash: set now, read once on the next request, then gone', async () => {
      const browser = await client();
      await browser.request('POST', '/sign-in?user=dan&remember=1');
      await browser.request('POST', '/flash?text=Saved.');
      assert.deepEqual((await browser.request('GET', '/flash')).body, { notice: 'Saved.' });
      assert.deepEqual((await browser.request('GET', '/flash')).body, { notice: null });
      assert.deepEqual((await browser.request('GET', '/session')).body, { user: 'dan', remember: '1' });
    });
  });
}
