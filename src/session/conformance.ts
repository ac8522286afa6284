/**
 * A conformance suite for session stores: the built-in stores pass it, and so must yours.
 *
 * It imports no test framework (the package's root import stays runtime-neutral and free of side
 * effects): it returns named async checks that throw an Error on failure, for any runner.
 *
 * @module
 */
import { commitNow } from './commit.js';
import { configFor } from './options.js';
import { readNow } from './read.js';
import {
  SESSION_INVALID_REASONS,
  type SaveContext,
  type SessionStore,
  type StoreContext,
  type StoreLoadResult,
} from './store.js';

/** One named check of {@link storeConformance}. */
export interface StoreCheck {
  readonly name: string;
  /** Resolves when the store conforms; rejects with an Error saying what it did wrong. */
  run(): Promise<void>;
}

/** Options of {@link storeConformance}. */
export interface StoreConformanceOptions {
  /** The cookie name the checks use. Default `'conformance'`. */
  readonly name?: string | undefined;
}

/** A clock far from the wall clock: a store that reads Date.now() instead of `context.now` fails. */
const T0 = Date.UTC(2001, 8, 9, 1, 46, 40);
const TTL = 3600;

/**
 * The checks a {@link SessionStore} must pass. `makeStore` is called once per check, so each starts
 * from an empty store.
 *
 * @example With node:test:
 * ```ts
 * import { test } from 'node:test';
 * import { storeConformance } from 'sealed-session/testing';
 * for (const check of storeConformance(() => redisStore(client, keys))) test(check.name, () => check.run());
 * ```
 * @example With any runner that takes async functions:
 * ```ts
 * for (const { name, run } of storeConformance(() => myStore)) it(name, run);
 * ```
 */
