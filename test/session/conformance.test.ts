import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  commitSession,
  cookieStore,
  defineSession,
  generateKey,
  memoryStore,
  readSession,
  sign,
  verify,
  type Keyring,
  type SessionStore,
  type StoreContext,
} from '../../src/index.js';
import { storeConformance } from '../../src/testing.js';
import { storeConformance as neutralConformance } from '../../src/session/conformance.js';
import { clock, deletedNames, Jar, keys } from './helpers.js';

/** The surface of a Redis client the example uses (node-redis v4 style). */
interface Redis {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options?: { EX?: number; XX?: boolean }): Promise<string | null>;
  del(key: string): Promise<unknown>;
}

/** An in-process stand-in for a Redis server: a Map behind an async interface. */
class FakeRedis implements Redis {
  readonly data = new Map<string, string>();
  readonly expiries = new Map<string, number>();
  async get(key: string) {
    return this.data.get(key) ?? null;
  }
  async set(key: string, value: string, options: { EX?: number; XX?: boolean } = {}) {
    if (options.XX === true && !this.data.has(key)) return null; // XX: only if it exists
    this.data.set(key, value);
    if (options.EX === undefined) this.expiries.delete(key);
    else this.expiries.set(key, options.EX);
    return 'OK';
  }
  async del(key: string) {
    return this.data.delete(key) ? 1 : 0;
  }
}

// The SessionStore documentation's example store, verbatim: a server-side SessionStore in about 30 lines.
function redisStore(redis: Redis, keys: Keyring): SessionStore {
  const tokenOptions = (ctx: StoreContext) => ({
    keys,
    context: ctx.name,
    now: ctx.now,
    clockSkew: ctx.clockSkew,
    issuedAfter: ctx.issuedAfter,
  });
  return {
    async save(data, ctx) {
      const json = JSON.stringify([...data]);
      const expiry = ctx.ttl === Infinity ? {} : { EX: ctx.ttl };
      let id = ctx.id;
      if (id !== undefined) {
        // XX: update only an entry that still exists, so a destroyed session stays destroyed.
        if ((await redis.set(`sess:${id}`, json, { ...expiry, XX: true })) === null) return null;
      } else {
        // regenerate(): the old entry must still exist, and goes in the same step (DEL is atomic).
        if (ctx.replaces !== undefined && (await redis.del(`sess:${ctx.replaces}`)) === 0) return null;
        id = generateKey(); // 256 random bits
        await redis.set(`sess:${id}`, json, expiry);
      }
      return sign(new Map([['id', id]]), { keys, ttl: ctx.ttl, context: ctx.name, now: ctx.now });
    },
    async load(value, ctx) {
      const token = await verify(value, tokenOptions(ctx)); // forged ids stop here, without a lookup
      if (!token.ok) return token;
      const id = token.data.get('id');
      if (id === undefined || token.data.size !== 1) return { ok: false, reason: 'malformed' };
      const json = await redis.get(`sess:${id}`);
      if (json === null) return { ok: false, reason: 'not-found' };
      return { ...token, id, data: new Map(JSON.parse(json) as [string, string][]) };
    },
    async destroy(id) {
      await redis.del(`sess:${id}`);
    },
  };
}

describe('the documented example store (Redis-like)', () => {
  for (const check of storeConformance(() => redisStore(new FakeRedis(), keys))) {
    test(`conformance: ${check.name}`, () => check.run());
  }

  test('serves sessions end to end: entries carry the ttl as EX, destroy deletes them', async () => {
    const redis = new FakeRedis();
    const time = clock();
    const config = defineSession({ name: '__Host-sid', store: redisStore(redis, keys), ttl: 3600, now: time.now });
    const state = await readSession(undefined, config);
    state.session.set('userId', '12345');
    const jar = new Jar().apply(await commitSession(state, config));
    assert.deepEqual([...redis.expiries.values()], [3600]);
    const loaded = await readSession(jar.header(), config);
    assert.equal(loaded.session.get('userId'), '12345');
    loaded.session.destroy();
    assert.deepEqual(deletedNames(await commitSession(loaded, config)), ['__Host-sid']);
    assert.equal(redis.data.size, 0);
  });
});

