/**
 * The adapter suite, written once: every framework adapter runs it end to end
 * over real HTTP on loopback, with a client that keeps cookies across requests.
 * Each framework's test file only starts its app (the same small app in each
 * framework's idiom) and hands it to `adapterSuite`.
 *
 * The app every setup must serve:
 *   GET  /session              200, JSON object of the session's entries
 *   POST /login?name=N         session.set('user', N); session.regenerate(); 200 JSON entries
 *   POST /set?key=K&value=V    session.set(K, V); 200 JSON entries
 *   POST /logout               session.clear(); 200 JSON entries
 *   POST /big?size=N           session.set('big', 'x' repeated N times); 200 JSON entries
 *   GET  /other                the framework's own API sets cookie `other=1` (Path=/), and
 *                              session.set('touched', 'yes'); 200 JSON entries
 * and pass `options` through to the adapter's `session(...)` as they are. A store that fails
 * must reach the framework's own error handling, which answers 500.
 */
import { describe, test, after } from 'node:test';
import { once } from 'node:events';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { cookieStore, createKeyring, seal, unseal, type Keyring, type SessionStore } from '../../src/index.js';

export interface RunningApp {
  readonly url: string;
  close(): Promise<void>;
}

export interface AdapterSetup {
  readonly name: string;
  /** Starts the app on 127.0.0.1 with an ephemeral port, the adapter configured with `options`. */
  start(options: SuiteSessionOptions): Promise<RunningApp>;
  /**
   * The framework writes Set-Cookie itself from (name, value, attributes), as cookie jars do:
   * attribute order and case are its own, and it may add `Expires` next to `Max-Age` (Next.js
   * does), so lines are checked by meaning and only name plus value against 4096 octets, the
   * limit browsers apply (RFC 6265bis §5.6).
   */
  readonly framesSetCookie?: boolean;
  /**
   * False for an adapter that sees no request (a framework's cookie jar): it cannot tell plain HTTP
   * from HTTPS, so the plain-HTTP warning does not apply to it.
   */
  readonly seesTransport?: boolean;
}

export interface SuiteSessionOptions {
  readonly name: string;
  readonly keys?: Keyring;
  readonly store?: SessionStore;
  readonly cookie?: { readonly secure?: boolean };
  readonly storeTimeout?: number;
  readonly maxSize?: number;
  readonly onWarning?: (message: string) => void;
}

/**
 * Serves a node:http server on an ephemeral loopback port (127.0.0.1 only) and closes it with its
 * keep-alive connections, which fetch leaves open. Frameworks that own their server (Fastify, Hono
 * on @hono/node-server) start their own.
 */
