/**
 * The cookie-jar adapter against the cookie jar Next.js itself uses: @edge-runtime/cookies, the
 * package Next vendors (next/dist/compiled/@edge-runtime/cookies, same version) for `cookies()`,
 * `request.cookies` and `response.cookies`. A Route Handler's `cookies()` reads the request's
 * `Cookie` header through RequestCookies and writes `Set-Cookie` through ResponseCookies; the app
 * below does the same over real HTTP. The real Next.js, SvelteKit and Astro run in the integration
 * tier (integration/nextjs).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { RequestCookies, ResponseCookies } from '@edge-runtime/cookies';
import { createKeyring, defineSession, type SessionOptions } from 'sealed-session';
import { getSession, type CookieJar, type JarCookieOptions } from 'sealed-session/cookies';
import { adapterSuite, listening, CookieClient, startedApps, type RunningApp } from './suite.js';

/**
 * The jar of a Next.js Route Handler: reads from the request's cookies, writes to the response's
 * (Next's `cookies()` is both, and reads its own writes the same way).
 */
function nextJar(requestHeaders: Headers, responseHeaders: Headers): CookieJar {
  const request = new RequestCookies(requestHeaders);
  const response = new ResponseCookies(responseHeaders);
  return {
    get: (name) => response.get(name) ?? request.get(name),
    set: (name, value, options) => response.set(name, value, options),
  };
}

type JarHandler = (
  jar: CookieJar,
  method: string,
  url: URL,
) => Promise<{ status: number; body: unknown; headers?: Headers }>;

/** Serves a handler that sees only a cookie jar, over node:http on loopback. */
async function serveJar(handler: JarHandler): Promise<RunningApp> {
  const server = createServer(async (incoming, outgoing) => {
    const requestHeaders = new Headers();
    if (incoming.headers.cookie !== undefined) requestHeaders.set('cookie', incoming.headers.cookie);
    const responseHeaders = new Headers();
    try {
      const { status, body } = await handler(
        nextJar(requestHeaders, responseHeaders),
        incoming.method!,
        new URL(incoming.url!, 'http://127.0.0.1'),
      );
      outgoing.writeHead(status, [...responseHeaders, ['content-type', 'application/json']].flat());
      outgoing.end(JSON.stringify(body));
    } catch {
      outgoing.writeHead(500).end('Internal Server Error');
    }
  });
  return listening(server);
}

/** The adapter suite's app, in the idiom of a Route Handler using the cookie jar. */
function suiteApp(options: SessionOptions): JarHandler {
  const config = defineSession(options);
  return async (jar, method, url) => {
    const { session, commit } = await getSession(jar, config);
    const query = (name: string) => url.searchParams.get(name) ?? '';
    switch (`${method} ${url.pathname}`) {
      case 'GET /session':
        break;
      case 'POST /login':
        session.set('user', query('name'));
        session.regenerate();
        break;
      case 'POST /set':
        session.set(query('key'), query('value'));
        break;
      case 'POST /logout':
        session.clear();
        break;
      case 'POST /big':
        session.set('big', 'x'.repeat(Number(query('size'))));
        break;
      case 'GET /other':
        session.set('touched', 'yes');
        jar.set('other', '1', { path: '/', secure: false, httpOnly: false });
        break;
      default:
        return { status: 404, body: {} };
    }
    await commit();
    return { status: 200, body: Object.fromEntries(session) };
  };
}

adapterSuite({
  name: 'Cookie jar (Next.js RequestCookies/ResponseCookies)',
  framesSetCookie: true,
  seesTransport: false,
  start: async (options) => serveJar(suiteApp(options)),
});

