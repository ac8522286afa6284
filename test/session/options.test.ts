import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  commitSession,
  cookieStore,
  defineSession,
  memoryStore,
  readSession,
  type SessionOptions,
} from '../../src/index.js';
import { configFor, COOKIE_BUDGET, MAX_COOKIE_AGE, SESSION_DEFAULTS } from '../../src/session/options.js';
import { assertError, clock, keys, T0, untyped } from './helpers.js';
import { withPollutedPrototype } from '../helpers.js';
import { Kind, parseToken } from '../../src/format/token.js';
import { nodeRuntime } from '../../src/crypto/node.js';

/** The one Set-Cookie line a new session with one entry sends under `options`. */
async function firstLine(options: SessionOptions): Promise<string> {
  const config = defineSession(options);
  const state = await readSession(undefined, config);
  state.session.set('brown fox', 'lazy dog');
  const lines = await commitSession(state, config);
  assert.equal(lines.length, 1);
  return lines[0]!;
}

/** The attributes of a Set-Cookie line, without the name=value pair. */
const attributesOf = (line: string): string => line.slice(line.indexOf(';'));

describe('cookie attributes (Kocha TestSessionMiddlewareAfter, ported)', () => {
  test('a positive maxAge: Max-Age in seconds, Path=/, HttpOnly and the secure defaults', async () => {
    // Kocha: SessionExpires 1 s, CookieExpires 2 s → MaxAge 2, Path "/", HttpOnly.
    const line = await firstLine({ name: 'kocha_session', keys, ttl: 1, cookie: { maxAge: 2 } });
    assert.match(line, /^kocha_session=ss1\.[A-Za-z0-9_-]+;/);
    assert.equal(attributesOf(line), '; Max-Age=2; Path=/; Secure; HttpOnly; SameSite=Lax');
  });

  test("a browser-session cookie (Kocha's CookieExpires 0): no Max-Age, no Expires", async () => {
    const line = await firstLine({ name: 'sid', keys, cookie: { maxAge: 'session' } });
    assert.equal(attributesOf(line), '; Path=/; Secure; HttpOnly; SameSite=Lax');
    assert.doesNotMatch(line, /Max-Age|Expires/);
  });

  test("a persistent cookie (Kocha's -1): ttl Infinity follows to the 400-day cap", async () => {
    const line = await firstLine({ name: 'sid', keys, ttl: Infinity });
    // 400 days, the longest lifetime browsers keep (RFC 6265bis §4.1.2.1, §4.1.2.2).
    assert.equal(attributesOf(line), '; Max-Age=34560000; Path=/; Secure; HttpOnly; SameSite=Lax');
  });

  test("the default maxAge 'ttl' follows ttl, and caps a longer ttl at 400 days", async () => {
    assert.match(await firstLine({ name: 'sid', keys }), /; Max-Age=604800;/);
    assert.match(await firstLine({ name: 'sid', keys, ttl: 3600, cookie: { maxAge: 'ttl' } }), /; Max-Age=3600;/);
    assert.match(
      await firstLine({ name: 'sid', keys, ttl: 2 * MAX_COOKIE_AGE }),
      new RegExp(`; Max-Age=${MAX_COOKIE_AGE};`),
    );
  });

  test('every attribute option reaches the cookie', async () => {
    const line = await firstLine({
      name: 'sid',
      keys,
      cookie: {
        maxAge: 60,
        path: '/app',
        domain: 'example.com',
        secure: true,
        httpOnly: false,
        sameSite: 'none',
        partitioned: true,
      },
    });
    assert.equal(attributesOf(line), '; Max-Age=60; Domain=example.com; Path=/app; Secure; SameSite=None; Partitioned');
  });

  test('secure: false is possible without a prefix (plain-HTTP development)', async () => {
    const line = await firstLine({ name: 'sid', keys, cookie: { secure: false } });
    assert.equal(attributesOf(line), '; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax');
  });
});

