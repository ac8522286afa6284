import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as node from '../../src/index.js';
import * as web from '../../src/web.js';
import { createKeyring, generateKey, seal, sign, unseal } from '../../src/index.js';
import { flatEntries, TOKEN_CACHE_CHARS, TOKEN_CACHE_ENTRIES, TokenCache } from '../../src/session/token-cache.js';
import { directCookieStore } from '../../src/session/cookie-store.js';
import { isThenable } from '../../src/async/maybe-promise.js';
import type { SaveContext, StoreContext, StoreLoadSuccess } from '../../src/session/store.js';
import { keyringState } from '../../src/keys/keyring.js';
import { clock, keys, otherKeys, T0 } from './helpers.js';

const NAME = 'sid';
const DATA = new Map([
  ['userId', '12345'],
  ['role', 'admin'],
]);

function contextAt(now: number, extra: Partial<StoreContext> = {}): StoreContext {
  return { name: NAME, ttl: 60, now, clockSkew: 0, issuedAfter: undefined, ...extra };
}

/** A token opened by the core, as the cookie store admits it. */
async function opened(
  options: { ttl?: number; now?: number; context?: string; ring?: typeof keys } = {},
): Promise<{ token: string; result: StoreLoadSuccess }> {
  const { ttl = 60, now = T0, context = NAME, ring = keys } = options;
  const token = await seal(DATA, { keys: ring, ttl, context, now });
  const result = await unseal(token, { keys: ring, context, now, clockSkew: 0 });
  assert.ok(result.ok);
  return { token, result };
}

/** Flips one character of the token at `at` (a negative index counts from the end) to another base64url one. */
function flip(token: string, at: number): string {
  const i = at < 0 ? token.length + at : at;
  return token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
}

/** A cache answer (`hit`, its data copied into `into`) is the core's: a hit exactly where it accepts, with its data and metadata. */
function assertSameAnswer(
  hit: StoreLoadSuccess | undefined,
  into: Map<string, string>,
  core: Awaited<ReturnType<typeof unseal>>,
  message: string,
): void {
  assert.equal(hit !== undefined, core.ok, message);
  if (hit !== undefined && core.ok) {
    assert.deepEqual([...into], [...core.data]);
    assert.deepEqual(
      [hit.keyId, hit.issuedAt, hit.expiresAt, hit.rotated],
      [core.keyId, core.issuedAt, core.expiresAt, core.rotated],
    );
  }
}

/** Offers a token twice: the cache keeps a token from its second offer on. */
function admitNow(
  cache: TokenCache,
  token: string,
  context: StoreContext,
  ring: typeof keys,
  result: StoreLoadSuccess,
): void {
  cache.admit(token, context, ring, result);
  cache.admit(token, context, ring, result);
}

