/**
 * The store contract: what a session store implements, and the checks the session layer makes on
 * what a store returns (a store is programmer code, so a broken one throws a TypeError; the client
 * input it judges never does).
 *
 * A store saves a session to a cookie value, loads one back, and may validate its own options at
 * start-up. Two things a server-side store needs come with that shape: the session id travels back
 * to `save` and `destroy`, and every call gets the request's context (cookie name, ttl, clock)
 * instead of reading globals.
 *
 * @module
 */
import { isThenable, type MaybePromise } from '../async/maybe-promise.js';
import { describe } from '../text/describe.js';
import { UNSEAL_FAILURE_REASONS, type UnsealFailureReason } from '../core/result.js';

/**
 * Why a session cookie was rejected (the request then gets an empty session).
 * - the core's reasons: `'malformed'` (not a token, or chunks missing or inconsistent),
 *   `'unsupported-version'`, `'unknown-key'`, `'invalid'` (any authentication failure),
 *   `'expired'`, `'revoked'` (issued before `issuedAfter`);
 * - `'not-found'`: a server-side store holds no entry for an authentic id (destroyed, evicted).
 */
export type SessionInvalidReason = UnsealFailureReason | 'not-found';

/** Every {@link SessionInvalidReason}, for exhaustive checks: the core's reasons and `'not-found'`. */
export const SESSION_INVALID_REASONS: ReadonlySet<SessionInvalidReason> = new Set<SessionInvalidReason>([
  ...UNSEAL_FAILURE_REASONS,
  'not-found',
]);

/** What a store is told at setup, once: enough to reject a configuration it cannot serve. */
export interface StoreSetup {
  /** The cookie name. */
  readonly name: string;
  /** Seconds a session lives (a positive integer), or `Infinity`. */
  readonly ttl: number;
}

/** What a store is told on every call. A store must use these, never globals or the wall clock. */
export interface StoreContext extends StoreSetup {
  /** The current time, ms since the epoch (from the `now` option). */
  readonly now: number;
  /** Seconds of clock tolerance on expiry and issue times (0 to 60). */
  readonly clockSkew: number;
  /** Ms since the epoch: reject what was issued before it as `'revoked'`; `undefined` for no limit. */
  readonly issuedAfter: number | undefined;
}

/** The context of {@link SessionStore.save}. */
export interface SaveContext extends StoreContext {
  /**
   * The id that `load` returned for this session: update that entry, and only while it still
   * exists. `undefined` for a new session, and after `regenerate()` or `destroy()`: mint a fresh
   * id. A store must never take an id from anywhere else (in particular not from the client:
   * session fixation).
   */
  readonly id: string | undefined;
  /**
   * After `regenerate()`: the id of the entry the new one replaces. Save under a fresh id only if
   * that entry still exists, and delete it in the same step; `undefined` otherwise. (The session
   * layer also calls `destroy` on it afterwards, for stores written before this field.)
   */
  readonly replaces: string | undefined;
  /**
   * When the session whose data this save carries on was issued (ms since the epoch, the loaded
   * value's `issuedAt`); `null` for a new session and after `regenerate()` or `destroy()`. Lets a
   * wrapper refuse to re-issue a session revoked while the request ran (see `revocableStore`).
   */
  readonly issuedAt: number | null;
}

/** A cookie value that opened. Only `ok` and `data` are required. */
export interface StoreLoadSuccess {
  readonly ok: true;
  /** The session data. readSession copies it into the request's Session, so the store may keep this map. */
  readonly data: ReadonlyMap<string, string>;
  /** A server-side store's session id, handed back to `save` and `destroy`. Omit for stateless stores. */
  readonly id?: string | undefined;
  /** The id of the key that authenticated the value (shown as `session.keyId`). */
  readonly keyId?: string | null | undefined;
  /** Ms since the epoch the value was issued; drives `rolling`. Without it only `rolling: 'always'` refreshes. */
  readonly issuedAt?: number | null | undefined;
  /** Ms since the epoch the session expires, `null` for never (shown as `session.expiresAt`). */
  readonly expiresAt?: number | null | undefined;
  /** True when the value was authenticated by an old key: the layer saves it again with the current one. */
  readonly rotated?: boolean | undefined;
}

/** A cookie value that did not open. */
export interface StoreLoadFailure {
  readonly ok: false;
  readonly reason: SessionInvalidReason;
}

/** The result of {@link SessionStore.load}; the core's `UnsealResult` is one. */
export type StoreLoadResult = StoreLoadSuccess | StoreLoadFailure;

