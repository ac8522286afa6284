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
import type { DirectCore } from '../core/api.js';
import { describe } from '../format/describe.js';
import { keyringState, type Keyring } from '../format/keyring.js';
import { checkRecord } from './options.js';
import type { SessionStore, StoreContext } from './store.js';

type LoadInto = (value: string, context: StoreContext, into: Map<string, string>) => unknown;

/** Each cookie store's loader that decodes straight into the request's session (read.ts). */
const loaders = new WeakMap<SessionStore, LoadInto>();

/**
 * Whether `store` is a cookie store of this module. Its values are tokens, `ss1.` and base64url
 * by construction (format/token.ts), so commit need not scan them for characters a cookie cannot
 * hold, as it does any other store's.
 */
export function isCookieStore(store: SessionStore): boolean {
  return loaders.has(store);
}

/**
 * Loads `value` with `store` into `into` (an empty session) when `store` is a cookie store, sparing
 * the copy from a map of its own; undefined for any other store, which readSession calls as usual.
 */
export function loadInto(store: SessionStore, value: string, context: StoreContext, into: Map<string, string>): unknown {
  return loaders.get(store)?.(value, context, into);
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

/** cookieStore on a given core. Validates the options at once (Kocha's Validate). */
export function makeCookieStore(core: DirectCore, options: CookieStoreOptions): SessionStore {
  checkRecord(options, 'cookieStore options', ['keys', 'signed'], '{ keys, signed? }');
  const { keys, signed = false } = options;
  keyringState(keys);
  if (typeof signed !== 'boolean') throw new TypeError(`cookieStore options.signed: expected a boolean, got ${describe(signed)}`);
  const make = signed ? core.sign : core.seal;
  const open = signed ? core.verify : core.unseal;
  // The core's UnsealResult is a StoreLoadResult: data, keyId, issuedAt, expiresAt, rotated.
  const load = (value: string, context: StoreContext, into?: Map<string, string>) =>
    open(value, { keys, context: context.name, now: context.now, clockSkew: context.clockSkew, issuedAfter: context.issuedAfter }, into);
  const store: SessionStore = Object.freeze({
    save: (data, context) => make(data, { keys, ttl: context.ttl, context: context.name, now: context.now }),
    load: (value, context) => load(value, context),
  } satisfies SessionStore);
  loaders.set(store, load);
  return store;
}