describe('TokenCache', () => {
  test('a token is kept from its second offer on, not its first', async () => {
    const cache = new TokenCache();
    const { token, result } = await opened();
    cache.admit(token, contextAt(T0), keys, result);
    assert.equal(cache.get(token, contextAt(T0), keys, new Map()), undefined);
    assert.equal(cache.size, 0);
    cache.admit(token, contextAt(T0), keys, result);
    assert.ok(cache.get(token, contextAt(T0), keys, new Map()) !== undefined);
  });

  test('tokens offered once each (a stream of new cookies) take no entries', async () => {
    const cache = new TokenCache();
    const { result } = await opened();
    // Distinct tag characters per token, as real tokens have: 2000 of them, each offered once. (A
    // fingerprint collision would admit one early, which is harmless; with these fixed inputs, few.)
    const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const tag = (i: number) =>
      Array.from({ length: 20 }, (_, d) => digits[(i * (d + 7) + (i >> ((d % 4) * 3))) & 63]).join('') + 'AA';
    for (let i = 0; i < 2000; i++) cache.admit(`ss1.${'A'.repeat(120)}${tag(i)}`, contextAt(T0), keys, result);
    assert.ok(cache.size <= 20, `${cache.size} entries`);
  });

  test('a hit copies the data into the target and returns the metadata the core gave', async () => {
    const cache = new TokenCache();
    const { token, result } = await opened();
    admitNow(cache, token, contextAt(T0), keys, result);
    const into = new Map<string, string>();
    const hit = cache.get(token, contextAt(T0 + 1000), keys, into);
    assert.ok(hit !== undefined);
    assert.equal(hit.data, into);
    assert.deepEqual([...into], [...DATA]);
    assert.deepEqual([hit.keyId, hit.issuedAt, hit.expiresAt, hit.rotated], [result.keyId, T0, T0 + 60_000, false]);
    // The cached entries are a copy: changing what was handed out changes no later hit.
    into.set('role', 'guest');
    const again = new Map<string, string>();
    cache.get(token, contextAt(T0), keys, again);
    assert.equal(again.get('role'), 'admin');
  });

  test('a different context (cookie name) or keyring object misses', async () => {
    const cache = new TokenCache();
    const secret = generateKey();
    const ring = createKeyring(secret);
    const { token, result } = await opened({ ring });
    admitNow(cache, token, contextAt(T0), ring, result);
    assert.equal(cache.get(token, contextAt(T0, { name: 'other' }), ring, new Map()), undefined);
    assert.equal(cache.get(token, contextAt(T0), otherKeys, new Map()), undefined);
    // The same secret in another keyring object: still a miss (identity, not contents).
    assert.equal(cache.get(token, contextAt(T0), createKeyring(secret), new Map()), undefined);
    assert.ok(cache.get(token, contextAt(T0), ring, new Map()) !== undefined);
  });

  test('a token that differs anywhere misses, also one with the same tag characters', async () => {
    const cache = new TokenCache();
    const { token, result } = await opened();
    admitNow(cache, token, contextAt(T0), keys, result);
    for (const at of [0, 4, 10, token.length - 23, token.length - 1]) {
      assert.equal(cache.get(flip(token, at), contextAt(T0), keys, new Map()), undefined, `flipped at ${at}`);
    }
    assert.equal(cache.get(token + 'A', contextAt(T0), keys, new Map()), undefined);
    assert.equal(cache.get(token.slice(0, -1), contextAt(T0), keys, new Map()), undefined);
    assert.equal(cache.get('ss1.', contextAt(T0), keys, new Map()), undefined);
  });

  test('expiry is judged on every hit with the core boundary (expiresAt + skew >= now), and an expired entry is dropped', async () => {
    const cache = new TokenCache();
    const { token, result } = await opened({ ttl: 60 });
    admitNow(cache, token, contextAt(T0), keys, result);
    const expiresAt = T0 + 60_000;
    assert.ok(cache.get(token, contextAt(expiresAt), keys, new Map()) !== undefined);
    assert.ok(cache.get(token, contextAt(expiresAt + 5000, { clockSkew: 5 }), keys, new Map()) !== undefined);
    assert.equal(cache.get(token, contextAt(expiresAt + 5001, { clockSkew: 5 }), keys, new Map()), undefined);
    assert.equal(cache.size, 0);
    assert.equal(cache.chars, 0);
    // Dropped, so even an earlier clock now misses until the core admits it again.
    assert.equal(cache.get(token, contextAt(T0), keys, new Map()), undefined);
  });

  test('issuedAfter and issue times in the future are judged on every hit', async () => {
    const cache = new TokenCache();
    const { token, result } = await opened({ now: T0 + 10_000 });
    const admit = () => admitNow(cache, token, contextAt(T0 + 10_000), keys, result);
    admit();
    // Same second as issuedAfter: kept (the core's one-second granularity); a later second: revoked.
    assert.ok(cache.get(token, contextAt(T0 + 10_000, { issuedAfter: T0 + 10_999 }), keys, new Map()) !== undefined);
    assert.equal(cache.get(token, contextAt(T0 + 10_000, { issuedAfter: T0 + 11_000 }), keys, new Map()), undefined);
    admit();
    // A clock behind the issue time by more than the skew: the core says invalid; the cache misses.
    assert.ok(cache.get(token, contextAt(T0 + 5000, { clockSkew: 5 }), keys, new Map()) !== undefined);
    assert.equal(cache.get(token, contextAt(T0 + 4999, { clockSkew: 5 }), keys, new Map()), undefined);
    admit();
    assert.equal(cache.get(token, contextAt(T0 + 10_000, { issuedAfter: Number.NaN }), keys, new Map()), undefined);
    admit();
    assert.equal(cache.get(token, contextAt(Number.NaN), keys, new Map()), undefined);
  });

  test('(fast-check) at any clock, skew and issuedAfter, a hit happens only where the core accepts the token, with the same data', async () => {
    const issued = T0 + 100_000;
    const token = await seal(DATA, { keys, ttl: 30, context: NAME, now: issued });
    const first = await unseal(token, { keys, context: NAME, now: issued });
    assert.ok(first.ok);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -70_000, max: 100_000 }),
        fc.integer({ min: 0, max: 60 }),
        fc.option(fc.integer({ min: -5_000, max: 5_000 }), { nil: undefined }),
        async (offset, clockSkew, cutoff) => {
          const cache = new TokenCache();
          admitNow(cache, token, contextAt(issued), keys, first);
          const now = issued + offset;
          const issuedAfter = cutoff === undefined ? undefined : issued + cutoff;
          const into = new Map<string, string>();
          const hit = cache.get(token, contextAt(now, { clockSkew, issuedAfter }), keys, into);
          const core = await unseal(token, { keys, context: NAME, now, clockSkew, issuedAfter });
          assertSameAnswer(
            hit,
            into,
            core,
            `offset ${offset}, skew ${clockSkew}, cutoff ${cutoff}: ${core.ok ? 'ok' : core.reason}`,
          );
        },
      ),
      { seed: 13, numRuns: 300 },
    );
  });

  test('(fast-check) a token admitted as issued holds what the core answers for it, at any issue time, ttl and later clock', async () => {
    const keyId = keyringState(keys).current.id;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 41 }), // any ms, whole seconds or not
        fc.oneof(fc.integer({ min: 1, max: 10 ** 7 }), fc.constant(Infinity)),
        fc.integer({ min: -5_000, max: 2 * 10 ** 7 * 1000 }),
        fc.integer({ min: 0, max: 60 }),
        fc.boolean(),
        async (issued, ttl, offset, clockSkew, signed) => {
          const token = await (signed ? sign : seal)(DATA, { keys, ttl, context: NAME, now: issued });
          const context: SaveContext = {
            ...contextAt(issued, { ttl }),
            id: undefined,
            replaces: undefined,
            issuedAt: null,
          };
          const cache = new TokenCache();
          cache.admitIssued(token, context, keys, keyId, flatEntries(DATA), undefined);
          const now = Math.max(0, issued + offset); // a clock before 1970 is a programmer error
          const into = new Map<string, string>();
          const hit = cache.get(token, contextAt(now, { clockSkew }), keys, into);
          const core = await (signed ? node.verify : unseal)(token, { keys, context: NAME, now, clockSkew });
          assertSameAnswer(hit, into, core, `issued ${issued}, ttl ${ttl}, offset ${offset}`);
        },
      ),
      { seed: 29, numRuns: 300 },
    );
  });

  test('a token issued from a cached token is kept the first time; one issued from a token sent again after a newer one went out is not', async () => {
    const keyId = keyringState(keys).current.id;
    const saveAt: SaveContext = { ...contextAt(T0), id: undefined, replaces: undefined, issuedAt: null };
    const tokenFor = (i: number) => `ss1.${String(i).padStart(74, '0')}${String(i).padStart(22, 'x')}`;
    const cache = new TokenCache();
    /** Reads `token` from the cache, returning the source a session read from it carries (undefined on a miss). */
    const read = (token: string): object | undefined => {
      let source: object | undefined;
      cache.get(token, contextAt(T0), keys, new Map(), (_into, from) => void (source = from));
      return source;
    };
    const hit = (token: string) => cache.get(token, contextAt(T0), keys, new Map()) !== undefined;

    // A browser that keeps its cookies: every token it is sent is read back once, and kept.
    cache.admitIssued(tokenFor(1), saveAt, keys, keyId, flatEntries(DATA), undefined);
    for (let i = 2; i <= 20; i++) {
      const source = read(tokenFor(i - 1));
      assert.ok(source !== undefined, `token ${i - 1} is a hit`);
      cache.admitIssued(tokenFor(i), saveAt, keys, keyId, flatEntries(DATA), source);
      assert.ok(hit(tokenFor(i)), `token ${i} is kept`);
    }

    // A client that sends one token on every write: the first token issued from it is kept, and
    // then none, while the repeated token still answers.
    const { token: repeated, result } = await opened();
    admitNow(cache, repeated, contextAt(T0), keys, result);
    cache.admitIssued(tokenFor(21), saveAt, keys, keyId, flatEntries(DATA), read(repeated));
    assert.ok(hit(repeated) && hit(tokenFor(21)));
    const size = cache.size;
    for (let i = 22; i < 30; i++)
      cache.admitIssued(tokenFor(i), saveAt, keys, keyId, flatEntries(DATA), read(repeated));
    assert.equal(cache.size, size);
    assert.equal(hit(tokenFor(22)), false);
    assert.ok(hit(repeated));
    // The same for an issued token sent again after its successor (parallel requests of a browser).
    cache.admitIssued(tokenFor(30), saveAt, keys, keyId, flatEntries(DATA), read(tokenFor(19)));
    assert.equal(hit(tokenFor(30)), false);
    // A source that is not one of the cache's entries is no source.
    cache.admitIssued(tokenFor(31), saveAt, keys, keyId, flatEntries(DATA), {});
    assert.ok(hit(tokenFor(31)) && hit(repeated));
  });

  test('memory is bounded in entries and in characters, the oldest going first', async () => {
    const { result } = await opened();
    // Distinct tokens of realistic length; admit only looks at the token string and the result.
    const tokenFor = (i: number, length = 100) =>
      `ss1.${String(i).padStart(length - 4 - 22, '0')}${String(i).padStart(22, 'x')}`;
    const byEntries = new TokenCache(8, 1 << 20);
    for (let i = 0; i < 20; i++) admitNow(byEntries, tokenFor(i), contextAt(T0), keys, result);
    assert.equal(byEntries.size, 8);
    assert.equal(byEntries.get(tokenFor(11), contextAt(T0), keys, new Map()), undefined);
    assert.ok(byEntries.get(tokenFor(12), contextAt(T0), keys, new Map()) !== undefined);
    assert.ok(byEntries.get(tokenFor(19), contextAt(T0), keys, new Map()) !== undefined);

    // Two generations of at most 500 characters each: one 300-character token apiece.
    const byChars = new TokenCache(1000, 1000);
    for (let i = 0; i < 50; i++) {
      admitNow(byChars, tokenFor(i, 300), contextAt(T0), keys, result);
      assert.ok(byChars.chars <= 1000);
    }
    assert.equal(byChars.size, 2);
    assert.ok(byChars.get(tokenFor(48, 300), contextAt(T0), keys, new Map()) !== undefined);
    assert.ok(byChars.get(tokenFor(49, 300), contextAt(T0), keys, new Map()) !== undefined);
    // A token longer than a generation's half of the budget is not kept at all.
    admitNow(byChars, tokenFor(99, 501), contextAt(T0), keys, result);
    assert.equal(byChars.get(tokenFor(99, 501), contextAt(T0), keys, new Map()), undefined);
    assert.equal(byChars.size, 2);

    // A hit in the old generation moves the entry to the young one, so it outlives the next turn.
    const kept = new TokenCache(4, 1 << 20);
    for (let i = 0; i < 4; i++) admitNow(kept, tokenFor(i), contextAt(T0), keys, result); // old: 0, 1; young: 2, 3
    assert.ok(kept.get(tokenFor(0), contextAt(T0), keys, new Map()) !== undefined); // young: 2, 3, 0 → old: 2, 3; young: 0
    admitNow(kept, tokenFor(4), contextAt(T0), keys, result); // young: 0, 4
    assert.ok(kept.get(tokenFor(0), contextAt(T0), keys, new Map()) !== undefined);
    assert.equal(kept.get(tokenFor(1), contextAt(T0), keys, new Map()), undefined);
    assert.ok(kept.size <= 4);

    // Re-admitting a token replaces its entry instead of counting it twice.
    const again = new TokenCache();
    for (let i = 0; i < 5; i++) again.admit(tokenFor(1), contextAt(T0), keys, result);
    assert.deepEqual([again.size, again.chars], [1, 100]);
    assert.ok(TOKEN_CACHE_ENTRIES > 0 && TOKEN_CACHE_CHARS >= 16384);
  });
});