export function storeConformance(
  makeStore: () => SessionStore | Promise<SessionStore>,
  options: StoreConformanceOptions = {},
): readonly StoreCheck[] {
  const name = options.name ?? 'conformance';
  const context = (now: number, extra: Partial<SaveContext> = {}): SaveContext => ({
    name,
    ttl: TTL,
    now,
    clockSkew: 0,
    issuedAfter: undefined,
    id: undefined,
    replaces: undefined,
    issuedAt: null,
    ...extra,
  });
  const save = async (
    store: SessionStore,
    data: ReadonlyMap<string, string>,
    extra: Partial<SaveContext> = {},
  ): Promise<string> => {
    const value: unknown = await store.save(data, context(T0, extra));
    expect(
      typeof value === 'string' && value.length > 0 && /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]+$/.test(value),
      `save must return a non-empty string of RFC 6265 cookie-octets, got ${preview(value)}`,
    );
    return value as string;
  };
  const load = async (
    store: SessionStore,
    value: string,
    ctx: StoreContext = context(T0),
  ): Promise<StoreLoadResult> => {
    const result = await store.load(value, ctx);
    expect(
      typeof result === 'object' && result !== null && (result.ok === true || result.ok === false),
      `load must return { ok: true, data } or { ok: false, reason }, got ${preview(result)}`,
    );
    if (result.ok) expect(result.data instanceof Map, `load must return data as a Map, got ${preview(result.data)}`);
    else
      expect(
        SESSION_INVALID_REASONS.has(result.reason),
        `load must fail with a known reason, got ${preview(result.reason)}`,
      );
    return result;
  };
  const loadOk = async (store: SessionStore, value: string, ctx?: StoreContext) => {
    const result = await load(store, value, ctx);
    if (!result.ok) throw new Error(`storeConformance: load of a value save returned failed with '${result.reason}'`);
    return result;
  };
  const check = (title: string, body: (store: SessionStore) => Promise<void>): StoreCheck => ({
    name: title,
    run: async () => body(await makeStore()),
  });

  return Object.freeze([
    check('validate() accepts the default setup', async (store) => {
      store.validate?.({ name, ttl: TTL });
    }),
    check('save returns a cookie value that load opens to the same data', async (store) => {
      for (const data of samples()) {
        const result = await loadOk(store, await save(store, data));
        expectSameData(result.data, data);
      }
    }),
    check('load returns a copy: changing it changes nothing stored', async (store) => {
      const value = await save(store, sample(1));
      const first = await loadOk(store, value);
      (first.data as Map<string, string>).set('injected', 'x');
      (first.data as Map<string, string>).delete('userId');
      expectSameData((await loadOk(store, value)).data, sample(1));
    }),
    check('save keeps a snapshot: changing the map afterwards changes nothing stored', async (store) => {
      const data = new Map(sample(1));
      const value = await save(store, data);
      data.set('injected', 'x');
      expectSameData((await loadOk(store, value)).data, sample(1));
    }),
    check('load never throws for hostile values and answers a known reason', async (store) => {
      const valid = await save(store, sample(1));
      const hostile = [
        '',
        'x',
        '.',
        'ss1.',
        'ss2.abc',
        'ss1.!!!!',
        '%00',
        'A'.repeat(5000),
        'A'.repeat(20_000),
        valid + 'A',
        valid.slice(0, -1),
        valid.slice(0, valid.length >> 1),
        valid.split('').reverse().join(''),
        ...[4, 8, valid.length >> 1, valid.length - 2].map((at) => flip(valid, at)),
      ];
      for (const value of hostile) {
        let result: StoreLoadResult;
        try {
          result = await load(store, value);
        } catch (error) {
          throw new Error(`storeConformance: load threw for the client value ${preview(value)}: ${String(error)}`);
        }
        expect(!result.ok, `load accepted a forged or damaged value ${preview(value)}`);
      }
    }),
    check('a value made for one cookie name does not open under another', async (store) => {
      const value = await save(store, sample(1));
      const result = await load(store, value, { ...context(T0), name: `${name}-other` });
      expect(
        !result.ok,
        'load accepted a value saved under another cookie name (bind it: pass context.name to sign/seal)',
      );
    }),
    check('expiry follows context.now and ttl, not the wall clock', async (store) => {
      const value = await save(store, sample(1), { ttl: 60 });
      await loadOk(store, value, context(T0 + 30_000, { ttl: 60 }));
      const late = await load(store, value, context(T0 + 61_000, { ttl: 60 }));
      expect(
        !late.ok && (late.reason === 'expired' || late.reason === 'not-found'),
        `load after the ttl must fail with 'expired' (or 'not-found'), got ${preview(late)}`,
      );
    }),
    check('ttl Infinity never expires (or validate() refuses it)', async (store) => {
      try {
        store.validate?.({ name, ttl: Infinity });
      } catch (error) {
        expect(
          error instanceof TypeError || error instanceof RangeError,
          `validate must throw a TypeError or RangeError, got ${String(error)}`,
        );
        return;
      }
      const value = await save(store, sample(1), { ttl: Infinity });
      const result = await loadOk(store, value, context(T0 + 10 * 365 * 86_400_000, { ttl: Infinity }));
      expect(
        result.expiresAt === undefined || result.expiresAt === null,
        `expiresAt must be null for ttl Infinity, got ${preview(result.expiresAt)}`,
      );
    }),
    check('issuedAfter revokes what was issued before it', async (store) => {
      const value = await save(store, sample(1));
      const result = await load(store, value, context(T0 + 20_000, { issuedAfter: T0 + 10_000 }));
      expect(
        !result.ok && result.reason === 'revoked',
        `load must fail with 'revoked' for a value issued before issuedAfter, got ${preview(result)}`,
      );
      await loadOk(store, value, context(T0 + 20_000, { issuedAfter: T0 - 10_000 }));
    }),
    check('metadata, when given, is consistent', async (store) => {
      const result = await loadOk(store, await save(store, sample(1)));
      const { issuedAt, expiresAt } = result;
      if (issuedAt !== undefined && issuedAt !== null) {
        expect(
          issuedAt <= T0 && issuedAt > T0 - 1000,
          `issuedAt must be context.now of the save (whole seconds), got ${issuedAt} for ${T0}`,
        );
        if (expiresAt !== undefined && expiresAt !== null) {
          expect(
            expiresAt - issuedAt === TTL * 1000,
            `expiresAt must be issuedAt + ttl, got ${expiresAt - issuedAt} ms after`,
          );
        }
      }
      expect(
        result.rotated === undefined || typeof result.rotated === 'boolean',
        `rotated must be a boolean, got ${preview(result.rotated)}`,
      );
    }),
    check(
      'ids: save({ id }) updates that session, save without id makes a new one, destroy removes it',
      async (store) => {
        const first = await loadOk(store, await save(store, sample(1)));
        if (first.id === undefined) {
          expect(store.destroy === undefined, 'a store with destroy() must return the id of a session from load');
          return;
        }
        const updated = await save(store, sample(2), { id: first.id });
        const reloaded = await loadOk(store, updated);
        expect(reloaded.id === first.id, 'save with context.id must keep that id');
        expectSameData(reloaded.data, sample(2));
        const other = await loadOk(store, await save(store, sample(2)));
        expect(other.id !== first.id, 'save without context.id must mint a new id');
        expect(typeof store.destroy === 'function', 'a store that returns ids must implement destroy(id)');
        await store.destroy!(first.id, context(T0));
        const gone = await load(store, updated);
        expect(!gone.ok, 'load must fail after destroy(id)');
        await store.destroy!(first.id, context(T0));
        await loadOk(store, await save(store, sample(1)));
      },
    ),
    check('destroyed stays destroyed: a late save for a destroyed id saves nothing and answers null', async (store) => {
      const first = await loadOk(store, await save(store, sample(1)));
      if (first.id === undefined || store.destroy === undefined) return; // stateless, or caught by the ids check
      const value = await save(store, sample(1), { id: first.id });
      await store.destroy!(first.id, context(T0));
      // A request that loaded the session before another one destroyed it must not revive it, under
      // its id or a new one (that would undo a logout).
      const late: unknown = await store.save(sample(2), context(T0, { id: first.id }));
      expect(late === null, `save with the id of a destroyed entry must answer null, got ${preview(late)}`);
      expect(!(await load(store, value)).ok, 'a destroyed session must stay destroyed after a late save');
      const other = await loadOk(store, await save(store, sample(1)));
      await store.destroy!(other.id!, context(T0));
      const replacing: unknown = await store.save(sample(2), context(T0, { replaces: other.id }));
      expect(
        replacing === null,
        `save replacing a destroyed entry (regenerate) must answer null, got ${preview(replacing)}`,
      );
    }),
    ...(['changed', 'rolling', 'regenerated'] as const).map((kind) =>
      check(`logout race: a request in flight during destroy() cannot undo it (${kind})`, async (store) => {
        // A stateless store cannot destroy what the client holds (issuedAfter and revocableStore do that).
        if (store.destroy === undefined) return;
        let now = T0;
        const config = configFor({
          name,
          store,
          ttl: TTL,
          rolling: kind === 'rolling' ? 'always' : false,
          clockSkew: 0,
          now: () => now,
        });
        const login = await readNow(undefined, config);
        login.session.set('userId', '12345');
        const header = cookieHeader(await commitNow(login, config));
        now += 1000;
        // Both requests read the same cookie; the logout commits first, the other one after it.
        const thief = await readNow(header, config);
        const victim = await readNow(header, config);
        if (thief.session.isNew) throw new Error('storeConformance: the committed session must load');
        victim.session.destroy();
        await commitNow(victim, config);
        if (kind === 'changed') thief.session.set('cart', '3 items');
        if (kind === 'regenerated') thief.session.regenerate();
        const late = await commitNow(thief, config);
        const revived = late.filter((line) => !/; Max-Age=0(;|$)/.test(line));
        expect(
          revived.length === 0,
          `a commit after the session was destroyed must only expire cookies, got ${preview(revived)}`,
        );
        expect(late.length > 0, 'a commit after the session was destroyed must expire the cookie');
        expect((await readNow(header, config)).session.isNew, 'the destroyed session must stay destroyed');
      }),
    ),
    check('through readSession and commitSession: new, loaded, changed, regenerated, destroyed', async (store) => {
      let now = T0;
      const config = configFor({ name, store, ttl: TTL, rolling: false, clockSkew: 0, now: () => now });
      const fresh = await readNow(undefined, config);
      fresh.session.set('userId', '12345');
      const set = await commitNow(fresh, config);
      expect(set.length === 1, `a new session must send one cookie, got ${set.length}`);
      const header = cookieHeader(set);
      now += 1000;
      const loaded = await readNow(header, config);
      expect(!loaded.session.isNew && loaded.session.get('userId') === '12345', 'the committed session must load');
      const untouched = await commitNow(loaded, config);
      expect(untouched.length === 0, `an unchanged session must send nothing, got ${untouched.length} lines`);
      const again = await readNow(header, config);
      again.session.regenerate();
      const regenerated = await commitNow(again, config);
      expect(
        regenerated.length === 1 && cookieHeader(regenerated) !== header,
        'regenerate() must issue a new cookie value',
      );
      const afterRegenerate = await readNow(cookieHeader(regenerated), config);
      expect(afterRegenerate.session.get('userId') === '12345', 'regenerate() must keep the data');
      const doomed = await readNow(cookieHeader(regenerated), config);
      doomed.session.destroy();
      const destroyed = await commitNow(doomed, config);
      expect(destroyed.length === 1 && /Max-Age=0/.test(destroyed[0]!), 'destroy() must expire the cookie');
    }),
  ]);
}

