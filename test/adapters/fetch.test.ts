import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createKeyring, type SessionStore } from 'sealed-session';
import { getSession, withSession } from 'sealed-session/fetch';
import { createHandler } from '../../examples/fetch.js';
import { adapterSuite, type RunningApp, listening } from './suite.js';

type FetchHandler = (request: Request) => Promise<Response>;

/**
 * Serves a Fetch handler over node:http on an ephemeral loopback port: the smallest bridge from
 * IncomingMessage to Request and from Response back (no request bodies: these tests send none).
 * A handler that rejects gets a 500, as a Fetch runtime answers an uncaught exception.
 */
async function serve(handler: FetchHandler): Promise<RunningApp> {
  const server = createServer(async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const headers = new Headers();
    for (const [name, values] of Object.entries(incoming.headersDistinct))
      for (const value of values ?? []) headers.append(name, value);
    const request = new Request(`http://${incoming.headers.host}${incoming.url}`, {
      method: incoming.method!,
      headers,
    });
    const response = await handler(request).catch(() => new Response('Internal Server Error', { status: 500 }));
    // Iterating Headers yields each Set-Cookie on its own (Fetch: "sort and combine" keeps them apart).
    outgoing.writeHead(response.status, [...response.headers].flat());
    if (response.body === null) outgoing.end();
    else Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).pipe(outgoing);
  });
  return listening(server);
}

adapterSuite({
  name: 'Fetch',
  start: async (options) => serve(createHandler(options)),
});

const ROOT = new URL('../../', import.meta.url);
const EDGE_HOOK = new URL('../crypto/fixtures/edge-runtime.mjs', import.meta.url);

