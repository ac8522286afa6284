/**
 * cookieStore: the stateless store. The whole session travels in the cookie, sealed (AES-256-GCM,
 * the default) or signed (HMAC-SHA256: readable by the client, not forgeable), bound to the cookie
 * name through the token's context.
 *
 * Written once for every runtime: it takes the core (seal/unseal/sign/verify) as a parameter, and
 * each build binds it to its own (see bind.ts).
 *
 * @module
 */
import { isThenable, type MaybePromise } from '../async/maybe-promise.js';
import type { MaybeSyncCore, SealedSessionCore } from '../core/api.js';
import { describe } from '../text/describe.js';
import { keyringState, type Keyring } from '../keys/keyring.js';
import { checkRecord } from './options.js';
import type { SaveContext, SessionStore, StoreContext, StoreLoadResult } from './store.js';
import { noteSource, sourceOf, type Session } from './session.js';
import { flatEntries, TokenCache } from './token-cache.js';

/**
 * A cookie store as the session layer calls it: on the maybe-sync core, so synchronous on node:crypto,
 * and loading straight into the request's session. The store's public methods return promises.
 */
export interface DirectCookieStore {
  load(value: string, context: StoreContext, into: Session): MaybePromise<StoreLoadResult>;
  save(data: Session, context: SaveContext): MaybePromise<string>;
}

const directs = new WeakMap<SessionStore, DirectCookieStore>();

/**
 * `store` as the session layer calls it when it is a cookie store of this module; undefined
 * otherwise. Its values are tokens, `ss1.` and base64url by construction (format/token.ts), so
 * commit need not scan them for characters a cookie cannot hold, as it does any other store's.
 */
export function directCookieStore(store: SessionStore): DirectCookieStore | undefined {
  return directs.get(store);
}

/** Options of `cookieStore`. */
export interface CookieStoreOptions {
  /** The keyring from `createKeyring`: its first key seals, every key opens (rotation). */
  readonly keys: Keyring;
  /**
   * `true` to sign instead of seal: the client can read the data (base64url of a plain binary
   * encoding) but not change it. For data the browser's own code must see; never for secrets.
   * Default `false` (sealed).
   */
  readonly signed?: boolean | undefined;
}

/** cookieStore on a given core (public and maybe-sync). Validates the options at once, at start-up. */
export function makeCookieStore(
  core: SealedSessionCore,
  maybeSyncCore: MaybeSyncCore,
  options: CookieStoreOptions,
): SessionStore {
  // Own properties only (checkRecord): a polluted prototype must not turn sealing into signing.
  const { keys, signed = false } = checkRecord(
    options,
    'cookieStore options',
    ['keys', 'signed'],
    '{ keys, signed? }',
  ) as unknown as CookieStoreOptions;
  // A keyring is immutable (a rotation makes a new one): its current key seals every token of this store.
  const keyId = keyringState(keys).current.id;
  if (typeof signed !== 'boolean')
    throw new TypeError(`cookieStore options.signed: expected a boolean, got ${describe(signed)}`);
  const [make, open] = signed ? [core.sign, core.verify] : [core.seal, core.unseal];
  const [makeDirect, openDirect] = signed
    ? [maybeSyncCore.sign, maybeSyncCore.verify]
    : [maybeSyncCore.seal, maybeSyncCore.unseal];
  const saveOptions = (context: SaveContext) => ({ keys, ttl: context.ttl, context: context.name, now: context.now });
  const loadOptions = (context: StoreContext) => ({
    keys,
    context: context.name,
    now: context.now,
    clockSkew: context.clockSkew,
    issuedAfter: context.issuedAfter,
  });
  // The core's UnsealResult is a StoreLoadResult: data, keyId, issuedAt, expiresAt, rotated.
  const store: SessionStore = Object.freeze({
    save: (data, context) => make(data, saveOptions(context)),
    load: (value, context) => open(value, loadOptions(context)),
  } satisfies SessionStore);
  // The session layer's reads go through the cache of verified tokens (token-cache.ts): a browser
  // repeats its cookie until it gets a new one, and a repeat need not be decrypted again.
  const cache = new TokenCache();
  const admit = (value: string, context: StoreContext, result: StoreLoadResult): StoreLoadResult => {
    if (result.ok) cache.admit(value, context, keys, result);
    return result;
  };
  const issued = (token: string, context: SaveContext, entries: string[], source: object | undefined): string => {
    cache.admitIssued(token, context, keys, keyId, entries, source);
    return token;
  };
  directs.set(store, {
    load: (value, context, into) => {
      // The session notes the entry it came from: its save tells the cache which token the new one
      // succeeds (token-cache.ts, admitIssued).
      const cached = cache.get(value, context, keys, into, noteSource);
      if (cached !== undefined) return cached;
      const opened = openDirect(value, loadOptions(context), into);
      return isThenable(opened)
        ? opened.then((result) => admit(value, context, result as StoreLoadResult))
        : admit(value, context, opened);
    },
    // The token goes into the cache as it is made: the browser sends it back with its next request.
    save: (data, context) => {
      const made = makeDirect(data, saveOptions(context));
      if (!isThenable(made)) return issued(made, context, flatEntries(data), sourceOf(data));
      const entries = flatEntries(data); // copied before the wait, as the core encoded it
      return made.then((token) => issued(token, context, entries, sourceOf(data)));
    },
  });
  return store;
}