describe('storeConformance catches broken stores', () => {
  /** Runs the suite on `make` and returns the names of the failed checks. */
  async function failures(make: () => SessionStore): Promise<string[]> {
    const failed: string[] = [];
    for (const check of storeConformance(make)) {
      try {
        await check.run();
      } catch (error) {
        assert.ok(error instanceof Error && error.message.startsWith('storeConformance: '), String(error));
        failed.push(check.name);
      }
    }
    return failed;
  }

  const base = () => cookieStore({ keys });

  test('the built-in store passes every check (the baseline for the cases below)', async () => {
    assert.deepEqual(await failures(base), []);
  });

  test('a store that ignores the cookie name', async () => {
    const make = (): SessionStore => {
      const inner = base();
      return {
        save: (d, c) => inner.save(d, { ...c, name: 'fixed' }),
        load: (v, c) => inner.load(v, { ...c, name: 'fixed' }),
      };
    };
    assert.deepEqual(await failures(make), ['a value made for one cookie name does not open under another']);
  });

  test('a store that reads the wall clock instead of context.now', async () => {
    const make = (): SessionStore => {
      const inner = base();
      return {
        save: (d, c) => inner.save(d, { ...c, now: Date.now() }),
        load: (v, c) => inner.load(v, { ...c, now: Date.now() }),
      };
    };
    const failed = await failures(make);
    assert.ok(failed.includes('expiry follows context.now and ttl, not the wall clock'), failed.join('; '));
  });

  test('a store that throws on client garbage', async () => {
    const make = (): SessionStore => {
      const inner = base();
      return {
        save: inner.save,
        load: (v, c) => {
          if (!v.startsWith('ss1.')) throw new SyntaxError('bad token');
          return inner.load(v, c);
        },
      };
    };
    assert.deepEqual(await failures(make), ['load never throws for hostile values and answers a known reason']);
  });

  test("a store that hands out its own map, or keeps the caller's", async () => {
    const make = (): SessionStore => {
      const entries = new Map<string, Map<string, string>>();
      return {
        save: (data) => {
          const id = generateKey();
          entries.set(id, data as Map<string, string>); // no copy
          return id;
        },
        load: (value) => {
          const data = entries.get(value);
          return data === undefined ? { ok: false, reason: 'not-found' } : { ok: true, data };
        },
      };
    };
    const failed = await failures(make);
    for (const name of [
      'load returns a copy: changing it changes nothing stored',
      'save keeps a snapshot: changing the map afterwards changes nothing stored',
      'a value made for one cookie name does not open under another',
      'issuedAfter revokes what was issued before it',
    ])
      assert.ok(failed.includes(name), `${name} not caught: ${failed.join('; ')}`);
  });

  test('a store that ignores issuedAfter', async () => {
    const make = (): SessionStore => {
      const inner = base();
      return { save: inner.save, load: (v, c) => inner.load(v, { ...c, issuedAfter: undefined }) };
    };
    assert.deepEqual(await failures(make), ['issuedAfter revokes what was issued before it']);
  });

  test('a store that returns ids but cannot destroy them', async () => {
    const make = (): SessionStore => {
      const inner = redisStore(new FakeRedis(), keys);
      return { save: inner.save, load: inner.load };
    };
    assert.deepEqual(await failures(make), [
      'ids: save({ id }) updates that session, save without id makes a new one, destroy removes it',
    ]);
  });

  test('a store that revives a destroyed session under a new id (the logout bug) fails the race checks', async () => {
    const make = (): SessionStore => {
      const inner = memoryStore({ keys });
      return {
        load: inner.load,
        destroy: inner.destroy,
        // What memoryStore did before: an id that is gone gets a fresh one holding the old data.
        save: async (data, context) =>
          (await inner.save(data, context)) ?? inner.save(data, { ...context, id: undefined, replaces: undefined }),
      };
    };
    assert.deepEqual(await failures(make), [
      'destroyed stays destroyed: a late save for a destroyed id saves nothing and answers null',
      'logout race: a request in flight during destroy() cannot undo it (changed)',
      'logout race: a request in flight during destroy() cannot undo it (rolling)',
      'logout race: a request in flight during destroy() cannot undo it (regenerated)',
    ]);
  });

  test('a store that ignores context.replaces fails the regenerate race', async () => {
    const make = (): SessionStore => {
      const inner = memoryStore({ keys });
      return {
        load: inner.load,
        destroy: inner.destroy,
        save: (data, context) => inner.save(data, { ...context, replaces: undefined }),
      };
    };
    assert.deepEqual(await failures(make), [
      'destroyed stays destroyed: a late save for a destroyed id saves nothing and answers null',
      'logout race: a request in flight during destroy() cannot undo it (regenerated)',
    ]);
  });

  test('the suite is the same function from the root and from the module, and names its checks uniquely', () => {
    assert.equal(storeConformance, neutralConformance);
    const names = storeConformance(base).map((check) => check.name);
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.length >= 12);
  });
});