/**
 * Data every store must carry: ASCII, empty strings, non-BMP and RTL text, many entries. A function,
 * so a store that keeps or hands out the caller's map cannot corrupt the expectations.
 */
const samples = (): readonly ReadonlyMap<string, string>[] => [
  new Map(),
  new Map([
    ['userId', '12345'],
    ['role', 'admin'],
  ]),
  new Map([
    ['', ''],
    ['emoji 🍪', 'naïve café ✓'],
    ['rtl', 'שלום'],
    ['json', '{"a":[1,2]}'],
    ['nul', '\u0000'],
  ]),
  new Map(Array.from({ length: 50 }, (_, i) => [`key${i}`, `value-${i}`.repeat(3)] as [string, string])),
];

const sample = (index: number): ReadonlyMap<string, string> => samples()[index]!;

function expect(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`storeConformance: ${message}`);
}

function expectSameData(actual: ReadonlyMap<string, string>, expected: ReadonlyMap<string, string>): void {
  expect(actual.size === expected.size, `load must return ${expected.size} entries, got ${actual.size}`);
  for (const [key, value] of expected) {
    expect(
      actual.get(key) === value,
      `load must return ${preview(value)} for ${preview(key)}, got ${preview(actual.get(key))}`,
    );
  }
}

/** `value` with the character at `at` replaced by another base64url character. */
function flip(value: string, at: number): string {
  return value.slice(0, at) + (value[at] === 'A' ? 'B' : 'A') + value.slice(at + 1);
}

/** The Cookie header a browser would send back for these Set-Cookie lines (live cookies only). */
function cookieHeader(lines: readonly string[]): string {
  return lines
    .filter((line) => !/; Max-Age=0(;|$)/.test(line))
    .map((line) => (line.includes(';') ? line.slice(0, line.indexOf(';')) : line))
    .join('; ');
}

function preview(value: unknown): string {
  if (typeof value === 'string')
    return value.length > 40
      ? `${JSON.stringify(value.slice(0, 40))}… (${value.length} characters)`
      : JSON.stringify(value);
  try {
    const json = JSON.stringify(value);
    return json === undefined ? String(value) : json.length > 80 ? `${json.slice(0, 80)}…` : json;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