describe('Cookie jar adapter specifics', () => {
  const keys = createKeyring([{ id: 'k1', secret: 'cookie-jar-specific-key-0123456789abcdef' }]);
  const config = defineSession({ name: 'sid', keys, cookie: { secure: false } });
  const start = startedApps(serveJar);

  /** A jar that records every set call as it was made, over a map of current values. */
  class RecordingJar implements CookieJar {
    readonly values = new Map<string, string>();
    readonly calls: Array<[string, string, JarCookieOptions]> = [];
    get(name: string): string | undefined {
      return this.values.get(name); // SvelteKit's shape: the value itself
    }
    set(name: string, value: string, options: JarCookieOptions): void {
      this.calls.push([name, value, options]);
      if (options.maxAge === 0) this.values.delete(name);
      else this.values.set(name, value);
    }
  }

  test('writes go through set(name, value, options) with the configured attributes as an object', async () => {
    const custom = defineSession({ name: '__Host-sid', keys, cookie: { sameSite: 'strict', maxAge: 3600 } });
    const jar = new RecordingJar();
    const { session, commit } = await getSession(jar, custom);
    session.set('user', 'alice');
    await commit();
    assert.equal(jar.calls.length, 1);
    const [name, value, options] = jar.calls[0]!;
    assert.equal(name, '__Host-sid');
    assert.match(value, /^ss1\./);
    assert.deepEqual(options, { maxAge: 3600, path: '/', secure: true, httpOnly: true, sameSite: 'strict' });
    const again = await getSession(jar, custom);
    assert.equal(again.session.get('user'), 'alice');
  });

  test('a browser-session cookie is set without maxAge; domain and partitioned are passed on', async () => {
    const custom = defineSession({
      name: 'sid',
      keys,
      cookie: { maxAge: 'session', domain: 'example.com', partitioned: true, sameSite: 'none' },
    });
    const jar = new RecordingJar();
    const { session, commit } = await getSession(jar, custom);
    session.set('user', 'bob');
    await commit();
    const options = jar.calls[0]![2];
    assert.equal('maxAge' in options, false);
    assert.deepEqual(options, {
      path: '/',
      domain: 'example.com',
      secure: true,
      httpOnly: true,
      sameSite: 'none',
      partitioned: true,
    });
  });

  test('a session that shrinks from chunks to one cookie deletes the stale chunks with maxAge 0 (Set-Cookie Max-Age=0 through ResponseCookies)', async () => {
    const url = await start(suiteApp({ name: 'sid', keys, cookie: { secure: false }, maxSize: 12288 }));
    const client = new CookieClient(url);
    await client.request('POST', '/big?size=7000');
    assert.ok(client.jar.has('sid.0') && client.jar.has('sid.2'), [...client.jar.keys()].join(','));
    const small = await client.request('POST', '/big?size=3');
    for (const chunk of ['sid.0', 'sid.1', 'sid.2']) {
      assert.ok(
        small.setCookies.some((line) => line.startsWith(`${chunk}=;`) && /Max-Age=0/.test(line)),
        small.setCookies.join(' | '),
      );
    }
    assert.deepEqual([...client.jar.keys()], ['sid']);
    assert.equal((await client.request('GET', '/session')).body['big'], 'xxx');
  });

  test('sign-out deletes the cookie through the jar (value "", maxAge 0)', async () => {
    const jar = new RecordingJar();
    const first = await getSession(jar, config);
    first.session.set('user', 'carol');
    await first.commit();
    const second = await getSession(jar, config);
    second.session.destroy();
    await second.commit();
    assert.deepEqual(jar.calls.at(-1), [
      'sid',
      '',
      { maxAge: 0, path: '/', secure: false, httpOnly: true, sameSite: 'lax' },
    ]);
    assert.equal(jar.values.size, 0);
  });

  test('an unchanged session writes nothing, so a read-only jar can read it', async () => {
    const writable = new RecordingJar();
    const first = await getSession(writable, config);
    first.session.set('user', 'dave');
    await first.commit();
    const readOnly = {
      get: (name: string) => (writable.values.has(name) ? { name, value: writable.values.get(name)! } : undefined),
      set: () => {
        throw new Error('Cookies can only be modified in a Server Action or Route Handler.');
      },
    };
    const { session, commit } = await getSession(readOnly, config);
    assert.equal(session.get('user'), 'dave');
    await commit(); // nothing changed, nothing due: no write
  });

  test('a write into a read-only jar (a Next.js Server Component) fails with a TypeError saying where to write', async () => {
    const nextError = new Error('Cookies can only be modified in a Server Action or Route Handler.');
    const readOnly = {
      get: () => undefined,
      set: () => {
        throw nextError;
      },
    };
    const { session, commit } = await getSession(readOnly, config);
    session.set('user', 'eve');
    await assert.rejects(commit(), (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.match(error.message, /^commit: expected a cookie jar that can be written, got one whose set\(\) threw/);
      assert.match(error.message, /Server Action, a Route Handler or the proxy/);
      assert.equal(error.cause, nextError);
      return true;
    });
  });

  test('commit(into) writes to another jar (a Next.js proxy reads request.cookies, writes response.cookies)', async () => {
    const requestJar = new RecordingJar();
    const responseJar = new RecordingJar();
    const { session, commit } = await getSession(requestJar, config);
    session.set('user', 'frank');
    await commit(responseJar);
    assert.equal(requestJar.calls.length, 0);
    assert.equal(responseJar.calls.length, 1);
    await assert.rejects(
      getSession(requestJar, config).then(({ commit: again }) => again({} as never)),
      {
        name: 'TypeError',
        message: /^commit: expected a cookie jar with set\(name, value, options\), got one without/,
      },
    );
  });

  test('a decoded value holding ";" or "=" cannot forge another cookie, and is expired as carried', async () => {
    const good = new RecordingJar();
    const first = await getSession(good, config);
    first.session.set('user', 'mallory');
    await first.commit();
    const token = good.values.get('sid')!;
    const jar = new RecordingJar();
    // What a jar hands out after decodeURIComponent of `sid=x%3B%20sid.0%3D…`.
    jar.values.set('sid', `x; sid=${token}`);
    const { session, commit } = await getSession(jar, config);
    assert.equal(session.size, 0);
    session.clear();
    await commit();
    assert.deepEqual(
      jar.calls.map(([name, value, options]) => [name, value, options.maxAge]),
      [['sid', '', 0]],
    );
  });

  test('bad jars and bad options are refused with TypeErrors', async () => {
    for (const bad of [null, undefined, 42, 'sid=x', {}, { get: 1 }]) {
      await assert.rejects(getSession(bad as never, config), {
        name: 'TypeError',
        message: /^cookies: expected a cookie jar with get\(name\)/,
      });
    }
    await assert.rejects(getSession(new RecordingJar(), { name: 'bad name', keys }), {
      name: 'TypeError',
      message: /^options\.name: expected/,
    });
  });
});
