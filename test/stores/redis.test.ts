import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'redis';
import { Redis } from 'ioredis';
import * as core from '../../src/index.js';
import { storeConformance } from '../../src/testing.js';

const api = { ...core, storeConformance };
import { redisRevocation, redisStore } from '../../src/redis.js';
import { assertError, clock, Jar, keys, T0, untyped } from '../session/helpers.js';
import { startRedis, type RedisServer } from './redis-server.js';

let server: RedisServer;
/** The connected client, typed by what connect() returns. */
const connect = (url: string) => createClient({ url }).connect();
let nodeRedis: Awaited<ReturnType<typeof connect>>;
let ioredis: Redis;

before(async () => {
  server = await startRedis();
  nodeRedis = await connect(server.url);
  ioredis = new Redis(server.port, '127.0.0.1', { maxRetriesPerRequest: null });
});

after(async () => {
  nodeRedis.destroy();
  ioredis.disconnect();
  await server.stop();
});

/** Each store gets its own prefix, so every check starts from an empty store on the shared server. */
let stores = 0;
const prefix = () => `t${++stores}:`;
/** A raw command through ioredis, for looking at what the store wrote. */
const raw = (...args: string[]) => ioredis.call(args[0]!, ...args.slice(1));

for (const [family, client] of [
  ['node-redis', () => nodeRedis],
  ['ioredis', () => ioredis],
] as const) {
  describe(`redisStore (${family})`, () => {
    for (const check of api.storeConformance(() =>
      redisStore({ client: client(), keys, prefix: prefix(), indexBy: 'userId' }),
    )) {
      test(`conformance: ${check.name}`, () => check.run());
    }
    for (const check of api.storeConformance(() => redisStore({ client: client(), keys, prefix: prefix() }))) {
      test(`conformance without indexBy: ${check.name}`, () => check.run());
    }

    /** A config on a fresh redisStore and a login for a user. */
    function setup(ttl = 3600, rolling: boolean | 'always' = false) {
      const p = prefix();
      const store = redisStore({ client: client(), keys, prefix: p, indexBy: 'userId' });
      const time = clock(Date.now());
      const config = api.defineSession({ name: 'sid', store, ttl, rolling, clockSkew: 0, now: time.now });
      const login = async (userId: string) => {
        const state = await api.readSession(undefined, config);
        state.session.set('userId', userId);
        return new Jar().apply(await api.commitSession(state, config));
      };
      const userOf = async (jar: Jar) => (await api.readSession(jar.header(), config)).session.get('userId');
      const idOf = async (jar: Jar) => {
        const token = await api.verify(jar.cookies.get('sid')!, { keys, context: 'sid', now: time.now() });
        assert.ok(token.ok);
        return token.data.get('id')!;
      };
      return { p, store, time, config, login, userOf, idOf };
    }

    test("destroyAll removes exactly one user's sessions, and the index follows owners", async () => {
      const { p, store, login, userOf, config } = setup();
      const alice = await Promise.all([login('alice'), login('alice'), login('alice')]);
      const bob = await Promise.all([login('bob'), login('bob')]);
      assert.equal(await raw('ZCARD', `${p}idx:alice`), 3);
      assert.equal(await store.destroyAll('alice'), 3);
      for (const jar of alice) assert.equal(await userOf(jar), undefined);
      for (const jar of bob) assert.equal(await userOf(jar), 'bob');
      assert.equal(await raw('EXISTS', `${p}idx:alice`), 0);
      assert.equal(await store.destroyAll('alice'), 0);
      // An owner change moves the session in the index; a destroy takes it out.
      const moved = await api.readSession(bob[0]!.header(), config);
      moved.session.set('userId', 'carol');
      await api.commitSession(moved, config);
      const ended = await api.readSession(bob[1]!.header(), config);
      ended.session.destroy();
      await api.commitSession(ended, config);
      assert.equal(await raw('EXISTS', `${p}idx:bob`), 0);
      assert.equal(await store.destroyAll('carol'), 1);
      assert.deepEqual(await raw('KEYS', `${p}*`), []);
      await assertError(
        () => redisStore({ client: client(), keys }).destroyAll('x'),
        TypeError,
        'redisStore.destroyAll: expected a store made with the indexBy option',
      );
      await assertError(
        () => store.destroyAll(untyped(1)),
        TypeError,
        'redisStore.destroyAll: expected the "userId" value (a string), got number 1',
      );
    });

    test('keys expire with the ttl; a rolling refresh sets the expiry again; ttl Infinity never expires', async () => {
      const { p, login, idOf, config, time } = setup(3600, 'always');
      const jar = await login('alice');
      const key = `${p}${await idOf(jar)}`;
      const pttl = Number(await raw('PTTL', key));
      assert.ok(pttl > 3_500_000 && pttl <= 3_600_000, String(pttl));
      const indexTtl = Number(await raw('PTTL', `${p}idx:alice`));
      assert.ok(indexTtl > 3_500_000 && indexTtl <= 3_600_000, String(indexTtl));
      await raw('PEXPIRE', key, '100000');
      time.advance(1000);
      const state = await api.readSession(jar.header(), config);
      const lines = await api.commitSession(state, config); // rolling: 'always' re-issues
      assert.equal(lines.length, 1);
      assert.ok(Number(await raw('PTTL', key)) > 3_500_000);
      const forever = setup(Infinity);
      const kept = await forever.login('bob');
      assert.equal(await raw('PTTL', `${forever.p}${await forever.idOf(kept)}`), -1);
      assert.equal(await raw('PTTL', `${forever.p}idx:bob`), -1);
    });

    test('the index drops expired sessions and expires with the last one', async () => {
      const { p, store, login } = setup(1);
      const long = api.defineSession({ name: 'sid', store, ttl: 3600 });
      await login('alice');
      await login('bob');
      assert.ok(Number(await raw('PTTL', `${p}idx:alice`)) <= 1000);
      // Past the short sessions' expiry on the server's clock (their scores): no threshold, just later.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      assert.equal(await raw('EXISTS', `${p}idx:bob`), 0, 'the index expires with its last session');
      assert.equal(await raw('ZCARD', `${p}idx:alice`), 0);
      const state = await api.readSession(undefined, long);
      state.session.set('userId', 'alice');
      await api.commitSession(state, long);
      await raw('ZADD', `${p}idx:alice`, '1', 'long-gone'); // an id whose expiry passed long ago
      const next = await api.readSession(undefined, long);
      next.session.set('userId', 'alice');
      await api.commitSession(next, long);
      assert.equal(await raw('ZCARD', `${p}idx:alice`), 2, 'each save drops the expired ids of its owner');
      assert.ok(Number(await raw('PTTL', `${p}idx:alice`)) > 3_500_000);
    });

    test('scripts are loaded again after SCRIPT FLUSH (a restarted Redis)', async () => {
      const { login, userOf } = setup();
      await login('alice');
      await raw('SCRIPT', 'FLUSH');
      assert.equal(await userOf(await login('bob')), 'bob');
    });

    test('a hung Redis fails the request with StoreTimeoutError within storeTimeout, and serves again once it answers', async () => {
      const store = redisStore({ client: client(), keys, prefix: prefix() });
      const config = api.defineSession({ name: 'sid', store, storeTimeout: 200 });
      const state = await api.readSession(undefined, config);
      state.session.set('userId', 'alice');
      const jar = new Jar().apply(await api.commitSession(state, config));
      server.process.kill('SIGSTOP');
      try {
        const error = await api.readSession(jar.header(), config).then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(error instanceof api.StoreTimeoutError, String(error));
        assert.equal(error.code, 'ERR_SESSION_STORE_TIMEOUT');
        assert.equal(error.message, 'session store: load did not answer within 200 ms (options.storeTimeout)');
      } finally {
        server.process.kill('SIGCONT');
      }
      assert.equal((await api.readSession(jar.header(), config)).session.get('userId'), 'alice');
    });
  });
}