for (const [build, api] of [
  ['node', node],
  ['web', web],
] as const) {
  describe(`the cookie store's cache through readSession (${build} build)`, () => {
    for (const signed of [false, true]) {
      const kind = signed ? 'signed' : 'sealed';
      const make = signed ? sign : seal;

      test(`${kind}: a forged token is never admitted, even next to the valid one it was made from`, async () => {
        const reasons: string[] = [];
        const store = api.cookieStore({ keys, signed });
        const config = api.defineSession({
          name: NAME,
          store,
          clockSkew: 0,
          now: () => T0,
          onInvalid: (reason) => void reasons.push(reason),
        });
        const token = await make(DATA, { keys, ttl: 60, context: NAME, now: T0 });
        for (let i = 0; i < 3; i++)
          assert.equal((await api.readSession(`${NAME}=${token}`, config)).session.get('userId'), '12345');
        // Same last characters (the cache's lookup key), a change earlier on: rejected every time.
        for (const at of [5, token.length >> 1, token.length - 23]) {
          for (let i = 0; i < 2; i++) {
            const state = await api.readSession(`${NAME}=${flip(token, at)}`, config);
            assert.equal(state.session.size, 0);
          }
        }
        // The header flip fails to parse; the others fail authentication.
        assert.deepEqual(reasons, ['malformed', 'malformed', 'invalid', 'invalid', 'invalid', 'invalid']);
        assert.equal((await api.readSession(`${NAME}=${token}`, config)).session.get('userId'), '12345');
      });

      test(`${kind}: a cached token expires, and is revoked by issuedAfter, on the request where the core would say so`, async () => {
        const reasons: string[] = [];
        const time = clock();
        let cutoff: number | undefined;
        const config = api.defineSession({
          name: NAME,
          store: api.cookieStore({ keys, signed }),
          ttl: 60,
          clockSkew: 0,
          now: time.now,
          issuedAfter: () => cutoff,
          onInvalid: (reason) => void reasons.push(reason),
        });
        const token = await make(DATA, { keys, ttl: 60, context: NAME, now: T0 });
        const read = async () => (await api.readSession(`${NAME}=${token}`, config)).session.get('userId');
        assert.equal(await read(), '12345');
        assert.equal(await read(), '12345');
        cutoff = T0 + 1000;
        assert.equal(await read(), undefined);
        cutoff = undefined;
        assert.equal(await read(), '12345');
        time.advance(60_000);
        assert.equal(await read(), '12345');
        time.advance(1);
        assert.equal(await read(), undefined);
        assert.deepEqual(reasons, ['revoked', 'expired']);
      });

      test(`${kind}: the token a write issues is kept, so the browser's next request is not opened again`, async () => {
        const store = api.cookieStore({ keys, signed });
        const time = clock();
        const config = api.defineSession({ name: NAME, store, ttl: 60, clockSkew: 0, now: time.now });
        const first = await api.readSession(undefined, config);
        first.session.set('userId', '12345');
        const [line] = await api.commitSession(first, config);
        const token = line!.slice(NAME.length + 1, line!.indexOf(';'));
        // On WebCrypto an opened token is a promise; the issued one answers at once, from the cache.
        const context = { name: NAME, ttl: 60, now: time.now(), clockSkew: 0, issuedAfter: undefined };
        const answer = directCookieStore(store)!.load(token, context, new api.Session());
        assert.equal(isThenable(answer), false);
        // The data arrives in the session it was loaded into; compared as a plain Map.
        const { data, ...metadata } = answer as StoreLoadSuccess;
        assert.deepEqual(
          { ...metadata, data: new Map(data) },
          await (signed ? api.verify : api.unseal)(token, { keys, context: NAME, now: time.now(), clockSkew: 0 }),
        );
        const next = await api.readSession(`${NAME}=${token}`, config);
        assert.deepEqual([...next.session], [['userId', '12345']]);
        // Its expiry is the token's, judged on the hit as the core judges it.
        time.advance(60_001);
        assert.equal((await api.readSession(`${NAME}=${token}`, config)).session.size, 0);
      });

      test(`${kind}: one store under two cookie names opens a token only under its own`, async () => {
        const store = api.cookieStore({ keys, signed });
        const a = api.defineSession({ name: 'a', store, now: () => T0 });
        const b = api.defineSession({ name: 'b', store, now: () => T0 });
        const token = await make(DATA, { keys, ttl: 60, context: 'a', now: T0 });
        assert.equal((await api.readSession(`a=${token}`, a)).session.get('userId'), '12345');
        assert.equal((await api.readSession(`b=${token}`, b)).session.size, 0);
        assert.equal((await api.readSession(`a=${token}`, a)).session.get('userId'), '12345');
      });

      test(`${kind}: a session read from the cache is a fresh, unchanged copy every time`, async () => {
        const config = api.defineSession({ name: NAME, store: api.cookieStore({ keys, signed }), now: () => T0 });
        const token = await make(DATA, { keys, ttl: 60, context: NAME, now: T0 });
        const first = await api.readSession(`${NAME}=${token}`, config);
        first.session.set('role', 'guest');
        first.session.delete('userId');
        const second = await api.readSession(`${NAME}=${token}`, config);
        assert.notEqual(second.session, first.session);
        assert.deepEqual([...second.session], [...DATA]);
        // Nothing changed on the second request: nothing to send.
        assert.deepEqual(await api.commitSession(second, config), []);
      });
    }
  });
}

