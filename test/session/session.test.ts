import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { commitSession, cookieStore, defineSession, readSession, Session } from '../../src/index.js';
import { assertError, BAD_INPUTS, clock, Jar, keys, LONE_SURROGATE, untyped } from './helpers.js';

describe('Session is a Map<string, string>', () => {
  test('get, set, has, delete, clear, size, iteration and instanceof Map', () => {
    const session = new Session();
    assert.ok(session instanceof Map);
    assert.equal(session.set('a', '1'), session);
    session.set('b', '2').set('a', '3');
    assert.equal(session.get('a'), '3');
    assert.equal(session.has('b'), true);
    assert.equal(session.size, 2);
    assert.deepEqual(
      [...session],
      [
        ['a', '3'],
        ['b', '2'],
      ],
    );
    assert.equal(session.delete('b'), true);
    assert.equal(session.delete('b'), false);
    session.clear();
    assert.equal(session.size, 0);
  });

  test('a new Session is new and carries no cookie metadata; metadata is read-only', () => {
    const session = new Session([['userId', '1']]);
    assert.equal(session.get('userId'), '1');
    assert.equal(session.isNew, true);
    assert.equal(session.keyId, null);
    assert.equal(session.issuedAt, null);
    assert.equal(session.expiresAt, null);
    assert.throws(() => {
      (session as unknown as { isNew: boolean }).isNew = false;
    }, TypeError);
    assert.equal(session.isNew, true);
    // Internals are private fields: nothing enumerable besides what Map shows.
    assert.deepEqual(Object.keys(session), []);
  });

  test('set throws a TypeError for every bad key and value of the catalogue', async () => {
    const session = new Session();
    for (const [label, bad] of BAD_INPUTS) {
      if (typeof bad === 'string' && bad !== LONE_SURROGATE) continue; // ordinary strings are valid
      await assertError(
        () => session.set(untyped(bad), 'v'),
        TypeError,
        /session\.set: expected a (string|well-formed string) key/,
      );
      await assertError(
        () => session.set('k', untyped(bad)),
        TypeError,
        /session\.set: expected a (string|well-formed string) value/,
      );
      assert.equal(session.size, 0, label);
    }
    await assertError(() => new Session([['k', untyped(1)]]), TypeError, 'serialize other values, e.g. JSON.stringify');
  });

  test('a megabyte string and non-BMP text are valid values', () => {
    const session = new Session();
    session.set('big', 'a'.repeat(1 << 20)).set('emoji', '🍪');
    assert.equal(session.get('big')!.length, 1 << 20);
    assert.equal(session.get('emoji'), '🍪');
  });
});

describe('Session tracks changes: an unchanged session commits nothing', () => {
  const entries = fc.uniqueArray(
    fc.tuple(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 24 })),
    { selector: ([k]) => k, minLength: 1, maxLength: 10 },
  );

  // The cookie store decodes straight into the session; any other store's data is copied in. Both
  // must compare against the entries as loaded.
  const wrapped = cookieStore({ keys });
  for (const [label, storeOptions] of [
    ['the cookie store (data decoded into the session)', { keys }],
    ['a store wrapping it (data copied into the session)', { store: { save: wrapped.save, load: wrapped.load } }],
  ] as const) {
    test(`(fast-check) loaded, read, set to the same values, set-and-restored: no Set-Cookie, with ${label}`, async () => {
      const time = clock();
      const config = defineSession({ name: 'sid', ...storeOptions, rolling: false, now: time.now });
      await fc.assert(
        fc.asyncProperty(entries, fc.string({ maxLength: 8 }), async (data, probe) => {
          const state = await readSession(undefined, config);
          for (const [k, v] of data) state.session.set(k, v);
          const jar = new Jar().apply(await commitSession(state, config));
          const loaded = await readSession(jar.header(), config);
          // Reads, re-sets of the same value, and changes undone before commit.
          loaded.session.get(probe);
          loaded.session.has(probe);
          [...loaded.session.entries()].forEach(([k, v]) => loaded.session.set(k, v));
          const [firstKey, firstValue] = data[0]!;
          loaded.session.set(firstKey, `${firstValue}!`);
          loaded.session.set(firstKey, firstValue);
          loaded.session.delete(firstKey);
          loaded.session.set(firstKey, firstValue);
          if (!loaded.session.has(`${probe}\u0000new`)) {
            loaded.session.set(`${probe}\u0000new`, 'x');
            loaded.session.delete(`${probe}\u0000new`);
          }
          assert.deepEqual(await commitSession(loaded, config), []);
          // Emptied and refilled with the same entries: still nothing to send.
          const refilled = await readSession(jar.header(), config);
          refilled.session.clear();
          for (const [k, v] of data) refilled.session.set(k, v);
          assert.deepEqual(await commitSession(refilled, config), []);
        }),
        { numRuns: 60 },
      );
    });
  }

  test('an entry added through Map.prototype beside a restored change still counts as a change', async () => {
    const config = defineSession({ name: 'sid', keys, rolling: false });
    const first = await readSession(undefined, config);
    first.session.set('a', '1');
    const jar = new Jar().apply(await commitSession(first, config));
    const loaded = await readSession(jar.header(), config);
    loaded.session.set('a', '2').set('a', '1');
    Map.prototype.set.call(loaded.session, 'b', '2'); // bypasses the class, as the docs warn
    assert.equal((await commitSession(loaded, config)).length, 1);
  });

  test('(fast-check) any real change sends exactly one cookie that loads the new data', async () => {
    const time = clock();
    const config = defineSession({ name: 'sid', keys, rolling: false, now: time.now });
    await fc.assert(
      fc.asyncProperty(
        entries,
        fc.string({ maxLength: 12 }),
        fc.string({ maxLength: 12 }),
        async (data, key, value) => {
          const state = await readSession(undefined, config);
          for (const [k, v] of data) state.session.set(k, v);
          const jar = new Jar().apply(await commitSession(state, config));
          const loaded = await readSession(jar.header(), config);
          const before = loaded.session.get(key);
          fc.pre(before !== value);
          loaded.session.set(key, value);
          const lines = await commitSession(loaded, config);
          assert.equal(lines.length, 1);
          const reread = await readSession(jar.apply(lines).header(), config);
          assert.equal(reread.session.get(key), value);
          assert.equal(reread.session.size, data.length + (before === undefined ? 1 : 0));
        },
      ),
      { numRuns: 60 },
    );
  });
});