describe('redisRevocation with revocableStore over the cookie store', () => {
  function setup(rolling: boolean | 'always' = false) {
    const revocation = redisRevocation({ client: nodeRedis, prefix: prefix(), ttl: 3600 });
    const store = api.revocableStore(api.cookieStore({ keys }), revocation);
    const config = api.defineSession({ name: 'sid', store, ttl: 3600, rolling });
    const login = async (userId: string) => {
      const state = await api.readSession(undefined, config);
      state.session.set('userId', userId);
      return new Jar().apply(await api.commitSession(state, config));
    };
    return { revocation, config, login };
  }

  test('revoke() ends every session of one user, issued up to then; other users and new logins are untouched', async () => {
    const { revocation, config, login } = setup();
    const reasons: string[] = [];
    const watched = api.defineSession({ ...config, onInvalid: (reason) => void reasons.push(reason) });
    const alice = [await login('alice'), await login('alice')];
    const bob = await login('bob');
    await revocation.revoke('alice');
    for (const jar of alice)
      assert.equal((await api.readSession(jar.header(), watched)).session.get('userId'), undefined);
    assert.deepEqual(reasons, ['revoked', 'revoked']);
    assert.equal((await api.readSession(bob.header(), config)).session.get('userId'), 'bob');
    // A login right after the revocation (in the same second) waits for that second to pass, then holds.
    const again = await login('alice');
    assert.equal((await api.readSession(again.header(), config)).session.get('userId'), 'alice');
    // A cut-off only moves later.
    await revocation.revoke('alice', 1000);
    assert.equal((await api.readSession(again.header(), config)).session.get('userId'), 'alice');
  });

  test('a request in flight during the revocation cannot re-issue the session (changed, or rolling only)', async () => {
    for (const rolling of [false, 'always'] as const) {
      const { revocation, config, login } = setup(rolling);
      const jar = await login('alice');
      const inFlight = await api.readSession(jar.header(), config);
      assert.equal(inFlight.session.get('userId'), 'alice');
      await revocation.revoke('alice', Date.now() + 1000); // a cut-off past the second the cookie was issued in
      if (rolling === false) inFlight.session.set('cart', '1');
      const lines = await api.commitSession(inFlight, config);
      assert.ok(lines.length > 0 && lines.every((line) => /; Max-Age=0(;|$)/.test(line)), lines.join('\n'));
    }
  });

  test('validates its options, and revocableStore its inputs', async () => {
    await assertError(
      () => redisRevocation(untyped({ client: {}, ttl: 60 })),
      TypeError,
      'redisRevocation options.client: expected a node-redis client',
    );
    await assertError(() => redisRevocation(untyped({ client: nodeRedis })), RangeError, 'redisRevocation options.ttl');
    await assertError(
      () => redisRevocation(untyped({ client: nodeRedis, ttl: 60, by: 5 })),
      TypeError,
      'redisRevocation options.by',
    );
    await assertError(
      () => redisRevocation(untyped({ client: nodeRedis, ttl: 60, prefix: 5 })),
      TypeError,
      'redisRevocation options.prefix',
    );
    const revocation = redisRevocation({ client: nodeRedis, ttl: Infinity, prefix: prefix() });
    await assertError(
      () => revocation.revoke(untyped(5)),
      TypeError,
      'redisRevocation.revoke: expected the "userId" value',
    );
    await assertError(
      () => revocation.revoke('x', NaN),
      TypeError,
      'redisRevocation.revoke: expected ms since the epoch',
    );
    assert.equal(await revocation.cutoff(new Map()), undefined);
    await revocation.revoke('x', T0);
    assert.equal(await revocation.cutoff(new Map([['userId', 'x']])), T0);
    assert.equal(await raw('PTTL', `t${stores}:x`), -1);
    await assertError(() => api.revocableStore(untyped({}), revocation), TypeError, 'revocableStore store');
    await assertError(
      () => api.revocableStore(api.cookieStore({ keys }), untyped({ cutoff: 1 })),
      TypeError,
      'revocableStore revocation.cutoff: expected a function',
    );
    const bad = api.revocableStore(api.cookieStore({ keys }), { cutoff: () => untyped('soon') });
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
    await assertError(
      () => bad.save(new Map([['userId', 'x']]), context),
      TypeError,
      'revocableStore revocation.cutoff: expected ms since the epoch or undefined, got a string of length 4',
    );
  });
});

describe('redisStore options', () => {
  test('refuses what is not a client, and bad options, at once', async () => {
    for (const client of [undefined, null, {}, 42, { call: 1 }]) {
      await assertError(
        () => redisStore(untyped({ client, keys })),
        TypeError,
        'redisStore options.client: expected a node-redis client (createClient()) or an ioredis / iovalkey instance',
      );
    }
    await assertError(
      () => redisStore(untyped({ client: nodeRedis, keys, prefix: 5 })),
      TypeError,
      'redisStore options.prefix: expected a string',
    );
    await assertError(
      () => redisStore(untyped({ client: nodeRedis, keys, indexBy: 5 })),
      TypeError,
      'redisStore options.indexBy: expected a session key',
    );
    await assertError(() => redisStore(untyped({ client: nodeRedis })), TypeError, 'options.keys: expected a keyring');
    await assertError(
      () => redisStore(untyped({ client: nodeRedis, keys, ttl: 5 })),
      TypeError,
      'redisStore options: expected only the keys client, keys, prefix, indexBy',
    );
  });
});
