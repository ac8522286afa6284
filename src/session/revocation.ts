/**
 * revocableStore: per-user revocation for any store, above all the stateless cookie store, whose
 * sessions live in the client and cannot be deleted. Each user gets a cut-off time; a session of
 * that user issued at or before it no longer opens, and is not re-issued by a request that loaded
 * it before the cut-off was set. One lookup per request that carries a session.
 *
 * SECURITY.md ("Revocation") gives the argument; `sealed-session/redis` has a Redis-backed cut-off.
 *
 * @module
 */
import { isThenable } from '../async/maybe-promise.js';
import { describe } from '../text/describe.js';
import { checkRecord } from './options.js';
import { checkStore, type SaveContext, type SessionStore, type StoreContext, type StoreLoadResult } from './store.js';

/** Where the cut-offs come from: see {@link revocableStore}. */
export interface Revocation {
  /**
   * The cut-off of the session's owner, in ms since the epoch, or `undefined` for none: the session
   * is revoked when it was issued in the cut-off's second or before (tokens carry whole seconds, and
   * the safe side of that rounding is to revoke). Read the owner from `data` (e.g. its `userId`).
   */
  cutoff(
    data: ReadonlyMap<string, string>,
    context: StoreContext,
  ): number | undefined | PromiseLike<number | undefined>;
}

/** A cut-off rounded up to the next whole second: what was issued before it (in whole seconds) is revoked. */
function cutoffSecond(cutoff: number): number {
  return Math.ceil(cutoff / 1000) * 1000;
}

/** The longest a fresh save waits for its owner's cut-off second to pass (see save below). */
const MAX_WAIT_MS = 1000;

/**
 * Wraps `store` so that each user's sessions can be revoked ("log out everywhere" after a password
 * change) even when the store is stateless:
 *
 * - `load`: a session whose owner has a cut-off, issued in the cut-off's second or before, fails
 *   as `'revoked'`.
 * - `save` continuing a loaded session (a change, a rolling refresh): when the loaded session was
 *   issued before its owner's cut-off (the cut-off was set while the request ran), nothing is saved
 *   and the cookie is expired, so a request in flight cannot mint a fresh cookie for a revoked session.
 * - `save` of a new or regenerated session (a login): issued after the cut-off's second. A login in
 *   that same second waits for it to pass (at most a second, once per revocation): otherwise the
 *   user's new session would be revoked at once.
 *
 * `regenerate()` counts as a new authentication: call it only where the user proved who they are.
 * @example
 * ```ts
 * import { cookieStore, createKeyring, defineSession, generateKey, revocableStore } from 'sealed-session';
 * const keys = createKeyring(generateKey());
 * const cutoffs = new Map<string, number>(); // one process; sealed-session/redis has a shared one
 * const store = revocableStore(cookieStore({ keys }), {
 *   cutoff: (data) => cutoffs.get(data.get('userId') ?? ''),
 * });
 * const config = defineSession({ name: '__Host-session', store });
 * cutoffs.set('12345', Date.now()); // user 12345 changed their password: every session of theirs ends
 * ```
 */
export function revocableStore(store: SessionStore, revocation: Revocation): SessionStore {
  checkStore(store, 'revocableStore store');
  checkRecord(revocation, 'revocableStore revocation', ['cutoff', 'revoke'], '{ cutoff(data, context) }');
  const { cutoff } = revocation;
  if (typeof cutoff !== 'function')
    throw new TypeError(
      `revocableStore revocation.cutoff: expected a function (data, context) => ms or undefined, got ${describe(cutoff)}`,
    );

  const cutoffOf = async (data: ReadonlyMap<string, string>, context: StoreContext): Promise<number | undefined> => {
    const returned = cutoff.call(revocation, data, context);
    const value = isThenable(returned) ? await returned : returned;
    if (value !== undefined && (typeof value !== 'number' || Number.isNaN(value))) {
      throw new TypeError(
        `revocableStore revocation.cutoff: expected ms since the epoch or undefined, got ${describe(value)}`,
      );
    }
    return value;
  };

  const wrapped: SessionStore = {
    async load(value, context): Promise<StoreLoadResult> {
      const result = await store.load(value, context);
      if (!result.ok) return result;
      const { issuedAt } = result;
      if (typeof issuedAt !== 'number')
        throw new TypeError(`revocableStore: expected the store's load to return issuedAt, got ${describe(issuedAt)}`);
      const limit = await cutoffOf(result.data, context);
      if (limit !== undefined && issuedAt < cutoffSecond(limit)) return { ok: false, reason: 'revoked' };
      return result;
    },
    async save(data, context) {
      const limit = await cutoffOf(data, context);
      if (limit === undefined) return store.save(data, context);
      const after = cutoffSecond(limit);
      // Revoked while this request ran: the session it loaded must not come back as a fresh cookie.
      if (context.issuedAt !== null) return context.issuedAt < after ? null : store.save(data, context);
      if (context.now >= after) return store.save(data, context);
      const wait = after - context.now;
      if (wait > MAX_WAIT_MS) {
        throw new RangeError(
          `revocableStore: expected a cut-off in the past, got one ${wait} ms ahead of the clock (check the clocks of the servers that set it)`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
      const later: SaveContext = { ...context, now: after };
      return store.save(data, later);
    },
  };
  if (store.destroy !== undefined) wrapped.destroy = (id, context) => store.destroy!(id, context);
  if (store.validate !== undefined) wrapped.validate = (setup) => store.validate!(setup);
  return Object.freeze(wrapped);
}