export async function listening(server: Server): Promise<RunningApp> {
  if (!server.listening) {
    if (server.address() === null) server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * For a describe block's own apps: `start(app)` serves one with `serve` and returns its URL; every
 * app started is closed after the block.
 */
export function startedApps<App>(serve: (app: App) => Promise<RunningApp>): (app: App) => Promise<string> {
  const running: RunningApp[] = [];
  after(() => Promise.all(running.map((app) => app.close())));
  return async (app) => {
    const started = await serve(app);
    running.push(started);
    return started.url;
  };
}

/** A minimal cookie jar: what a browser would send back (RFC 6265 §5.3, enough for these tests). */
/** GET /session with a Host header of our choosing (fetch cannot set one): what a dev hostname sends. */
function getWithHost(base: string, host: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${base}/session`, { headers: { ...headers, host } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode!));
    });
    request.on('error', reject).end();
  });
}

export class CookieClient {
  readonly jar = new Map<string, string>();
  constructor(private readonly base: string) {}

  /**
   * `form` is sent as an HTML form would (`application/x-www-form-urlencoded`). Redirects are not
   * followed: fetch would drop the redirect's Set-Cookie from the jar; request the `location` next.
   */
  async request(
    method: string,
    path: string,
    form?: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, string>; setCookies: string[] }> {
    const cookie = [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const payload = form === undefined ? null : new URLSearchParams(form);
    const response = await fetch(this.base + path, {
      method,
      headers: cookie ? { cookie } : {},
      body: payload,
      redirect: 'manual',
    });
    const setCookies = response.headers.getSetCookie();
    for (const header of setCookies) {
      const [pair, ...attributes] = header.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const maxAge = attributes.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('max-age='));
      if (maxAge !== undefined && Number(maxAge.slice(8)) <= 0) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    const text = await response.text();
    let body: Record<string, string> = {};
    try {
      body = JSON.parse(text);
    } catch {
      body = { text };
    }
    return { status: response.status, body, setCookies };
  }
}

const SECRET_OLD = 'adapter-suite-old-key-0123456789abcdefghij';
const SECRET_NEW = 'adapter-suite-new-key-0123456789abcdefghij';

export function adapterSuite(setup: AdapterSetup): void {
  describe(`${setup.name} adapter, end to end over HTTP`, () => {
    const keys = createKeyring([{ id: 'old', secret: SECRET_OLD }]);
    const options: SuiteSessionOptions = { name: 'sid', keys, cookie: { secure: false } };
    const apps: RunningApp[] = [];
    const start = async (opts: SuiteSessionOptions) => {
      const app = await setup.start(opts);
      apps.push(app);
      return app;
    };
    after(async () => {
      await Promise.all(apps.map((app) => app.close()));
    });

    test('a new visitor gets an empty session and no cookie', async () => {
      const client = new CookieClient((await start(options)).url);
      const response = await client.request('GET', '/session');
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, {});
      assert.deepEqual(response.setCookies, []);
    });

    test('signing in sets data, and the next request reads it back; an unchanged session sends no cookie', async () => {
      const client = new CookieClient((await start(options)).url);
      const login = await client.request('POST', '/login?name=alice');
      assert.deepEqual(login.body, { user: 'alice' });
      assert.equal(login.setCookies.length, 1);
      if (setup.framesSetCookie) {
        const attributes = login.setCookies[0]!.split('; ')
          .slice(1)
          .map((a) => a.toLowerCase().replace(/=.*/, ''))
          .sort();
        assert.match(login.setCookies[0]!, /^sid=ss1\.[A-Za-z0-9_-]+; /);
        assert.deepEqual(
          attributes.filter((a) => a !== 'expires'),
          ['httponly', 'max-age', 'path', 'samesite'],
        );
        assert.match(login.setCookies[0]!, /; SameSite=lax/i);
      } else {
        assert.match(login.setCookies[0]!, /^sid=ss1\.[A-Za-z0-9_-]+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/);
      }
      const again = await client.request('GET', '/session');
      assert.deepEqual(again.body, { user: 'alice' });
      assert.deepEqual(again.setCookies, [], 'nothing changed, nothing sent');
    });

    test('an update is saved', async () => {
      const client = new CookieClient((await start(options)).url);
      await client.request('POST', '/login?name=bob');
      await client.request('POST', '/set?key=theme&value=dark');
      assert.deepEqual((await client.request('GET', '/session')).body, { user: 'bob', theme: 'dark' });
    });

    test('signing out clears the cookie', async () => {
      const client = new CookieClient((await start(options)).url);
      await client.request('POST', '/login?name=carol');
      const logout = await client.request('POST', '/logout');
      assert.deepEqual(logout.body, {});
      const deletion = setup.framesSetCookie ? /^sid=;.*; Max-Age=0(;|$)/ : /^sid=; Max-Age=0/;
      assert.ok(
        logout.setCookies.some((header) => deletion.test(header)),
        logout.setCookies.join(' | '),
      );
      assert.equal(client.jar.size, 0);
      assert.deepEqual((await client.request('GET', '/session')).body, {});
    });

    test('a tampered or expired cookie gives an empty session, and the request still succeeds', async () => {
      const app = await start(options);
      const client = new CookieClient(app.url);
      await client.request('POST', '/login?name=dave');
      const token = client.jar.get('sid')!;
      client.jar.set('sid', token.slice(0, 30) + (token[30] === 'A' ? 'B' : 'A') + token.slice(31));
      const tampered = await client.request('GET', '/session');
      assert.equal(tampered.status, 200);
      assert.deepEqual(tampered.body, {});
      const expired = await seal(new Map([['user', 'mallory']]), {
        keys,
        context: 'sid',
        ttl: 60,
        now: Date.now() - 3_600_000,
      });
      client.jar.set('sid', expired);
      const late = await client.request('GET', '/session');
      assert.equal(late.status, 200);
      assert.deepEqual(late.body, {});
      client.jar.set('sid', 'not a token at all');
      assert.equal((await client.request('GET', '/session')).status, 200);
    });

    test('a key rotation re-issues the cookie with the new key', async () => {
      const before = new CookieClient((await start(options)).url);
      await before.request('POST', '/login?name=erin');
      const rotatedKeys = createKeyring([
        { id: 'new', secret: SECRET_NEW },
        { id: 'old', secret: SECRET_OLD },
      ]);
      const after = new CookieClient((await start({ ...options, keys: rotatedKeys })).url);
      after.jar.set('sid', before.jar.get('sid')!);
      const response = await after.request('GET', '/session');
      assert.deepEqual(response.body, { user: 'erin' });
      assert.equal(response.setCookies.length, 1, 'the old-key cookie is re-sealed');
      const reissued = await unseal(after.jar.get('sid')!, { keys: rotatedKeys, context: 'sid' });
      assert.ok(reissued.ok && reissued.keyId === 'new' && reissued.data.get('user') === 'erin');
      assert.deepEqual((await after.request('GET', '/session')).setCookies, [], 'and only once');
    });

    test('a large session is chunked across cookies and read back (maxSize raised to 12288)', async () => {
      const client = new CookieClient((await start({ ...options, maxSize: 12288 })).url);
      await client.request('POST', '/login?name=frank');
      const big = await client.request('POST', '/big?size=6000');
      assert.ok(big.setCookies.length >= 2, big.setCookies.map((h) => h.slice(0, 12)).join(' | '));
      assert.ok(
        client.jar.has('sid.0') && client.jar.has('sid.1') && !client.jar.has('sid'),
        [...client.jar.keys()].join(','),
      );
      for (const header of big.setCookies) {
        const measured = setup.framesSetCookie ? header.split(';', 1)[0]! : header;
        assert.ok(measured.length <= 4096, `${measured.length} bytes`);
      }
      const read = await client.request('GET', '/session');
      assert.equal(read.body['big']?.length, 6000);
      assert.equal(read.body['user'], 'frank');
      const small = await client.request('POST', '/big?size=10');
      assert.equal(small.body['big'], 'x'.repeat(10));
      assert.ok(
        client.jar.has('sid') && !client.jar.has('sid.0') && !client.jar.has('sid.1'),
        `stale chunks expired: ${[...client.jar.keys()].join(',')}`,
      );
    });

    if (setup.seesTransport !== false) {
      test('secure over plain HTTP to a host other than localhost: one warning through onWarning; none for localhost or behind an HTTPS proxy', async () => {
        const warnings: string[] = [];
        const app = await start({
          ...options,
          cookie: { secure: true },
          onWarning: (message) => void warnings.push(message),
        });
        const { port } = new URL(app.url);
        for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `app.localhost:${port}`])
          assert.equal(await getWithHost(app.url, host), 200);
        assert.equal(await getWithHost(app.url, 'myapp.test', { 'x-forwarded-proto': 'https' }), 200);
        assert.deepEqual(warnings, []);
        assert.equal(await getWithHost(app.url, 'myapp.test'), 200);
        assert.equal(await getWithHost(app.url, 'myapp.test'), 200);
        assert.equal(warnings.length, 1, 'once per config');
        assert.match(
          warnings[0]!,
          /^sealed-session: cookie "sid" has secure: true, but this request came over plain HTTP to "myapp\.test": the browser will drop the cookie/,
        );
      });
    }

    test('a store that answers with promises (I/O, WebCrypto) serves sign-in, reads and sign-out alike', async () => {
      // The cookie store's public methods return promises; copied into an object of its own, the
      // session layer calls them as any other store's, and each adapter waits for them.
      const inner = cookieStore({ keys });
      const store: SessionStore = { load: inner.load, save: inner.save };
      const client = new CookieClient((await start({ name: 'sid', store, cookie: { secure: false } })).url);
      const login = await client.request('POST', '/login?name=alice');
      assert.deepEqual(login.body, { user: 'alice' });
      assert.equal(login.setCookies.length, 1);
      assert.deepEqual((await client.request('GET', '/session')).body, { user: 'alice' });
      const logout = await client.request('POST', '/logout');
      assert.equal(logout.status, 200);
      assert.deepEqual((await client.request('GET', '/session')).body, {});
    });

    test("a store failure goes to the framework's error handling (500), not to the client as a session", async () => {
      const failing: SessionStore = {
        save: () => Promise.reject(new Error('store down')),
        load: () => Promise.reject(new Error('store down')),
      };
      const client = new CookieClient((await start({ name: 'sid', store: failing, cookie: { secure: false } })).url);
      client.jar.set('sid', 'some-id');
      const response = await client.request('GET', '/session');
      assert.equal(response.status, 500);
      assert.ok(!JSON.stringify(response.body).includes('"user"'));
    });

    test("a store that hangs fails the request through the framework's error handling (500) after storeTimeout", async () => {
      const never = new Promise<never>(() => {});
      const hanging: SessionStore = { save: () => never, load: () => never };
      const url = (await start({ name: 'sid', store: hanging, storeTimeout: 50, cookie: { secure: false } })).url;
      const reader = new CookieClient(url);
      reader.jar.set('sid', 'some-id');
      assert.equal((await reader.request('GET', '/session')).status, 500);
      const writer = new CookieClient(url);
      const written = await writer.request('POST', '/set?key=a&value=b');
      assert.equal(written.status, 500);
      assert.ok(!written.setCookies.some((header) => header.startsWith('sid=')), written.setCookies.join(' | '));
    });

    test('a Set-Cookie header from another part of the app survives', async () => {
      const client = new CookieClient((await start(options)).url);
      const response = await client.request('GET', '/other');
      assert.equal(response.body['touched'], 'yes');
      assert.ok(
        response.setCookies.some((header) => header.startsWith('other=1')),
        response.setCookies.join(' | '),
      );
      assert.ok(
        response.setCookies.some((header) => header.startsWith('sid=ss1.')),
        response.setCookies.join(' | '),
      );
      assert.equal(client.jar.get('other'), '1');
    });
  });
}
