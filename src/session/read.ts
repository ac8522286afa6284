/**
 * readSession: from a request's `Cookie` header to the application's session. Client input never
 * makes it throw; only a failing store or a programmer error does.
 *
 * @module
 */
import { isThenable, type MaybePromise } from '../async/maybe-promise.js';
import { describe } from '../text/describe.js';
import { readCarried, sessionCookies } from './chunks.js';
import { precomputedOf, type SessionConfig } from './options.js';
import { directCookieStore } from './cookie-store.js';
import { loadedSession, markLoaded, Session } from './session.js';
import { bounded, checkLoadResult, type SaveContext, type SessionInvalidReason } from './store.js';

/**
 * A request's session and what `commitSession` needs to answer it. Pass it to `commitSession`
 * unchanged; its other state is internal.
 */
export interface SessionState {
  /** The application's session: an empty new one when the request carried no valid cookie. */
  readonly session: Session;
}

/** What commitSession needs; held in a private field so no serializer or inspector sees it. */
export interface StateInternals {
  readonly config: SessionConfig;
  readonly session: Session;
  /** The session's cookies the request carried (layout mask, chunks.ts). */
  readonly carried: number;
  /** The cookies the valid value was read from; 0 when nothing valid loaded. */
  readonly used: number;
  /** True when a valid cookie was loaded. */
  readonly loaded: boolean;
  /** The server-side store's id, if any. */
  readonly id: string | undefined;
  /** Ms since the epoch the loaded cookie was issued, if the store said. */
  readonly issuedAt: number | null;
  /** The clock when the cookie was loaded (ms); 0 when nothing loaded. Commit's fast path judges rolling by it. */
  readonly readAt: number;
  readonly rotated: boolean;
  committed: boolean;
}

// Module-internal access to a state's private field, assigned in the class's static block. A
// private field instead of a WeakMap: states are made and dropped on every request, and WeakMap
// entries (ephemerons) cost the garbage collector more than a field does.
let internalsOf: (state: unknown) => StateInternals | undefined;

/** The only SessionState implementation: `session` public, everything else private. */
class State implements SessionState {
  readonly #internals: StateInternals;

  static {
    internalsOf = (state) =>
      typeof state === 'object' && state !== null && #internals in state ? (state as State).#internals : undefined;
  }

  constructor(internals: StateInternals) {
    this.#internals = internals;
  }

  /** A getter over the private state, so it cannot be replaced (and no freeze is needed). */
  get session(): Session {
    return this.#internals.session;
  }
}

/** The internals of a state from readSession, or a TypeError. */
export function stateInternals(state: unknown): StateInternals {
  const internals = internalsOf(state);
  if (internals === undefined)
    throw new TypeError(`state: expected the result of readSession(), got ${describe(state)}`);
  return internals;
}

/**
 * A request's session on a resolved config: the state itself when the store answered synchronously
 * (the cookie store on node:crypto), a promise otherwise. Each build's readSession makes it one
 * promise (callAsPromise, bind.ts); the adapters whose framework takes a callback (Fastify's hooks,
 * Connect's `next`) use it as it is, so such a request never waits a turn of the microtask queue.
 * Not an async function: that would cost a promise, and turns, on every request. Throws what
 * readSession rejects with (a failing store, onInvalid, a bad clock).
 */
export function readNow(cookieHeader: string | null | undefined, config: SessionConfig): MaybePromise<SessionState> {
  const cookies = sessionCookies(cookieHeader, config.name);
  const carried = cookies.mask;
  const found = carried === 0 ? undefined : readCarried(cookies, config, precomputedOf(config));
  if (found?.value === undefined)
    return emptyState(config, carried, found?.malformed === true ? 'malformed' : undefined);
  const context = storeContext(config, undefined, undefined, null);
  const direct = directCookieStore(config.store);
  let target: Session | undefined;
  const loading =
    direct === undefined
      ? bounded(config.store.load(found.value, context), config.storeTimeout, 'load')
      : direct.load(found.value, context, (target = new Session()));
  // Not continueWith: its callback would be a closure allocated on the synchronous path too. A store's
  // thenable is already a promise of this realm (bounded).
  if (isThenable(loading))
    return loading.then((result) => stateOf(config, carried, found.used, result, target, context.now));
  return stateOf(config, carried, found.used, loading, target, context.now);
}

/** The state of a request whose cookie the store loaded (into `target`, or its own map), or judged invalid. */
function stateOf(
  config: SessionConfig,
  carried: number,
  used: number,
  loaded: unknown,
  target: Session | undefined,
  readAt: number,
): State {
  const result = checkLoadResult(loaded);
  if (!result.ok) return emptyState(config, carried, result.reason);
  const { data, keyId = null, issuedAt = null, expiresAt = null } = result;
  return new State({
    config,
    session:
      data === target
        ? markLoaded(target, keyId, issuedAt, expiresAt)
        : loadedSession(data, keyId, issuedAt, expiresAt),
    carried,
    used,
    loaded: true,
    id: result.id,
    issuedAt: result.issuedAt ?? null,
    readAt,
    rotated: result.rotated === true,
    committed: false,
  });
}

/** A new, empty session; `reason` (if any) is why the carried cookie was rejected. */
function emptyState(config: SessionConfig, carried: number, reason: SessionInvalidReason | undefined): State {
  if (reason !== undefined) config.onInvalid?.(reason);
  return new State({
    config,
    session: new Session(),
    carried,
    used: 0,
    loaded: false,
    id: undefined,
    issuedAt: null,
    readAt: 0,
    rotated: false,
    committed: false,
  });
}

/**
 * The context of a store call, read from the config and the clock once per call. Always with every
 * SaveContext field (undefined or null for load), so every context has one shape; built field by
 * field, never by spreading (object spread here cost more than the rest of the session layer together).
 */
export function storeContext(
  config: SessionConfig,
  id: string | undefined,
  replaces: string | undefined,
  issuedAt: number | null,
): SaveContext {
  const now = config.now();
  if (typeof now !== 'number' || !Number.isFinite(now) || now < 0) {
    throw new TypeError(
      `options.now: expected a function returning ms since the epoch, got one returning ${describe(now)}`,
    );
  }
  let issuedAfter = config.issuedAfter;
  if (typeof issuedAfter === 'function') {
    issuedAfter = issuedAfter();
    if (issuedAfter !== undefined && (typeof issuedAfter !== 'number' || Number.isNaN(issuedAfter))) {
      throw new TypeError(
        `options.issuedAfter: expected a function returning ms since the epoch or undefined, got one returning ${describe(issuedAfter)}`,
      );
    }
  }
  return { name: config.name, ttl: config.ttl, now, clockSkew: config.clockSkew, issuedAfter, id, replaces, issuedAt };
}