describe('Fetch adapter specifics', () => {
  const keys = createKeyring([{ id: 'k1', secret: 'fetch-specific-key-0123456789abcdefghijkl' }]);
  const options = { name: 'sid', keys, cookie: { secure: false } } as const;
  const running: RunningApp[] = [];
  after(() => Promise.all(running.map((app) => app.close())));
  const post = (path: string, cookie?: string) =>
    new Request(`http://localhost${path}`, { method: 'POST', headers: cookie ? { cookie } : {} });
  const cookieOf = (response: Response) =>
    response.headers
      .getSetCookie()
      .map((line) => line.slice(0, line.indexOf(';')))
      .join('; ');

  test('options are validated when the handler is wrapped: a bad cookie name throws there', async () => {
    const expected = { name: 'TypeError', message: /^options\.name: expected an RFC 6265 token/ };
    assert.throws(() => withSession(() => new Response(), { ...options, name: 'bad name' }), expected);
    await assert.rejects(getSession(post('/'), { ...options, name: 'bad name' }), expected);
  });

  test('a Response.redirect (immutable headers) is answered with a copy carrying the cookie', async () => {
    let redirect: Response | undefined;
    const handler = withSession(async (_request, session) => {
      session.set('user', 'alice');
      redirect = Response.redirect('http://localhost/home', 303);
      return redirect;
    }, options);
    const response = await handler(post('/login'));
    assert.notEqual(response, redirect, 'a copy');
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), 'http://localhost/home');
    assert.match(response.headers.getSetCookie()[0]!, /^sid=ss1\.[\w-]+; Max-Age=/);
    assert.deepEqual(redirect!.headers.getSetCookie(), [], 'the original is untouched');
    assert.throws(() => redirect!.headers.append('x', 'y'), TypeError, 'and really immutable');
  });

  test('a fetch() response passed through (immutable headers) keeps its body and cookies and gains the session cookie', async () => {
    const upstream = await serve(async () => {
      const response = new Response('from upstream', { headers: { 'content-type': 'text/plain' } });
      response.headers.append('set-cookie', 'upstream=1; Path=/');
      return response;
    });
    running.push(upstream);
    const proxy = withSession(async (_request, session) => {
      session.set('proxied', 'yes');
      return fetch(upstream.url);
    }, options);
    const response = await proxy(post('/proxy'));
    assert.equal(await response.text(), 'from upstream');
    assert.equal(response.headers.getSetCookie().length, 2);
    assert.equal(response.headers.getSetCookie()[0], 'upstream=1; Path=/');
    assert.match(response.headers.getSetCookie()[1]!, /^sid=ss1\./);
  });

  test('a response with mutable headers is the one returned, not a copy; an unchanged session adds nothing', async () => {
    let made: Response | undefined;
    const handler = withSession(async (request, session) => {
      if (new URL(request.url).pathname === '/login') session.set('user', 'bob');
      made = Response.json(Object.fromEntries(session));
      return made;
    }, options);
    const login = await handler(post('/login'));
    assert.equal(login, made);
    const again = await handler(post('/session', cookieOf(login)));
    assert.equal(again, made);
    assert.deepEqual(await again.json(), { user: 'bob' });
    assert.deepEqual(again.headers.getSetCookie(), []);
  });

  test('getSession: commit(headers) appends to them, commit() makes new Headers, commit(response) answers it', async () => {
    const first = await getSession(post('/'), options);
    first.session.set('user', 'carol');
    const headers = new Headers([['set-cookie', 'app=1; Path=/']]);
    assert.equal(await first.commit(headers), headers);
    assert.equal(headers.getSetCookie()[0], 'app=1; Path=/');
    assert.match(headers.getSetCookie()[1]!, /^sid=ss1\./);

    const { session, commit } = await getSession(post('/', cookieOf(new Response(null, { headers }))), options);
    assert.equal(session.get('user'), 'carol');
    session.clear();
    const fresh = await commit(); // destructured: commit needs no `this`
    assert.ok(fresh instanceof Headers);
    assert.match(fresh.getSetCookie()[0]!, /^sid=; Max-Age=0/);

    const third = await getSession(post('/'), options);
    third.session.set('user', 'dan');
    const response = new Response('ok');
    assert.equal(await third.commit(response), response);
    assert.equal(response.headers.getSetCookie().length, 1);
    await assert.rejects(
      third.commit(new Headers()),
      { name: 'TypeError', message: /already answered/ },
      'one commit per request',
    );
  });

  test("the handler's further arguments pass through (a Worker's env and ctx, a Next.js route's { params })", async () => {
    const handler = withSession(
      async (_request, session, env: { GREETING: string }, context: { params: Promise<{ id: string }> }) => {
        session.set('seen', (await context.params).id);
        return new Response(`${env.GREETING} ${session.get('seen')}`);
      },
      options,
    );
    const response = await handler(post('/items/7'), { GREETING: 'hello' }, { params: Promise.resolve({ id: '7' }) });
    assert.equal(await response.text(), 'hello 7');
    assert.equal(response.headers.getSetCookie().length, 1);
  });

  test('a handler that throws rejects with its error and commits nothing; a store failure rejects too', async () => {
    let saves = 0;
    const counting: SessionStore = { save: () => `v${++saves}`, load: () => ({ ok: true, data: new Map() }) };
    const broken = withSession(
      async (_request, session) => {
        session.set('user', 'half-done');
        throw new Error('database down');
      },
      { name: 'sid', store: counting },
    );
    await assert.rejects(broken(post('/')), { message: 'database down' });
    assert.equal(saves, 0);

    const failing: SessionStore = {
      save: () => Promise.reject(new Error('store down')),
      load: () => Promise.reject(new Error('store down')),
    };
    const handler = withSession(async () => new Response('never'), { name: 'sid', store: failing });
    await assert.rejects(handler(post('/', 'sid=some-id')), { message: 'store down' });
  });

  test('the built adapter runs at the edge: without Node built-ins, #core is the WebCrypto build', () => {
    assert.ok(
      existsSync(new URL('dist/adapters/fetch.js', ROOT)),
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
      import { createKeyring, generateKey } from 'sealed-session';
      import { withSession } from 'sealed-session/fetch';
      const handler = withSession(async (request, session) => {
        session.set('visits', String(Number(session.get('visits') ?? 0) + 1));
        // An immutable-headers response, and the count in a header (reading a body needs Buffer here).
        return Response.redirect('https://edge.example/?visits=' + session.get('visits'), 303);
      }, { name: 'sid', keys: createKeyring(generateKey()) });
      const first = await handler(new Request('https://edge.example/'));
      const cookie = first.headers.getSetCookie()[0].split(';')[0];
      const second = await handler(new Request('https://edge.example/', { headers: { cookie } }));
      console.log(JSON.stringify({ core: import.meta.resolve('#core'), process: typeof process, location: second.headers.get('location') }));
    `,
      ],
      { cwd: fileURLToPath(ROOT), env, encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout), {
      core: new URL('dist/web.js', ROOT).href,
      process: 'undefined',
      location: 'https://edge.example/?visits=2',
    });
  });
});
