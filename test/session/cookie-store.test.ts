import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as node from '../../src/index.js';
import * as web from '../../src/web.js';
import { storeConformance } from '../../src/testing.js';
import fc from 'fast-check';
import { isCookieValue } from '../../src/session/cookie.js';
import { assertError, BAD_INPUTS, clock, Jar, keys, T0, untyped } from './helpers.js';

for (const [build, api] of [
  ['node', node],
  ['web', web],
] as const) {
  describe(`cookieStore (${build} build)`, () => {
    for (const signed of [false, true]) {
      for (const check of storeConformance(() => api.cookieStore({ keys, signed }))) {
        test(`conformance, ${signed ? 'signed' : 'sealed'}: ${check.name}`, () => check.run());
      }
    }

    test('sealed (the default) hides the data; signed shows it but cannot be changed', async () => {
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
      const secret = 'correct horse battery staple';
      const sealed = (await api.cookieStore({ keys }).save(new Map([['password', secret]]), context))!;
      const signed = (await api.cookieStore({ keys, signed: true }).save(new Map([['password', secret]]), context))!;
      const decode = (token: string) => Buffer.from(token.slice(4), 'base64url').toString('latin1');
      assert.ok(!decode(sealed).includes(secret));
      assert.ok(decode(signed).includes(secret));
      // Each opens only its own kind: a signed token never passes as a sealed one, nor back.
      const sealedResult = await api.cookieStore({ keys }).load(signed, context);
      const signedResult = await api.cookieStore({ keys, signed: true }).load(sealed, context);
      assert.deepEqual([sealedResult.ok, signedResult.ok], [false, false]);
    });

    test('(fast-check) every value it saves is a cookie-value, which commit relies on without scanning it', async () => {
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
      const stores = [api.cookieStore({ keys }), api.cookieStore({ keys, signed: true })];
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.tuple(fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 60 })),
            { maxLength: 8 },
          ),
          async (entries) => {
            for (const store of stores) {
              const value = await store.save(new Map(entries), context);
              assert.ok(typeof value === 'string' && value.length > 4 && isCookieValue(value), String(value));
            }
          },
        ),
        { numRuns: 100 },
      );
    });

    test('its own save and load return promises, and a bad option rejects rather than throws', async () => {
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
      for (const store of [api.cookieStore({ keys }), api.cookieStore({ keys, signed: true })]) {
        const saving = store.save(new Map([['a', 'b']]), context);
        assert.ok(saving instanceof Promise);
        const loading = store.load((await saving)!, context);
        assert.ok(loading instanceof Promise);
        assert.deepEqual((await loading).ok, true);
        const refused = store.save(new Map([['a', 'b']]), { ...context, ttl: -1 });
        assert.ok(refused instanceof Promise);
        await assert.rejects(refused, RangeError);
      }
    });

    test('the keys shortcut is a sealed cookieStore', async () => {
      const time = clock();
      const config = api.defineSession({ name: 'sid', keys, now: time.now });
      const state = await api.readSession(undefined, config);
      state.session.set('a', 'b');
      const jar = new Jar().apply(await api.commitSession(state, config));
      const token = jar.cookies.get('sid')!;
      const opened = await api.unseal(token, { keys, context: 'sid', now: T0 });
      assert.deepEqual(opened.ok && [...opened.data], [['a', 'b']]);
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
          () => api.cookieStore(untyped(bad)),
          TypeError,
          /^(cookieStore options|options\.keys): expected/,
        );
      }
      await assertError(
        () => api.cookieStore(untyped({ keys: 'secret' })),
        TypeError,
        'options.keys: expected a keyring from createKeyring()',
      );
      await assertError(
        () => api.cookieStore(untyped({ keys, signed: 'yes' })),
        TypeError,
        'cookieStore options.signed: expected a boolean',
      );
      await assertError(
        () => api.cookieStore(untyped({ keys, sealed: false })),
        TypeError,
        'expected only the keys keys, signed',
      );
    });
  });
}

test('a session written by the Node build is read by the Web build, and back', async () => {
  const time = clock();
  const nodeConfig = node.defineSession({ name: 'sid', keys, now: time.now });
  const webConfig = web.defineSession({ name: 'sid', keys, now: time.now });
  const first = await node.readSession(undefined, nodeConfig);
  first.session.set('from', 'node');
  const jar = new Jar().apply(await node.commitSession(first, nodeConfig));
  const second = await web.readSession(jar.header(), webConfig);
  assert.equal(second.session.get('from'), 'node');
  second.session.set('from', 'web');
  jar.apply(await web.commitSession(second, webConfig));
  assert.equal((await node.readSession(jar.header(), nodeConfig)).session.get('from'), 'web');
});
