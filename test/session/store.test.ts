import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as api from '../../src/index.js';
import { bounded, StoreTimeoutError } from '../../src/session/store.js';
import { assertError, BAD_INPUTS, Jar, keys, untyped } from './helpers.js';

/** A store whose calls never answer (a database that hangs), wrapping a memoryStore for the rest. */
function hangingStore(hang: { load?: boolean; save?: boolean; destroy?: boolean }) {
  const inner = api.memoryStore({ keys });
  const never = new Promise<never>(() => {});
  return {
    inner,
    store: {
      load: (value: string, context: api.StoreContext) => (hang.load === true ? never : inner.load(value, context)),
      save: (data: ReadonlyMap<string, string>, context: api.SaveContext) =>
        hang.save === true ? never : inner.save(data, context),
      destroy: (id: string, context: api.StoreContext) => (hang.destroy === true ? never : inner.destroy(id, context)),
    } satisfies api.SessionStore,
  };
}

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('storeTimeout: bounded waits for store calls', () => {
  test('the default wait for a store call is 5000 ms, as docs/api.md and docs/stores.md say', () => {
    assert.equal(api.defineSession({ name: 'sid', keys }).storeTimeout, 5000);
  });

  for (const method of ['load', 'save', 'destroy'] as const) {
    test(`a hanging ${method} fails the request with StoreTimeoutError, and writes no cookie`, async () => {
      const { store, inner } = hangingStore({ [method]: true });
      const config = api.defineSession({ name: 'sid', store, storeTimeout: 30 });
      const healthy = api.defineSession({ name: 'sid', store: inner });
      const login = await api.readSession(undefined, healthy);
      login.session.set('userId', 'alice');
      const jar = new Jar().apply(await api.commitSession(login, healthy));
      const reading = api.readSession(jar.header(), config);
      if (method === 'load') {
        const error = await rejection(reading);
        assert.ok(error instanceof StoreTimeoutError && error instanceof api.StoreTimeoutError, String(error));
        assert.equal(error.name, 'StoreTimeoutError');
        assert.equal(error.code, 'ERR_SESSION_STORE_TIMEOUT');
        assert.equal(error.message, 'session store: load did not answer within 30 ms (options.storeTimeout)');
        return;
      }
      const state = await reading;
      if (method === 'save') state.session.set('cart', '1');
      else state.session.destroy();
      const error = await rejection(api.commitSession(state, config));
      assert.ok(error instanceof StoreTimeoutError, String(error));
      assert.equal(error.message, `session store: ${method} did not answer within 30 ms (options.storeTimeout)`);
      // Nothing was half-written: the session is as it was.
      assert.equal((await api.readSession(jar.header(), healthy)).session.get('userId'), 'alice');
      assert.equal((await api.readSession(jar.header(), healthy)).session.get('cart'), undefined);
    });
  }

  test('a store that answers in time is untouched; a rejection passes through; Infinity waits', async () => {
    const failure = new Error('down');
    assert.equal(await bounded(Promise.resolve(7), 1000, 'load'), 7);
    assert.equal(bounded(7, 1, 'load'), 7);
    assert.equal(await rejection(bounded(Promise.reject(failure), 1000, 'save')), failure);
    const slow = new Promise((resolve) => setTimeout(() => resolve('late'), 20));
    assert.equal(await bounded(slow, Infinity, 'load'), 'late');
    assert.equal(api.defineSession({ name: 'sid', keys, storeTimeout: Infinity }).storeTimeout, Infinity);
  });

  test('validates storeTimeout at start-up', async () => {
    for (const [, bad] of BAD_INPUTS) {
      // undefined and null (like every option here) give the default; whole numbers in range and Infinity are fine timeouts.
      if (
        bad === undefined ||
        bad === null ||
        bad === Infinity ||
        (typeof bad === 'number' && Number.isInteger(bad) && bad >= 1 && bad < 2 ** 31)
      )
        continue;
      await assertError(
        () => api.defineSession(untyped({ name: 'sid', keys, storeTimeout: bad })),
        RangeError,
        'options.storeTimeout: expected a whole number of ms from 1 to 2147483647 or Infinity',
      );
    }
    for (const bad of [0, -1, 1.5, 2 ** 31, NaN]) {
      await assertError(
        () => api.defineSession({ name: 'sid', keys, storeTimeout: bad }),
        RangeError,
        'options.storeTimeout',
      );
    }
  });
});

