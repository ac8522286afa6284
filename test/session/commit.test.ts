import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  commitSession,
  cookieStore,
  createKeyring,
  defineSession,
  generateKey,
  memoryStore,
  readSession,
  seal,
  type SessionOptions,
  type SessionStore,
} from '../../src/index.js';
import { assertError, BAD_INPUTS, clock, deletedNames, Jar, keys, setNames, T0, untyped } from './helpers.js';

/** A session with `data` committed into a fresh jar, and a helper to run one request against it. */
async function started(options: Omit<SessionOptions, 'now'>, data: Record<string, string> = { userId: '12345' }) {
  const time = clock();
  const config = defineSession({ ...options, now: time.now });
  const jar = new Jar();
  const first = await readSession(undefined, config);
  for (const [k, v] of Object.entries(data)) first.session.set(k, v);
  jar.apply(await commitSession(first, config));
  /** Reads the jar, lets `act` change the session, commits, applies the answer to the jar. */
  const request = async (act: (session: Awaited<ReturnType<typeof readSession>>['session']) => void = () => {}) => {
    const state = await readSession(jar.header(), config);
    act(state.session);
    const lines = await commitSession(state, config);
    jar.apply(lines);
    return { lines, session: state.session };
  };
  return { config, jar, time, request };
}

describe('commitSession sends only when needed', () => {
  test('a new, still-empty session sends nothing', async () => {
    const config = defineSession({ name: 'sid', keys });
    assert.deepEqual(await commitSession(await readSession(undefined, config), config), []);
    const touched = await readSession(undefined, config);
    touched.session.set('a', 'b');
    touched.session.delete('a');
    assert.deepEqual(await commitSession(touched, config), []);
  });

  test('a new session with data sends one cookie', async () => {
    const { jar } = await started({ name: 'sid', keys });
    assert.deepEqual([...jar.cookies.keys()], ['sid']);
  });

  test('an unchanged loaded session sends nothing (rolling off)', async () => {
    const { request } = await started({ name: 'sid', keys, rolling: false });
    const { lines, session } = await request((s) => void s.get('userId'));
    assert.deepEqual(lines, []);
    assert.equal(session.get('userId'), '12345');
  });

  test('clearing a session that had a cookie deletes the cookie', async () => {
    const { jar, request } = await started({ name: 'sid', keys });
    const { lines } = await request((s) => s.clear());
    assert.deepEqual(deletedNames(lines), ['sid']);
    assert.match(lines[0]!, /^sid=; Max-Age=0; Path=\/; Secure; HttpOnly; SameSite=Lax$/);
    assert.equal(jar.cookies.size, 0);
  });

  test('deleting the last entry deletes the cookie too', async () => {
    const { jar, request } = await started({ name: 'sid', keys });
    const { lines } = await request((s) => s.delete('userId'));
    assert.deepEqual(deletedNames(lines), ['sid']);
    assert.equal(jar.cookies.size, 0);
  });

  test('a rejected cookie is left alone unless the application clears the session', async () => {
    // It may be valid on a server that already knows a newer key (a rolling deployment).
    const config = defineSession({ name: 'sid', keys });
    const untouched = await readSession('sid=ss1.garbage', config);
    assert.deepEqual(await commitSession(untouched, config), []);
    const cleared = await readSession('sid=ss1.garbage', config);
    cleared.session.clear();
    assert.deepEqual(deletedNames(await commitSession(cleared, config)), ['sid']);
    const written = await readSession('sid=ss1.garbage', config);
    written.session.set('a', 'b');
    assert.deepEqual(setNames(await commitSession(written, config)), ['sid']);
  });

  test('destroy() expires the cookie; data set after it starts a new session', async () => {
    const { jar, request } = await started({ name: 'sid', keys });
    const before = jar.cookies.get('sid');
    assert.deepEqual(deletedNames((await request((s) => s.destroy())).lines), ['sid']);
    assert.equal(jar.cookies.size, 0);
    const { session } = await request();
    assert.equal(session.isNew, true);

    const again = await started({ name: 'sid', keys });
    const { lines } = await again.request((s) => {
      s.destroy();
      s.set('flash', 'logged out');
    });
    assert.deepEqual(setNames(lines), ['sid']);
    assert.notEqual(again.jar.cookies.get('sid'), before);
    assert.deepEqual([...(await again.request()).session], [['flash', 'logged out']]);
  });

  test('regenerate() re-issues the same data in a new token', async () => {
    const { jar, request } = await started({ name: 'sid', keys, rolling: false });
    const before = jar.cookies.get('sid');
    const { lines } = await request((s) => s.regenerate());
    assert.deepEqual(setNames(lines), ['sid']);
    assert.notEqual(jar.cookies.get('sid'), before);
    assert.deepEqual([...(await request()).session], [['userId', '12345']]);
  });

  test('regenerate() on a server-side store: the new entry is saved before the old one is destroyed', async () => {
    const calls: string[] = [];
    const inner = memoryStore({ keys });
    const store: SessionStore = {
      save: (data, ctx) => (calls.push(`save ${ctx.id === undefined ? 'new' : 'same'}`), inner.save(data, ctx)),
      load: (value, ctx) => inner.load(value, ctx),
      destroy: (id, ctx) => (calls.push('destroy'), inner.destroy(id, ctx)),
    };
    const { request } = await started({ name: 'sid', store, rolling: false });
    calls.length = 0;
    await request((s) => s.regenerate());
    assert.deepEqual(calls, ['save new', 'destroy']);
    assert.equal(inner.size, 1);
  });

  test('a session sealed with an old key is re-sealed with the current one (rotation)', async () => {
    const oldSecret = generateKey();
    const time = clock();
    const oldRing = createKeyring([{ id: 'old', secret: oldSecret }]);
    const newRing = createKeyring([
      { id: 'new', secret: generateKey() },
      { id: 'old', secret: oldSecret },
    ]);
    const token = await seal(new Map([['userId', '1']]), { keys: oldRing, context: 'sid', now: T0 });
    const config = defineSession({ name: 'sid', keys: newRing, rolling: false, now: time.now });
    const state = await readSession(`sid=${token}`, config);
    assert.equal(state.session.keyId, 'old');
    const lines = await commitSession(state, config);
    assert.deepEqual(setNames(lines), ['sid']);
    const reread = await readSession(new Jar().apply(lines).header(), config);
    assert.equal(reread.session.keyId, 'new');
    assert.deepEqual(await commitSession(reread, config), []);
  });
});

