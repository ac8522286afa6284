/**
 * commitSession: from what the application did to the session to the `Set-Cookie` lines to send.
 *
 * A cookie is sent only when needed, not on every request: the data changed; the
 * session was cleared, destroyed or regenerated; the value was authenticated by an old key (re-seal
 * with the current one); or a rolling refresh is due. Whenever cookies are written, the session's
 * cookies that the request carried and the new layout does not use are expired, so a session that
 * shrinks from chunks to one cookie, or back, never leaves stale cookies in the browser.
 *
 * @module
 */
import { continueWith, type MaybePromise } from '../async/maybe-promise.js';
import { describe } from '../text/describe.js';
import { expireLines, layOut } from './chunks.js';
import { isCookieValue } from './cookie.js';
import { directCookieStore } from './cookie-store.js';
import { precomputedForSession } from './lifetime.js';
import { precomputedOf, sameStore, type SessionConfig } from './options.js';
import { storeContext, stateInternals, type SessionState, type StateInternals } from './read.js';
import { bounded, type SaveContext } from './store.js';
import { Change, changedSinceRead, markCommitted, sessionChanges } from './session.js';

/**
 * The `Set-Cookie` lines that answer a request's session, on a resolved config: the lines themselves
 * when the store answered synchronously, a promise otherwise (see readNow). Not an async function:
 * the common request (nothing changed, nothing due) is answered without a store call, and costs one
 * promise in commitSession; the rest goes to write(). Throws what commitSession rejects with.
 */
export function commitNow(state: SessionState, config: SessionConfig): MaybePromise<string[]> {
  const internals = stateInternals(state);
  if (internals.committed)
    throw new TypeError('state: expected a state not yet committed, got one commitSession() already answered');
  if (config.name !== internals.config.name || !sameStore(config, internals.config)) {
    throw new TypeError(
      `options: expected the session options readSession() was given, got ones ` +
        `${config.name === internals.config.name ? 'with another store' : 'for another cookie name'}`,
    );
  }
  internals.committed = true;
  const changes = sessionChanges(internals.session);
  markCommitted(internals.session); // a later change throws: it could no longer be sent
  // Fast path, the common read-only request: nothing done, nothing due.
  if (changes === 0) {
    const precomputed = precomputedOf(config);
    // Nothing loaded: only cookies this config can never write (an earlier one's) go.
    if (!internals.loaded) return expireLines(internals.carried & ~precomputed.writable, precomputed);
    if (
      internals.session.size > 0 &&
      !internals.rotated &&
      !rollingDue(internals.issuedAt, precomputed.rollAfter, internals.readAt)
    ) {
      return expireLines(internals.carried & ~internals.used, precomputed);
    }
  }
  return write(internals, config, changes);
}

/**
 * Everything but the fast path: what to save, destroy and expire. Written as steps chained with
 * continueWith rather than awaits, so a store that answers synchronously (the cookie store on
 * node:crypto) costs no extra promise; a store's promises are waited for in the same order.
 */
function write(internals: StateInternals, config: SessionConfig, changes: number): MaybePromise<string[]> {
  const destroyed = (changes & Change.Destroyed) !== 0;
  const regenerated = (changes & Change.Regenerated) !== 0;
  const fresh = regenerated || destroyed || !internals.loaded;
  const { id } = internals;
  // A regenerated session replaces its entry (the store checks it still exists); a destroyed one starts afresh.
  const context = storeContext(
    config,
    fresh ? undefined : id,
    regenerated && !destroyed ? id : undefined,
    fresh ? null : internals.issuedAt,
  );
  if (destroyed && id !== undefined) {
    return continueWith(bounded(config.store.destroy?.(id, context), config.storeTimeout, 'destroy'), () =>
      setCookieLines(internals, config, changes, context, undefined),
    );
  }
  return setCookieLines(internals, config, changes, context, id);
}

/** The lines of write(), once a destroyed session's entry is gone: `oldId` is the entry still to replace, if any. */
function setCookieLines(
  internals: StateInternals,
  config: SessionConfig,
  changes: number,
  context: SaveContext,
  oldId: string | undefined,
): MaybePromise<string[]> {
  const { session, carried, used, loaded } = internals;
  const precomputed = precomputedOf(config);
  const store = config.store;

  if (session.size === 0) {
    // An emptied session needs no cookie: delete it (and its entry), whatever made it empty.
    // A new session that is still empty sends nothing, even over a rejected cookie: that cookie may
    // be valid on a server that already knows a newer key (a rolling deployment).
    // Cookies this config can never write (an earlier configuration's) go in any case: they only
    // make request heads larger, up to a size the server refuses (repair, not lock-out).
    if (!loaded && (changes & (Change.Cleared | Change.Destroyed)) === 0)
      return expireLines(carried & ~precomputed.writable, precomputed);
    if (oldId !== undefined)
      return continueWith(bounded(store.destroy?.(oldId, context), config.storeTimeout, 'destroy'), () =>
        expireLines(carried, precomputed),
      );
    return expireLines(carried, precomputed);
  }

  const fresh = (changes & (Change.Regenerated | Change.Destroyed)) !== 0 || !loaded;
  const changed = (changes & Change.Dirty) !== 0 && changedSinceRead(session);
  const due = loaded && rollingDue(internals.issuedAt, precomputed.rollAfter, internals.readAt);
  const touched = (changes & Change.Touched) !== 0;
  if (!(fresh || changed || touched || internals.rotated || due)) {
    // Only leftovers: cookies of an earlier layout the request still carried.
    return expireLines(carried & ~used, precomputed);
  }

  const direct = directCookieStore(store);
  const saving =
    direct !== undefined
      ? direct.save(session, context)
      : bounded(store.save(session, context), config.storeTimeout, 'save');
  return continueWith(saving, (value: unknown) => {
    // The entry this request loaded is gone (destroyed, expired, evicted, revoked) and the store saved
    // nothing: expire the cookie rather than bring the session back under a new id.
    if (value === null && direct === undefined) return expireLines(carried, precomputed);
    if (typeof value !== 'string' || value === '' || (direct === undefined && !isCookieValue(value))) {
      throw new TypeError(
        `store.save: expected null or a non-empty string of RFC 6265 cookie-octets, got ${typeof value === 'string' && value !== '' ? 'one with other characters' : describe(value)}`,
      );
    }
    const layout = layOut(value, config, precomputedForSession(config, precomputed, session));
    const stale = carried & ~layout.mask;
    const lines = () => (stale === 0 ? layout.lines : layout.lines.concat(expireLines(stale, precomputed)));
    // The old entry goes only once the new one is safely saved: a failed save keeps the user logged
    // in. A store that honours context.replaces has deleted it already; this is for older stores.
    if ((changes & Change.Regenerated) !== 0 && oldId !== undefined)
      return continueWith(bounded(store.destroy?.(oldId, context), config.storeTimeout, 'destroy'), lines);
    return lines();
  });
}

/**
 * Whether a loaded session is due for a rolling re-issue at `now`: `rollAfter` ms after it was
 * issued (0 for every request). Without an issue time (a store that does not say) only "always" is
 * due. Both paths ask at the time the request's session was read, which spares the common request
 * a clock read; a request that straddles the moment refreshes on the next one.
 */
function rollingDue(issuedAt: number | null, rollAfter: number, now: number): boolean {
  if (rollAfter === 0) return true;
  if (rollAfter === Infinity || issuedAt === null) return false;
  return now - issuedAt >= rollAfter;
}