describe('defineSession', () => {
  test('resolves the documented defaults into a frozen config', () => {
    const config = defineSession({ name: 'sid', keys });
    assert.equal(config.ttl, 604_800);
    assert.equal(config.rolling, 0.5);
    assert.equal(config.maxChunks, 3);
    assert.equal(config.clockSkew, 30);
    assert.equal(config.maxSize, 2048);
    assert.equal(config.now, Date.now);
    assert.deepEqual(
      { ...config.cookie },
      { maxAge: 604_800, path: '/', secure: true, httpOnly: true, sameSite: 'lax' },
    );
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.cookie));
    assert.ok(Object.isFrozen(SESSION_DEFAULTS) && Object.isFrozen(SESSION_DEFAULTS.cookie));
  });

  test("resolves rolling 'always' to true and keeps false and shares", () => {
    assert.equal(defineSession({ name: 'sid', keys, rolling: 'always' }).rolling, true);
    assert.equal(defineSession({ name: 'sid', keys, rolling: true }).rolling, true);
    assert.equal(defineSession({ name: 'sid', keys, rolling: false }).rolling, false);
    assert.equal(defineSession({ name: 'sid', keys, rolling: 1 }).rolling, 1);
  });

  test('returns a config unchanged, and the same config for the same options object', () => {
    const options = { name: 'sid', keys };
    const config = defineSession(options);
    assert.equal(defineSession(config), config);
    assert.equal(defineSession(options), config);
    assert.notEqual(defineSession({ name: 'sid', keys }), config);
  });

  test('calls store.validate once with the name and ttl, and lets its error through', () => {
    const seen: unknown[] = [];
    const base = cookieStore({ keys });
    defineSession({
      name: 'sid',
      ttl: 60,
      store: { save: base.save, load: base.load, validate: (setup) => void seen.push(setup) },
    });
    assert.deepEqual(seen, [{ name: 'sid', ttl: 60 }]);
    const refusing = {
      save: base.save,
      load: base.load,
      validate: () => {
        throw new RangeError('redis: expected a finite ttl, got Infinity');
      },
    };
    assert.throws(() => defineSession({ name: 'sid', ttl: Infinity, store: refusing }), /redis: expected a finite ttl/);
  });

  test('accepts the documented bounds', () => {
    for (const maxAge of [1, MAX_COOKIE_AGE, 'session', 'ttl'] as const)
      assert.doesNotThrow(() => defineSession({ name: 'sid', keys, cookie: { maxAge } }));
    for (const maxChunks of [1, 5]) assert.doesNotThrow(() => defineSession({ name: 'sid', keys, maxChunks }));
    for (const clockSkew of [0, 60]) assert.doesNotThrow(() => defineSession({ name: 'sid', keys, clockSkew }));
    for (const maxSize of [512, 2048, 12288])
      assert.equal(defineSession({ name: 'sid', keys, maxSize }).maxSize, maxSize);
    assert.doesNotThrow(() => defineSession({ name: 'sid', keys, issuedAfter: T0 }));
    assert.doesNotThrow(() => defineSession({ name: 'sid', keys, issuedAfter: () => undefined }));
    assert.doesNotThrow(() => defineSession({ name: 'sid', store: memoryStore({ keys }), now: clock().now }));
  });

  // Kocha's setup validation (Validate at start-up), as a table: the option, the class, what the message says.
  const rows: ReadonlyArray<readonly [string, unknown, typeof TypeError | typeof RangeError, string | RegExp]> = [
    ['options not an object', 'sid', TypeError, 'options: expected an object with { name, keys }'],
    ['options null', null, TypeError, 'got null'],
    [
      'unknown option (typo)',
      { name: 'sid', keys, tll: 60 },
      TypeError,
      'expected only the keys name, store, keys, ttl',
    ],
    ['no name', { keys }, TypeError, 'options.name: expected a cookie name'],
    ['empty name', { name: '', keys }, TypeError, 'options.name: expected a cookie name'],
    [
      'name with a space',
      { name: 'my sid', keys },
      TypeError,
      /^options\.name: expected an RFC 6265 token.*got a string of length 6 with a character not allowed at index 2$/,
    ],
    ['name with ";"', { name: 'a;b', keys }, TypeError, 'options.name: expected an RFC 6265 token'],
    [
      'neither store nor keys',
      { name: 'sid' },
      TypeError,
      'options: expected keys (a keyring from createKeyring()) or store',
    ],
    [
      'both store and keys',
      { name: 'sid', keys, store: cookieStore({ keys }) },
      TypeError,
      'expected either store or keys, got both',
    ],
    [
      'keys as a raw secret',
      { name: 'sid', keys: 'x'.repeat(43) },
      TypeError,
      'options.keys: expected a keyring from createKeyring()',
    ],
    [
      'store without load',
      { name: 'sid', store: { save: () => 'x' } },
      TypeError,
      'options.store.load: expected a function',
    ],
    ['store not an object', { name: 'sid', store: 'redis' }, TypeError, 'options.store: expected a SessionStore'],
    [
      'store.destroy not a function',
      { name: 'sid', store: { save: () => 'x', load: () => ({ ok: false, reason: 'invalid' }), destroy: 1 } },
      TypeError,
      'options.store.destroy: expected a function or undefined',
    ],
    [
      'ttl 0',
      { name: 'sid', keys, ttl: 0 },
      RangeError,
      'options.ttl: expected a positive whole number of seconds or Infinity, got number 0',
    ],
    ['ttl fractional', { name: 'sid', keys, ttl: 1.5 }, RangeError, 'options.ttl: expected a positive whole number'],
    ['ttl a string', { name: 'sid', keys, ttl: '7d' }, RangeError, 'options.ttl: expected a positive whole number'],
    ['ttl NaN', { name: 'sid', keys, ttl: NaN }, RangeError, 'options.ttl'],
    // A whole number, if not a safe integer: the core's shape check accepts it, the session's bound does not.
    [
      'ttl 2^53',
      { name: 'sid', keys, ttl: 2 ** 53 },
      RangeError,
      'options.ttl: expected at most 549755813888 seconds (2^39, about 17000 years) or Infinity, got 9007199254740992',
    ],
    [
      'maxAge over 400 days',
      { name: 'sid', keys, cookie: { maxAge: MAX_COOKIE_AGE + 1 } },
      RangeError,
      /options\.cookie\.maxAge: expected at most 34560000 seconds \(400 days.*got 34560001/,
    ],
    [
      'maxAge 0',
      { name: 'sid', keys, cookie: { maxAge: 0 } },
      RangeError,
      "options.cookie.maxAge: expected 'ttl', 'session' or a whole number of seconds from 1, got number 0",
    ],
    ['maxAge -1 (Kocha spelling)', { name: 'sid', keys, cookie: { maxAge: -1 } }, RangeError, 'options.cookie.maxAge'],
    ['maxAge unknown word', { name: 'sid', keys, cookie: { maxAge: 'forever' } }, RangeError, 'options.cookie.maxAge'],
    ['cookie not an object', { name: 'sid', keys, cookie: true }, TypeError, 'options.cookie: expected an object'],
    [
      'cookie typo httponly',
      { name: 'sid', keys, cookie: { httponly: true } },
      TypeError,
      'options.cookie: expected only the keys maxAge, path',
    ],
    [
      'path without "/"',
      { name: 'sid', keys, cookie: { path: 'app' } },
      TypeError,
      'options.cookie.path: expected a string starting with "/"',
    ],
    ['path null', { name: 'sid', keys, cookie: { path: null } }, TypeError, 'options.cookie.path: expected a string'],
    [
      'domain with a space',
      { name: 'sid', keys, cookie: { domain: 'exa mple.com' } },
      TypeError,
      'options.cookie.domain: expected a host name',
    ],
    [
      'secure not a boolean',
      { name: 'sid', keys, cookie: { secure: 'yes' } },
      TypeError,
      'options.cookie.secure: expected a boolean',
    ],
    [
      'sameSite unknown',
      { name: 'sid', keys, cookie: { sameSite: 'Lax' } },
      TypeError,
      'options.cookie.sameSite: expected "strict", "lax" or "none"',
    ],
    [
      'sameSite none without secure',
      { name: 'sid', keys, cookie: { sameSite: 'none', secure: false } },
      TypeError,
      'options.cookie.sameSite "none": expected secure: true',
    ],
    [
      'partitioned without secure',
      { name: 'sid', keys, cookie: { partitioned: true, secure: false } },
      TypeError,
      'options.cookie.partitioned: expected secure: true',
    ],
    [
      '__Host- without secure',
      { name: '__Host-sid', keys, cookie: { secure: false } },
      TypeError,
      /options\.cookie: cookie name with the __Host- prefix.*expected secure: true/,
    ],
    [
      '__Host- with a domain',
      { name: '__Host-sid', keys, cookie: { domain: 'example.com' } },
      TypeError,
      /__Host- prefix.*expected no domain, got domain: a string of length 11$/,
    ],
    [
      '__Host- with another path',
      { name: '__Host-sid', keys, cookie: { path: '/app' } },
      TypeError,
      /__Host- prefix.*expected path: "\/", got path: a string of length 4$/,
    ],
    [
      '__Secure- without secure',
      { name: '__Secure-sid', keys, cookie: { secure: false } },
      TypeError,
      /__Secure- prefix.*expected secure: true/,
    ],
    [
      'path over 1024 characters',
      { name: 'sid', keys, cookie: { path: `/${'p'.repeat(1024)}` } },
      RangeError,
      'options.cookie.path: expected at most 1024',
    ],
    [
      'name longer than a token context',
      { name: 'n'.repeat(1025), keys },
      RangeError,
      "options.name: expected at most 1024 characters (it is also the tokens' context), got 1025",
    ],
    [
      'ttl that would overflow the token',
      { name: 'sid', keys, ttl: 2 ** 39 + 1 },
      RangeError,
      'options.ttl: expected at most 549755813888 seconds',
    ],
    [
      'rolling 0',
      { name: 'sid', keys, rolling: 0 },
      RangeError,
      "options.rolling: expected false, true, 'always' or a share of the lifetime in (0, 1], got number 0",
    ],
    ['rolling above 1', { name: 'sid', keys, rolling: 1.5 }, RangeError, 'options.rolling'],
    ['rolling a word', { name: 'sid', keys, rolling: 'sometimes' }, RangeError, 'options.rolling'],
    [
      'maxChunks 0',
      { name: 'sid', keys, maxChunks: 0 },
      RangeError,
      'options.maxChunks: expected a whole number from 1 to 5, got number 0',
    ],
    [
      'maxChunks 6',
      { name: 'sid', keys, maxChunks: 6 },
      RangeError,
      'options.maxChunks: expected a whole number from 1 to 5, got number 6',
    ],
    [
      'maxSize under 512',
      { name: 'sid', keys, maxSize: 511 },
      RangeError,
      'options.maxSize: expected a whole number of bytes from 512, got number 511',
    ],
    [
      'maxSize fractional',
      { name: 'sid', keys, maxSize: 2048.5 },
      RangeError,
      'options.maxSize: expected a whole number of bytes',
    ],
    [
      'maxSize a string',
      { name: 'sid', keys, maxSize: '4k' },
      RangeError,
      'options.maxSize: expected a whole number of bytes',
    ],
    // Node's default http.maxHeaderSize (16384) less the 4096 left for other headers and cookies.
    [
      'maxSize over the request-head limit',
      { name: 'sid', keys, maxSize: 12289 },
      RangeError,
      /^options\.maxSize: expected at most 12288 bytes \(the server's request-head limit, 16384 bytes, less 4096 for other headers and cookies\), got 12289; .*node --max-http-header-size/,
    ],
    [
      'clockSkew 61',
      { name: 'sid', keys, clockSkew: 61 },
      RangeError,
      'options.clockSkew: expected seconds from 0 to 60',
    ],
    ['clockSkew NaN', { name: 'sid', keys, clockSkew: NaN }, RangeError, 'options.clockSkew'],
    [
      'issuedAfter a Date',
      { name: 'sid', keys, issuedAfter: new Date(T0) },
      TypeError,
      'options.issuedAfter: expected ms since the epoch or a function',
    ],
    ['issuedAfter NaN', { name: 'sid', keys, issuedAfter: NaN }, TypeError, 'options.issuedAfter'],
    [
      'onInvalid not a function',
      { name: 'sid', keys, onInvalid: 'log' },
      TypeError,
      'options.onInvalid: expected a function',
    ],
    [
      'now a number',
      { name: 'sid', keys, now: T0 },
      TypeError,
      'options.now: expected a function returning ms since the epoch',
    ],
  ];

  for (const [label, options, type, fragment] of rows) {
    test(`rejects at setup: ${label}`, async () => {
      await assertError(() => defineSession(untyped(options)), type, fragment);
    });
  }

  test('readSession and commitSession validate raw options the same way, once per object', async () => {
    await assertError(() => readSession(undefined, untyped({ name: 'sid', keys, ttl: 0 })), RangeError, 'options.ttl');
    let validations = 0;
    const base = cookieStore({ keys });
    const options = { name: 'sid', store: { save: base.save, load: base.load, validate: () => void validations++ } };
    for (let i = 0; i < 3; i++) {
      const state = await readSession(undefined, options);
      state.session.set('i', String(i));
      assert.equal((await commitSession(state, options)).length, 1);
    }
    assert.equal(validations, 1);
  });
});

