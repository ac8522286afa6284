import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as node from '../../src/index.js';
import * as web from '../../src/web.js';
import { storeConformance } from '../../src/testing.js';
import type { MemoryStore, SessionInvalidReason } from '../../src/index.js';
import {
  assertError,
  BAD_INPUTS,
  clock,
  deletedNames,
  Jar,
  keys,
  otherKeys,
  setNames,
  T0,
  untyped,
} from './helpers.js';

for (const [build, api] of [
  ['node', node],
  ['web', web],
] as const) {
  describe(`memoryStore (${build} build)`, () => {
    for (const check of storeConformance(() => api.memoryStore({ keys }))) {
      test(`conformance: ${check.name}`, () => check.run());
    }

    /** A session config on a memoryStore, and a browser per user. */
    function setup(maxEntries = 10, ttl = 60) {
      const store: MemoryStore = api.memoryStore({ keys, maxEntries });
      const time = clock();
      const reasons: SessionInvalidReason[] = [];
      const config = api.defineSession({
        name: 'sid',
        store,
        ttl,
        clockSkew: 0,
        rolling: false,
        now: time.now,
        onInvalid: (r) => void reasons.push(r),
      });
      const login = async (user: string) => {
        const state = await api.readSession(undefined, config);
        state.session.set('user', user);
        return new Jar().apply(await api.commitSession(state, config));
      };
      const user = async (jar: Jar) => (await api.readSession(jar.header(), config)).session.get('user');
      return { store, time, reasons, config, login, user };
    }

    test('the cookie carries only a signed 256-bit random id, never the data', async () => {
      const { login, config } = setup();
      const jar = await login('alice');
      const value = jar.cookies.get('sid')!;
      const token = await api.verify(value, { keys, context: 'sid', now: T0 });
      assert.ok(token.ok);
      const id = token.data.get('id')!;
      assert.deepEqual([...token.data.keys()], ['id']);
      assert.match(id, /^[A-Za-z0-9_-]{43}$/); // 32 bytes of base64url
      assert.ok(
        !value.includes('alice') && !Buffer.from(value.slice(4), 'base64url').toString('latin1').includes('alice'),
      );
      // Data far beyond a cookie's size stays server-side: the cookie does not grow.
      const state = await api.readSession(jar.header(), config);
      state.session.set('blob', 'x'.repeat(50_000));
      const lines = await api.commitSession(state, config);
      assert.equal(lines.length, 1);
      assert.ok(lines[0]!.length < 300);
    });

    test('two sessions get different ids', async () => {
      const { login } = setup();
      assert.notEqual((await login('a')).cookies.get('sid'), (await login('b')).cookies.get('sid'));
    });

    test('forged ids are rejected by the signature, before any lookup', async () => {
      const { reasons, config } = setup();
      const forged = await api.sign(new Map([['id', 'A'.repeat(43)]]), { keys: otherKeys, context: 'sid', now: T0 });
      const sealed = await api.seal(new Map([['id', 'A'.repeat(43)]]), { keys, context: 'sid', now: T0 });
      for (const value of [forged, sealed, 'A'.repeat(43), 'ss1.AAAA']) {
        assert.equal((await api.readSession(`sid=${value}`, config)).session.size, 0);
      }
      assert.deepEqual(reasons, ['invalid', 'invalid', 'malformed', 'malformed']);
    });

    test('an authentic token that is not an id token is malformed; an authentic unknown id is not-found', async () => {
      const { reasons, config } = setup();
      const extra = await api.sign(
        new Map([
          ['id', 'x'],
          ['role', 'admin'],
        ]),
        { keys, context: 'sid', now: T0 },
      );
      const unknown = await api.sign(new Map([['id', 'B'.repeat(43)]]), { keys, context: 'sid', now: T0 });
      await api.readSession(`sid=${extra}`, config);
      await api.readSession(`sid=${unknown}`, config);
      assert.deepEqual(reasons, ['malformed', 'not-found']);
    });

    test('eviction: past maxEntries, the session saved longest ago goes first', async () => {
      const { store, login, user, reasons } = setup(3);
      const a = await login('a');
      const b = await login('b');
      const c = await login('c');
      assert.equal(store.size, 3);
      await login('d');
      assert.equal(store.size, 3);
      assert.equal(await user(a), undefined);
      assert.deepEqual(reasons, ['not-found']);
      assert.deepEqual([await user(b), await user(c)], ['b', 'c']);
    });

    test('eviction: saving a session again makes it the youngest', async () => {
      const { login, user, config } = setup(3);
      const a = await login('a');
      const b = await login('b');
      await login('c');
      const state = await api.readSession(a.header(), config);
      state.session.set('seen', '1');
      a.apply(await api.commitSession(state, config));
      await login('d');
      assert.equal(await user(a), 'a');
      assert.equal(await user(b), undefined);
    });

    test('entries expire with the ttl, by context.now, and expired ones are swept on save', async () => {
      const { store, login, user, time, reasons } = setup(10, 60);
      const a = await login('a');
      time.advance(60_000);
      assert.equal(await user(a), 'a');
      time.advance(1000);
      assert.equal(await user(a), undefined);
      assert.deepEqual(reasons, ['expired']);
      assert.equal(store.size, 1);
      await login('b');
      assert.equal(store.size, 1, 'the expired entry was swept');
    });

    test('an entry that outlived its ttl is expired even under a fresh id token', async () => {
      // The id token and the entry normally expire together; a token re-signed elsewhere must not revive old data.
      const store = api.memoryStore({ keys });
      const context = {
        name: 'sid',
        ttl: 60,
        now: T0,
        clockSkew: 0,
        issuedAfter: undefined,
        id: undefined,
        replaces: undefined,
        issuedAt: null,
      };
      const value = (await store.save(new Map([['a', 'b']]), context))!;
      const loaded = await store.load(value, context);
      assert.ok(loaded.ok && loaded.id !== undefined);
      const later = { ...context, now: T0 + 120_000 };
      const resigned = await api.sign(new Map([['id', loaded.id!]]), {
        keys,
        ttl: 600,
        context: 'sid',
        now: later.now,
      });
      assert.deepEqual(await store.load(resigned, later), { ok: false, reason: 'expired' });
      assert.equal(store.size, 0);
    });

    test('destroy removes the entry and expires the cookie; the old cookie is then not-found', async () => {
      const { store, login, config, reasons } = setup();
      const jar = await login('a');
      const stolen = jar.header();
      const state = await api.readSession(jar.header(), config);
      state.session.destroy();
      assert.deepEqual(deletedNames(await api.commitSession(state, config)), ['sid']);
      assert.equal(store.size, 0);
      assert.equal((await api.readSession(stolen, config)).session.size, 0);
      assert.deepEqual(reasons, ['not-found']);
    });

    test('clearing the session removes the entry too', async () => {
      const { store, login, config } = setup();
      const jar = await login('a');
      const state = await api.readSession(jar.header(), config);
      state.session.clear();
      assert.deepEqual(deletedNames(await api.commitSession(state, config)), ['sid']);
      assert.equal(store.size, 0);
    });

    test('regenerate: a new id for the same data, the old entry deleted (session fixation)', async () => {
      const { store, login, user, config, reasons } = setup();
      // The attacker's planted cookie, which the victim then logs in with.
      const planted = await login('anonymous');
      const fixed = planted.header();
      const state = await api.readSession(fixed, config);
      state.session.set('user', 'victim');
      state.session.regenerate();
      const lines = await api.commitSession(state, config);
      assert.deepEqual(setNames(lines), ['sid']);
      const victim = new Jar().apply(lines);
      assert.notEqual(victim.header(), fixed);
      assert.equal(await user(victim), 'victim');
      assert.equal((await api.readSession(fixed, config)).session.size, 0);
      assert.deepEqual(reasons, ['not-found']);
      assert.equal(store.size, 1);
    });

    test('changing the loaded session without commit does not change the store', async () => {
      const { login, user, config } = setup();
      const jar = await login('a');
      const state = await api.readSession(jar.header(), config);
      state.session.set('user', 'mallory');
      assert.equal(await user(jar), 'a');
    });

    test("indexBy + destroyAll ends exactly one user's sessions, and the index forgets ended sessions", async () => {
      const store = api.memoryStore({ keys, indexBy: 'userId' });
      const time = clock();
      const config = api.defineSession({ name: 'sid', store, ttl: 60, rolling: false, clockSkew: 0, now: time.now });
      const login = async (userId: string) => {
        const state = await api.readSession(undefined, config);
        state.session.set('userId', userId);
        return new Jar().apply(await api.commitSession(state, config));
      };
      const userOf = async (jar: Jar) => (await api.readSession(jar.header(), config)).session.get('userId');
      const alice = [await login('alice'), await login('alice'), await login('alice')];
      const bob = [await login('bob'), await login('bob')];
      const anonymous = await (async () => {
        const state = await api.readSession(undefined, config);
        state.session.set('cart', '1');
        return new Jar().apply(await api.commitSession(state, config));
      })();
      assert.equal(await store.destroyAll('alice'), 3);
      for (const jar of alice) assert.equal(await userOf(jar), undefined);
      for (const jar of bob) assert.equal(await userOf(jar), 'bob');
      assert.equal((await api.readSession(anonymous.header(), config)).session.get('cart'), '1');
      assert.equal(await store.destroyAll('alice'), 0);
      assert.equal(await store.destroyAll('nobody'), 0);
      // A session whose owner changes moves in the index; one that is destroyed leaves it.
      const state = await api.readSession(bob[0]!.header(), config);
      state.session.set('userId', 'carol');
      await api.commitSession(state, config);
      const gone = await api.readSession(bob[1]!.header(), config);
      gone.session.destroy();
      await api.commitSession(gone, config);
      assert.equal(await store.destroyAll('bob'), 0);
      assert.equal(await store.destroyAll('carol'), 1);
      assert.equal(store.size, 1);
      await assertError(
        () => api.memoryStore({ keys }).destroyAll('x'),
        TypeError,
        'memoryStore.destroyAll: expected a store made with the indexBy option',
      );
      await assertError(
        () => store.destroyAll(untyped(42)),
        TypeError,
        'memoryStore.destroyAll: expected the "userId" value (a string), got number 42',
      );
    });

    test('maxEntryBytes refuses an oversized session with a RangeError; maxBytes evicts the oldest', async () => {
      const store = api.memoryStore({ keys, maxEntryBytes: 1000, maxBytes: 3000 });
      const config = api.defineSession({ name: 'sid', store, ttl: 60, rolling: false, clockSkew: 0, now: clock().now });
      const save = async (value: string) => {
        const state = await api.readSession(undefined, config);
        state.session.set('v', value);
        return new Jar().apply(await api.commitSession(state, config));
      };
      const big = await api.readSession(undefined, config);
      big.session.set('blob', 'x'.repeat(50 * 1024 * 1024));
      await assertError(
        () => api.commitSession(big, config),
        RangeError,
        'memoryStore: expected a session of at most maxEntryBytes (1000 bytes), got 104857608 bytes',
      );
      assert.equal(store.size, 0);
      // 2 bytes per code unit: 'v' + 399 characters is 800 bytes; three fit in 3000, the fourth evicts the first.
      const jars = [await save('a'.repeat(399)), await save('b'.repeat(399)), await save('c'.repeat(399))];
      assert.deepEqual([store.size, store.bytes], [3, 2400]);
      jars.push(await save('d'.repeat(399)));
      assert.deepEqual([store.size, store.bytes], [3, 2400]);
      const values = await Promise.all(
        jars.map(async (jar) => (await api.readSession(jar.header(), config)).session.get('v')?.[0]),
      );
      assert.deepEqual(values, [undefined, 'b', 'c', 'd']);
      await assertError(
        () => api.memoryStore({ keys, maxEntryBytes: 10, maxBytes: 5 }),
        RangeError,
        'memoryStore options.maxEntryBytes: expected at most maxBytes (5), got 10',
      );
      await assertError(
        () => api.memoryStore(untyped({ keys, maxBytes: 0 })),
        RangeError,
        'memoryStore options.maxBytes: expected a whole number from 1',
      );
      await assertError(
        () => api.memoryStore(untyped({ keys, indexBy: 5 })),
        TypeError,
        'memoryStore options.indexBy: expected a session key',
      );
    });

    test('anonymous traffic that writes sessions evicts signed-in users; a session written only after login does not', async () => {
      const store = api.memoryStore({ keys, maxEntries: 100 });
      const config = api.defineSession({
        name: 'sid',
        store,
        ttl: 600,
        rolling: false,
        clockSkew: 0,
        now: clock().now,
      });
      const login = async () => {
        const state = await api.readSession(undefined, config);
        state.session.set('userId', 'alice');
        return new Jar().apply(await api.commitSession(state, config));
      };
      const visit = async (write: boolean) => {
        const state = await api.readSession(undefined, config);
        if (write) state.session.set('visited', '1');
        return api.commitSession(state, config);
      };
      const alice = await login();
      for (let i = 0; i < 200; i++) assert.deepEqual(await visit(false), []); // reads nothing, writes nothing
      assert.equal((await api.readSession(alice.header(), config)).session.get('userId'), 'alice');
      for (let i = 0; i < 200; i++) await visit(true);
      assert.equal((await api.readSession(alice.header(), config)).session.get('userId'), undefined);
    });

    test('validates its options at once', async () => {
      for (const [, bad] of BAD_INPUTS) {
        if (
          typeof bad === 'object' &&
          bad !== null &&
          !Array.isArray(bad) &&
          !(bad instanceof Map) &&
          !(bad instanceof String)
        )
          continue;
        await assertError(
          () => api.memoryStore(untyped(bad)),
          TypeError,
          /^(memoryStore options|options\.keys): expected/,
        );
        // undefined is the default and 42 a fine limit; everything else in the catalogue is not a whole number from 1.
        if (bad !== undefined && bad !== 42)
          await assertError(
            () => api.memoryStore(untyped({ keys, maxEntries: bad })),
            RangeError,
            'memoryStore options.maxEntries',
          );
      }
      await assertError(() => api.memoryStore(untyped(null)), TypeError, 'memoryStore options: expected an object');
      await assertError(() => api.memoryStore(untyped({})), TypeError, 'options.keys: expected a keyring');
      await assertError(
        () => api.memoryStore(untyped({ keys, maxEntries: 0 })),
        RangeError,
        'memoryStore options.maxEntries: expected a whole number from 1, got number 0',
      );
      await assertError(() => api.memoryStore(untyped({ keys, maxEntries: 1.5 })), RangeError, 'maxEntries');
      await assertError(
        () => api.memoryStore(untyped({ keys, maxSize: 5 })),
        TypeError,
        'expected only the keys keys, maxEntries, maxBytes, maxEntryBytes, indexBy',
      );
    });
  });
}
