/**
 * The cookie of a server-side store: the entry's id, signed (HMAC-SHA256) with the store's keyring
 * and bound to the cookie name, with the session's ttl inside. One definition for every store that
 * keeps its data elsewhere (memoryStore here, redisStore in src/stores): a forged, expired or
 * foreign id is refused before any lookup, so a client can neither guess ids nor make the store
 * look them up (session fixation, enumeration).
 *
 * @module
 */
import type { SealOptions, UnsealOptions } from '../core/options.js';
import type { UnsealFailure, UnsealResult, UnsealSuccess } from '../core/result.js';
import type { Keyring } from '../keys/keyring.js';
import type { StoreContext, StoreLoadSuccess } from './store.js';

/** The map key under which the id travels in the signed token. */
const ID = 'id';

/** The `sign` and `verify` of a build (the public ones, or the session layer's maybe-sync core). */
export interface IdSigner {
  sign(data: ReadonlyMap<string, string>, options: SealOptions): Promise<string> | string;
  verify(token: string, options: UnsealOptions): Promise<UnsealResult> | UnsealResult;
}

/** The signed token that carries `id` in the cookie, expiring with the session's ttl. */
export function signId(signer: IdSigner, keys: Keyring, id: string, context: StoreContext): Promise<string> | string {
  return signer.sign(new Map([[ID, id]]), { keys, ttl: context.ttl, context: context.name, now: context.now });
}

/** A verified id and its token's metadata (key id, issue and expiry times, rotation). */
export type VerifiedId = Omit<UnsealSuccess, 'data'> & { readonly id: string };

/**
 * The id in a cookie value with the token's metadata (key id, issue and expiry times, whether it
 * was made with an older key), or why there is none: the core's reason for a forged, expired, revoked
 * or unknown-key token, `'malformed'` for an authentic token that is not an id token (only other
 * code holding the key could have made it).
 */
export async function verifiedId(
  signer: IdSigner,
  keys: Keyring,
  value: string,
  context: StoreContext,
): Promise<VerifiedId | UnsealFailure> {
  const token = await signer.verify(value, {
    keys,
    context: context.name,
    now: context.now,
    clockSkew: context.clockSkew,
    issuedAfter: context.issuedAfter,
  });
  if (!token.ok) return token;
  const id = token.data.get(ID);
  if (id === undefined || token.data.size !== 1) return { ok: false, reason: 'malformed' };
  const { keyId, issuedAt, expiresAt, rotated } = token;
  return { ok: true, id, keyId, issuedAt, expiresAt, rotated };
}

/** What a store's `load` answers for a verified id whose entry holds `data`: the data with the id token's metadata. */
export function loadedEntry(opened: VerifiedId, data: Map<string, string>): StoreLoadSuccess {
  const { id, keyId, issuedAt, expiresAt, rotated } = opened;
  return { ok: true, data, id, keyId, issuedAt, expiresAt, rotated };
}