describe("the cookie store's cache through readSession and commitSession (web build, where a miss is a promise)", () => {
  for (const signed of [false, true]) {
    const kind = signed ? 'signed' : 'sealed';
    const tokenOf = (line: string) => line.slice(NAME.length + 1, line.indexOf(';'));

    test(`${kind}: a browser that keeps its cookies is answered from the cache on every request`, async () => {
      const store = web.cookieStore({ keys, signed });
      const config = web.defineSession({ name: NAME, store, ttl: 60, clockSkew: 0, now: () => T0 });
      const context = { name: NAME, ttl: 60, now: T0, clockSkew: 0, issuedAfter: undefined };
      const cached = (token: string) => !isThenable(directCookieStore(store)!.load(token, context, new web.Session()));
      const first = await web.readSession(undefined, config);
      first.session.set('userId', '12345');
      let token = tokenOf((await web.commitSession(first, config))[0]!);
      for (let i = 0; i < 5; i++) {
        assert.ok(cached(token), `token ${i} is answered from the cache`);
        const state = await web.readSession(`${NAME}=${token}`, config);
        assert.equal(state.session.get('userId'), '12345');
        state.session.set('visit', String(i));
        token = tokenOf((await web.commitSession(state, config))[0]!);
      }
      assert.ok(cached(token));
    });

    test(`${kind}: a client that sends the same cookie on every write fills the cache with none of the tokens it ignores`, async () => {
      const store = web.cookieStore({ keys, signed });
      const config = web.defineSession({ name: NAME, store, ttl: 60, clockSkew: 0, now: () => T0 });
      const context = { name: NAME, ttl: 60, now: T0, clockSkew: 0, issuedAfter: undefined };
      const cached = (token: string) => !isThenable(directCookieStore(store)!.load(token, context, new web.Session()));
      const repeated = await (signed ? sign : seal)(DATA, { keys, ttl: 60, context: NAME, now: T0 });
      const issued: string[] = [];
      for (let i = 0; i < 6; i++) {
        const state = await web.readSession(`${NAME}=${repeated}`, config);
        assert.equal(state.session.get('userId'), '12345');
        state.session.set('visit', String(i));
        issued.push(tokenOf((await web.commitSession(state, config))[0]!));
      }
      assert.ok(cached(repeated), 'the repeated token is answered from the cache');
      // Kept: those issued before the repeated token was cached (it is admitted on its second
      // sighting) and the first issued from the cached one; none after it.
      assert.deepEqual(issued.map(cached), [true, true, true, false, false, false]);
    });
  }
});