describe('revocableStore', () => {
  function setup(rolling: boolean | 'always' = false) {
    let now = Date.UTC(2025, 0, 1, 0, 0, 0, 250);
    const cutoffs = new Map<string, number>();
    const store = api.revocableStore(api.memoryStore({ keys }), {
      cutoff: (data) => cutoffs.get(data.get('userId') ?? ''),
    });
    const reasons: string[] = [];
    const config = api.defineSession({
      name: 'sid',
      store,
      rolling,
      clockSkew: 0,
      now: () => now,
      onInvalid: (r) => void reasons.push(r),
    });
    const login = async (userId: string) => {
      const state = await api.readSession(undefined, config);
      state.session.set('userId', userId);
      return new Jar().apply(await api.commitSession(state, config));
    };
    const userOf = async (jar: Jar) => (await api.readSession(jar.header(), config)).session.get('userId');
    return { cutoffs, config, login, userOf, reasons, advance: (ms: number) => (now += ms), now: () => now };
  }

  test("a session issued in or before its owner's cut-off second is revoked; others are not", async () => {
    const { cutoffs, login, userOf, reasons, advance, now } = setup();
    const alice = await login('alice');
    const bob = await login('bob');
    advance(500);
    cutoffs.set('alice', now()); // same second as the login: the safe side of whole-second issue times
    assert.equal(await userOf(alice), undefined);
    assert.deepEqual(reasons, ['revoked']);
    assert.equal(await userOf(bob), 'bob');
  });

  test("a login in the cut-off's second is issued after it (it waits), so it is not revoked at once", async () => {
    const { cutoffs, login, userOf, advance, now } = setup();
    cutoffs.set('alice', now());
    const jar = await login('alice'); // waits out the rest of the second (750 ms)
    advance(1000);
    assert.equal(await userOf(jar), 'alice');
    cutoffs.set('carol', now() + 5000);
    await assertError(
      () => login('carol'),
      RangeError,
      'revocableStore: expected a cut-off in the past, got one 5750 ms ahead of the clock',
    );
  });

  for (const rolling of [false, 'always'] as const) {
    test(`a request in flight during the revocation cannot re-issue the session (rolling ${rolling})`, async () => {
      const { cutoffs, config, login, userOf, advance, now } = setup(rolling);
      const jar = await login('alice');
      advance(2000);
      const inFlight = await api.readSession(jar.header(), config);
      cutoffs.set('alice', now());
      if (rolling === false) inFlight.session.set('cart', '1');
      const lines = await api.commitSession(inFlight, config);
      assert.ok(lines.length === 1 && /; Max-Age=0(;|$)/.test(lines[0]!), lines.join('\n'));
      assert.equal(await userOf(jar), undefined);
    });
  }

  test('a store without issue times cannot be judged: TypeError', async () => {
    const store = api.revocableStore(
      { save: () => 'x', load: () => ({ ok: true, data: new Map([['userId', 'a']]) }) },
      { cutoff: () => undefined },
    );
    const config = api.defineSession({ name: 'sid', store });
    await assertError(
      () => api.readSession('sid=x', config),
      TypeError,
      "revocableStore: expected the store's load to return issuedAt, got undefined",
    );
  });

  test('passes destroy and validate through', async () => {
    const calls: string[] = [];
    const store = api.revocableStore(
      {
        save: () => 'x',
        load: () => ({ ok: false, reason: 'invalid' }),
        destroy: (id) => void calls.push(`destroy ${id}`),
        validate: (setup) => void calls.push(`validate ${setup.ttl}`),
      },
      { cutoff: () => undefined },
    );
    api.defineSession({ name: 'sid', store, ttl: 60 });
    await store.destroy!('a', untyped({}));
    assert.deepEqual(calls, ['validate 60', 'destroy a']);
    assert.equal(api.revocableStore(api.cookieStore({ keys }), { cutoff: () => undefined }).destroy, undefined);
  });
});