/**
 * A session store: turns session data into a cookie value and back.
 *
 * - Stateless stores (`cookieStore`) put the data itself, sealed or signed, in the cookie value.
 * - Server-side stores (`memoryStore`, or your own on Redis, SQL…) keep the data and put a random
 *   id in the cookie, signed with the core's `sign()` so a forged id is rejected without a lookup.
 *
 * Only `load` judges client input, and it must never throw for it: any value a client can send gives
 * `{ ok: false, reason }`. A throw or rejection from any method means the store itself failed (a
 * database is down); the session layer lets it propagate to the framework's error handling.
 *
 * Check a store with the conformance suite: `storeConformance(() => myStore)`.
 *
 * `sealed-session/redis` is such a store, ready for node-redis, ioredis and iovalkey clients.
 *
 * @example A server-side store on a Redis-like client, in about 30 lines (no `indexBy`):
 * ```ts
 * import { generateKey, sign, verify, type Keyring, type SessionStore, type StoreContext } from 'sealed-session';
 *
 * function redisStore(redis: Redis, keys: Keyring): SessionStore {
 *   const tokenOptions = (ctx: StoreContext) => ({ keys, context: ctx.name, now: ctx.now, clockSkew: ctx.clockSkew, issuedAfter: ctx.issuedAfter });
 *   return {
 *     async save(data, ctx) {
 *       const json = JSON.stringify([...data]);
 *       const expiry = ctx.ttl === Infinity ? {} : { EX: ctx.ttl };
 *       let id = ctx.id;
 *       if (id !== undefined) {
 *         // XX: update only an entry that still exists, so a destroyed session stays destroyed.
 *         if ((await redis.set(`sess:${id}`, json, { ...expiry, XX: true })) === null) return null;
 *       } else {
 *         // regenerate(): the old entry must still exist, and goes in the same step (DEL is atomic).
 *         if (ctx.replaces !== undefined && (await redis.del(`sess:${ctx.replaces}`)) === 0) return null;
 *         id = generateKey(); // 256 random bits
 *         await redis.set(`sess:${id}`, json, expiry);
 *       }
 *       return sign(new Map([['id', id]]), { keys, ttl: ctx.ttl, context: ctx.name, now: ctx.now });
 *     },
 *     async load(value, ctx) {
 *       const token = await verify(value, tokenOptions(ctx)); // forged ids stop here, without a lookup
 *       if (!token.ok) return token;
 *       const id = token.data.get('id');
 *       if (id === undefined || token.data.size !== 1) return { ok: false, reason: 'malformed' };
 *       const json = await redis.get(`sess:${id}`);
 *       if (json === null) return { ok: false, reason: 'not-found' };
 *       return { ...token, id, data: new Map(JSON.parse(json) as [string, string][]) };
 *     },
 *     async destroy(id) {
 *       await redis.del(`sess:${id}`);
 *     },
 *   };
 * }
 * ```
 */
export interface SessionStore {
  /**
   * Stores `data` and returns the cookie value: non-empty RFC 6265 cookie-octets (base64url fits).
   * The data must expire after `context.ttl` seconds from `context.now`. `data` is the live
   * session: copy what you keep.
   *
   * Destroyed stays destroyed: when `context.id` (or `context.replaces`) names an entry that no
   * longer exists (another request destroyed it, or it expired or was evicted), save nothing and
   * return `null`; the session layer then expires the cookie. Saving the data under a new id
   * instead would undo a logout: a request that loaded the session before the logout, and commits
   * after it, would sign its sender back in. Check and write in one atomic step (a script, a
   * transaction, a conditional write) so no interleaving of requests or servers can get between.
   */
  save(data: ReadonlyMap<string, string>, context: SaveContext): Promise<string | null> | string | null;
  /** Opens a cookie value. Never throws for any value; see {@link StoreLoadResult}. */
  load(value: string, context: StoreContext): Promise<StoreLoadResult> | StoreLoadResult;
  /** Server-side stores: deletes the entry of `id` (an id `load` returned). Must not throw for an unknown id. */
  destroy?(id: string, context: StoreContext): Promise<void> | void;
  /**
   * Called once by `defineSession`: throw a TypeError or RangeError ("expected X, got Y") for a
   * configuration this store cannot serve, e.g. `ttl: Infinity` where entries need an expiry.
   */
  validate?(setup: StoreSetup): void;
}