test('the longest name, path and domain still leave every cookie room for its part of the value', async () => {
  const domain = `${'d'.repeat(60)}.`.repeat(4) + 'com';
  const cookie = { path: `/${'p'.repeat(1023)}`, domain, sameSite: 'strict', partitioned: true } as const;
  // Attributes this long leave no room in the default 2048-byte budget: refused at start-up.
  assert.throws(() => defineSession({ name: 'n'.repeat(1024), keys, cookie }), {
    name: 'RangeError',
    message:
      /^options\.maxSize: expected at least \d+ bytes \(this cookie's name and attributes take \d+ in every Set-Cookie line, plus 256 for a small session\), got 2048; /,
  });
  const config = defineSession({ name: 'n'.repeat(1024), keys, cookie, maxSize: 12288 });
  const state = await readSession(undefined, config);
  state.session.set('big', 'x'.repeat(3000));
  const lines = await commitSession(state, config);
  assert.equal(lines.length, 3);
  for (const line of lines) assert.ok(line.length <= COOKIE_BUDGET, `${line.length}`);
  const header = lines.map((line) => line.slice(0, line.indexOf(';'))).join('; ');
  assert.equal((await readSession(header, config)).session.get('big')?.length, 3000);
});

describe('a polluted Object.prototype supplies no option (own properties only)', () => {
  const plainCookie = '; Max-Age=604800; Path=/; Secure; HttpOnly; SameSite=Lax';

  test('the default store still seals: signed on the prototype does not send the data in clear', async () => {
    const config = await withPollutedPrototype({ signed: true }, () => defineSession({ name: 'sid', keys }));
    const line = await firstLine(config);
    const token = line.slice('sid='.length, line.indexOf(';'));
    const parsed = parseToken(nodeRuntime, token);
    assert.ok(typeof parsed === 'object');
    assert.equal(parsed.kind, Kind.Sealed);
    assert.ok(
      !Buffer.from(token.slice(4), 'base64url').toString('latin1').includes('lazy dog'),
      'the data is readable',
    );
  });

  test('cookieStore and memoryStore read their own options only', async () => {
    const store = await withPollutedPrototype({ signed: true, maxEntries: 0 }, () => cookieStore({ keys }));
    const line = await firstLine({ name: 'sid', store });
    const parsed = parseToken(nodeRuntime, line.slice('sid='.length, line.indexOf(';')));
    assert.equal(typeof parsed === 'object' && parsed.kind, Kind.Sealed);
    // maxEntries 0 from the prototype would throw; an own default of 10000 is taken instead.
    await withPollutedPrototype({ maxEntries: 0 }, () => memoryStore({ keys }));
  });

  test('no Domain, no SameSite=None, HttpOnly kept: cookie attributes on the prototype are ignored', async () => {
    const polluted = {
      domain: 'attacker.example',
      sameSite: 'none',
      httpOnly: false,
      secure: true,
      partitioned: true,
      path: '/x',
      maxAge: 1,
    };
    const config = await withPollutedPrototype(polluted, () => defineSession({ name: 'sid', keys }));
    assert.equal(attributesOf(await firstLine(config)), plainCookie);
    // The same with a cookie object of the caller's that leaves those attributes out.
    const withCookie = await withPollutedPrototype(polluted, () =>
      defineSession({ name: 'sid', keys, cookie: { sameSite: 'lax' } }),
    );
    assert.equal(attributesOf(await firstLine(withCookie)), plainCookie);
  });

  test('ttl, rolling, now, maxChunks, clockSkew, issuedAfter and onInvalid on the prototype are ignored', async () => {
    const polluted = {
      ttl: 2 ** 37,
      rolling: false,
      now: () => 0,
      maxChunks: 1,
      clockSkew: 60,
      issuedAfter: Date.now() + 1e9,
      onInvalid: 1,
      store: {},
    };
    const config = await withPollutedPrototype(polluted, () => defineSession({ name: 'sid', keys }));
    assert.equal(config.ttl, SESSION_DEFAULTS.ttl);
    assert.equal(config.rolling, SESSION_DEFAULTS.rolling);
    assert.equal(config.now, Date.now);
    assert.equal(config.maxChunks, SESSION_DEFAULTS.maxChunks);
    assert.equal(config.clockSkew, SESSION_DEFAULTS.clockSkew);
    assert.equal(config.issuedAfter, undefined);
    assert.equal(config.onInvalid, undefined);
  });
});

test('maxSize is checked against the request-head limit the build reads (Node: http.maxHeaderSize) when the config is made', () => {
  // The runtime-neutral configFor takes the limit as a function: a server started with
  // --max-http-header-size=32768 allows 28672; one started with 8192 allows only 4096.
  assert.equal(
    configFor({ name: 'sid', store: cookieStore({ keys }), maxSize: 28672 }, undefined, () => 32768).maxSize,
    28672,
  );
  assert.throws(() => configFor({ name: 'sid', store: cookieStore({ keys }), maxSize: 4097 }, undefined, () => 8192), {
    name: 'RangeError',
    message: /^options\.maxSize: expected at most 4096 bytes \(the server's request-head limit, 8192 bytes/,
  });
  // Without a limit from the runtime (the web build), Node's default is assumed.
  assert.throws(() => configFor({ name: 'sid', store: cookieStore({ keys }), maxSize: 12289 }, undefined), {
    name: 'RangeError',
    message: /at most 12288 bytes/,
  });
});

test('the runtime-neutral configFor (storeConformance uses it) refuses the keys shortcut: only a build has the crypto for it', () => {
  assert.throws(() => configFor({ name: 'sid', keys }), {
    name: 'TypeError',
    message:
      "options.keys: expected a store here (the keys shortcut needs the crypto of a build: pass the result of defineSession() from 'sealed-session' or 'sealed-session/web'), got keys",
  });
});