describe('rolling', () => {
  const ttl = 100;

  test('default 0.5: re-issued once half the ttl has passed, not before', async () => {
    const { request, time } = await started({ name: 'sid', keys, ttl });
    time.advance(49_000);
    assert.deepEqual((await request()).lines, []);
    time.advance(1000);
    const { lines } = await request();
    assert.deepEqual(setNames(lines), ['sid']);
    assert.match(lines[0]!, /; Max-Age=100;/);
    // The fresh cookie restarts the count, and now outlives the first one's expiry.
    time.advance(49_000);
    assert.deepEqual((await request()).lines, []);
    time.advance(2000);
    assert.deepEqual([...(await request()).session], [['userId', '12345']]);
  });

  test('false: never re-issued, so the session ends ttl after its last change', async () => {
    const { request, time } = await started({ name: 'sid', keys, ttl, rolling: false, clockSkew: 0 });
    time.advance(99_000);
    assert.deepEqual((await request()).lines, []);
    time.advance(2000);
    assert.equal((await request()).session.isNew, true);
  });

  test('judged at the time the session was read: a request that straddles the moment refreshes on the next one', async () => {
    const { config, jar, request, time } = await started({ name: 'sid', keys, ttl });
    time.advance(49_500);
    for (const act of [
      (): void => {},
      (session: Map<string, string>): void => void session.set('userId', 'x').set('userId', '12345'),
    ]) {
      const state = await readSession(jar.header(), config);
      act(state.session);
      time.advance(1000); // past half the ttl while the request runs
      assert.deepEqual(await commitSession(state, config), []);
      time.advance(-1000);
    }
    time.advance(1000);
    assert.deepEqual(setNames((await request()).lines), ['sid']);
  });

  test("true and 'always': re-issued on every request with a valid session", async () => {
    for (const rolling of [true, 'always'] as const) {
      const { request } = await started({ name: 'sid', keys, ttl, rolling });
      assert.deepEqual(setNames((await request()).lines), ['sid']);
      assert.deepEqual(setNames((await request()).lines), ['sid']);
    }
  });

  test('the share applies to the shorter of ttl and the cookie maxAge', async () => {
    const { request, time } = await started({ name: 'sid', keys, ttl, rolling: 0.5, cookie: { maxAge: 20 } });
    time.advance(10_000);
    assert.deepEqual(setNames((await request()).lines), ['sid']);
  });

  test('ttl Infinity with a browser-session cookie has no lifetime to share: never re-issued', async () => {
    const { request, time } = await started({ name: 'sid', keys, ttl: Infinity, cookie: { maxAge: 'session' } });
    time.advance(10 * 365 * 86_400_000);
    assert.deepEqual((await request()).lines, []);
  });

  test('ttl Infinity renews the 400-day persistent cookie after 200 days', async () => {
    const { request, time } = await started({ name: 'sid', keys, ttl: Infinity });
    time.advance(199 * 86_400_000);
    assert.deepEqual((await request()).lines, []);
    time.advance(86_400_000);
    assert.deepEqual(setNames((await request()).lines), ['sid']);
  });

  test('a store that gives no issuedAt is refreshed only by rolling: always', async () => {
    const inner = cookieStore({ keys });
    const store: SessionStore = {
      save: (data, ctx) => inner.save(data, ctx),
      load: async (value, ctx) => {
        const result = await inner.load(value, ctx);
        return result.ok ? { ok: true, data: result.data } : result;
      },
    };
    const lazy = await started({ name: 'sid', store, ttl });
    lazy.time.advance(90_000);
    assert.deepEqual((await lazy.request()).lines, []);
    const eager = await started({ name: 'sid', store, ttl, rolling: 'always' });
    assert.deepEqual(setNames((await eager.request()).lines), ['sid']);
  });
});