/** Throws a TypeError unless `store` has the methods of a {@link SessionStore}. */
export function checkStore(store: unknown, where: string): asserts store is SessionStore {
  if (typeof store !== 'object' || store === null) {
    throw new TypeError(
      `${where}: expected a SessionStore { save, load, destroy?, validate? }, got ${describe(store)}`,
    );
  }
  const record = store as Record<string, unknown>;
  for (const method of ['save', 'load'] as const) {
    if (typeof record[method] !== 'function') {
      throw new TypeError(`${where}.${method}: expected a function, got ${describe(record[method])}`);
    }
  }
  for (const method of ['destroy', 'validate'] as const) {
    if (record[method] !== undefined && typeof record[method] !== 'function') {
      throw new TypeError(`${where}.${method}: expected a function or undefined, got ${describe(record[method])}`);
    }
  }
}

/**
 * Checks what a store's `load` returned. A malformed result is a bug in the store, not client input:
 * a TypeError, like the store throwing.
 */
export function checkLoadResult(result: unknown): StoreLoadResult {
  if (typeof result !== 'object' || result === null) {
    throw new TypeError(`store.load: expected { ok: true, data } or { ok: false, reason }, got ${describe(result)}`);
  }
  const r = result as Record<string, unknown>;
  if (r.ok === false) {
    if (!SESSION_INVALID_REASONS.has(r.reason as SessionInvalidReason)) {
      throw new TypeError(
        `store.load: expected a reason among ${[...SESSION_INVALID_REASONS].join(', ')}, got ${describe(r.reason)}`,
      );
    }
    return result as StoreLoadFailure;
  }
  if (r.ok !== true) throw new TypeError(`store.load: expected ok to be true or false, got ${describe(r.ok)}`);
  if (!(r.data instanceof Map))
    throw new TypeError(`store.load: expected data to be a Map<string, string>, got ${describe(r.data)}`);
  if (r.id !== undefined && typeof r.id !== 'string')
    throw new TypeError(`store.load: expected id to be a string or undefined, got ${describe(r.id)}`);
  checkOptionalTime(r.issuedAt, 'issuedAt');
  checkOptionalTime(r.expiresAt, 'expiresAt');
  if (r.keyId !== undefined && r.keyId !== null && typeof r.keyId !== 'string') {
    throw new TypeError(`store.load: expected keyId to be a string, null or undefined, got ${describe(r.keyId)}`);
  }
  if (r.rotated !== undefined && typeof r.rotated !== 'boolean') {
    throw new TypeError(`store.load: expected rotated to be a boolean or undefined, got ${describe(r.rotated)}`);
  }
  return result as StoreLoadSuccess;
}

function checkOptionalTime(value: unknown, field: string): void {
  if (value !== undefined && value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
    throw new TypeError(
      `store.load: expected ${field} to be ms since the epoch, null or undefined, got ${describe(value)}`,
    );
  }
}

/** The default of `storeTimeout`: ms a store call may take before the request fails. */
export const DEFAULT_STORE_TIMEOUT = 5000;

/**
 * The error a request fails with when its store did not answer within `storeTimeout` ms (a
 * database that hangs or is unreachable). It reaches the framework's error handling like any
 * other store failure; `code` tells it apart.
 */
export class StoreTimeoutError extends Error {
  /** `'ERR_SESSION_STORE_TIMEOUT'`. */
  readonly code = 'ERR_SESSION_STORE_TIMEOUT';
  constructor(method: string, ms: number) {
    super(`session store: ${method} did not answer within ${ms} ms (options.storeTimeout)`);
    this.name = 'StoreTimeoutError';
  }
}

/**
 * What a store call returned, bounded in time: a value as it is, a promise raced against a timer of
 * `ms` (Infinity: unbounded). Node's `requestTimeout` stops counting once the request has arrived,
 * so without this a hung database holds every request, and its socket, forever. Every store call
 * goes through here, so here too any thenable a store returns becomes a promise of this realm
 * (`Promise.resolve` returns one as it is), and the session layer's continueWith can call its `then`.
 */
export function bounded<T>(returned: MaybePromise<T>, ms: number, method: string): T | Promise<T> {
  if (!isThenable(returned)) return returned;
  if (ms === Infinity) return Promise.resolve(returned);
  return new Promise<T>((resolve, reject) => {
    // Not unref'd: a request waiting on its store is work in progress, and the timer is what ends it.
    const timer = setTimeout(() => reject(new StoreTimeoutError(method, ms)), ms);
    returned.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