describe('commitSession: programmer errors', () => {
  test('a state not from readSession: TypeError, for every bad input', async () => {
    const config = defineSession({ name: 'sid', keys });
    for (const [, bad] of BAD_INPUTS)
      await assertError(
        () => commitSession(untyped(bad), config),
        TypeError,
        'state: expected the result of readSession()',
      );
    await assertError(
      () => commitSession(untyped({ session: new Map() }), config),
      TypeError,
      'state: expected the result of readSession()',
    );
  });

  test('a second commit of one state: TypeError', async () => {
    const config = defineSession({ name: 'sid', keys });
    const state = await readSession(undefined, config);
    await commitSession(state, config);
    await assertError(() => commitSession(state, config), TypeError, 'expected a state not yet committed');
  });

  test('options for another cookie or store than the read: TypeError', async () => {
    const config = defineSession({ name: 'sid', keys });
    const state = await readSession(undefined, config);
    await assertError(
      () => commitSession(state, defineSession({ name: 'other', keys })),
      TypeError,
      'got ones for another cookie name',
    );
    const again = await readSession(undefined, config);
    await assertError(
      () => commitSession(again, defineSession({ name: 'sid', store: cookieStore({ keys }) })),
      TypeError,
      'with another store',
    );
  });

  test('the keys shortcut written inline at read and at commit is the same store', async () => {
    const state = await readSession(undefined, { name: 'sid', keys });
    state.session.set('a', 'b');
    assert.deepEqual(setNames(await commitSession(state, { name: 'sid', keys })), ['sid']);
    const other = await readSession(undefined, { name: 'sid', keys });
    await assertError(
      () => commitSession(other, { name: 'sid', keys: createKeyring(generateKey()) }),
      TypeError,
      'with another store',
    );
  });

  test('a store whose save returns no cookie value: TypeError naming the store', async () => {
    for (const value of [undefined, '', 'has space', 'semi;colon', 42]) {
      const config = defineSession({
        name: 'sid',
        store: { save: () => untyped(value), load: () => ({ ok: false, reason: 'invalid' }) },
      });
      const state = await readSession(undefined, config);
      state.session.set('a', 'b');
      await assertError(
        () => commitSession(state, config),
        TypeError,
        'store.save: expected null or a non-empty string of RFC 6265 cookie-octets',
      );
    }
  });

  test('a store whose save rejects: the error propagates', async () => {
    const down = new Error('disk full');
    const config = defineSession({
      name: 'sid',
      store: { save: () => Promise.reject(down), load: () => ({ ok: false, reason: 'invalid' }) },
    });
    const state = await readSession(undefined, config);
    state.session.set('a', 'b');
    await assert.rejects(commitSession(state, config), (error) => error === down);
  });

  test('a value set around set() validation reaches the core, which refuses it', async () => {
    const config = defineSession({ name: 'sid', keys });
    const state = await readSession(undefined, config);
    state.session.set('a', 'b');
    Map.prototype.set.call(state.session, 'n', 1);
    await assertError(() => commitSession(state, config), TypeError, 'data: expected string values');
  });
});

test('commit uses its own clock reading: the token is issued at commit time', async () => {
  const time = clock();
  const config = defineSession({ name: 'sid', keys, now: time.now });
  const state = await readSession(undefined, config);
  state.session.set('a', 'b');
  time.advance(5000);
  const reread = await readSession(new Jar().apply(await commitSession(state, config)).header(), config);
  assert.equal(reread.session.issuedAt, T0 + 5000);
  assert.equal(reread.session.expiresAt, T0 + 5000 + 604_800_000);
});
