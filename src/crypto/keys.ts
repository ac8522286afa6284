/**
 * The keys derived from each keyring secret, once per key and runtime:
 *
 *   PRK      = HKDF-Extract(salt = "sealed-session/v1", IKM = secret)
 *   sealKey  = HKDF-Expand(PRK, "sealed-session/v1/seal", 32)   the XAES-256-GCM input key
 *   signKey  = HKDF-Expand(PRK, "sealed-session/v1/sign", 32)   the HMAC-SHA256 key
 *
 * Separate labels make the two keys independent (RFC 5869 §3.2), so a sealed
 * token and a signed token never share key material, and a secret of any
 * length ≥ 32 bytes becomes a uniform 256-bit key.
 */
import { cacheMaybePromise, continueWith, type MaybePromise } from '../async/maybe-promise.js';
import type { KeyEntry } from '../keys/keyring.js';
import { utf8Encoder } from '../text/utf8.js';
import { hkdfExpand, hkdfExtract } from './hkdf.js';
import type { CryptoRuntime, HmacKey } from './runtime.js';
import { xaesKey, type XaesKey } from './xaes.js';

const SALT = utf8Encoder.encode('sealed-session/v1');
const SEAL_LABEL = utf8Encoder.encode('sealed-session/v1/seal');
const SIGN_LABEL = utf8Encoder.encode('sealed-session/v1/sign');

export interface DerivedKeys {
  readonly seal: XaesKey;
  readonly sign: HmacKey;
}

const caches = new WeakMap<CryptoRuntime, WeakMap<KeyEntry, MaybePromise<DerivedKeys>>>();

/** The derived keys of a keyring entry, computed on first use and cached per runtime. */
export function derivedKeys(runtime: CryptoRuntime, entry: KeyEntry): MaybePromise<DerivedKeys> {
  let cache = caches.get(runtime);
  if (cache === undefined) caches.set(runtime, (cache = new WeakMap()));
  let keys = cache.get(entry);
  if (keys === undefined) cacheMaybePromise(cache, entry, (keys = derive(runtime, entry.secret)));
  return keys;
}

// Three steps, each waiting for the one before it: the PRK, then the seal key, then the sign key;
// each helper below is one HKDF step and the key import after it. Sequential on purpose: two
// WebCrypto chains in flight would leave one rejection unhandled when the other fails first, and
// derivation runs once per key, not per token.

function derive(runtime: CryptoRuntime, secret: Uint8Array): MaybePromise<DerivedKeys> {
  return continueWith(prkKey(runtime, secret), (prk) =>
    continueWith(expandedKey(runtime, prk, SEAL_LABEL, xaesKey), (seal) =>
      continueWith(expandedKey(runtime, prk, SIGN_LABEL, hmacKey), (sign): DerivedKeys =>
        Object.freeze({ seal, sign }),
      ),
    ),
  );
}

/** HKDF-Extract's PRK, imported as the HMAC key HKDF-Expand runs on. */
function prkKey(runtime: CryptoRuntime, secret: Uint8Array): MaybePromise<HmacKey> {
  return continueWith(hkdfExtract(runtime, SALT, secret), (prk) => hmacKey(runtime, prk));
}

/** HKDF-Expand(PRK, label, 32), prepared as a key by `prepare`. */
function expandedKey<K>(
  runtime: CryptoRuntime,
  prk: HmacKey,
  label: Uint8Array,
  prepare: (runtime: CryptoRuntime, bytes: Uint8Array) => MaybePromise<K>,
): MaybePromise<K> {
  return continueWith(hkdfExpand(runtime, prk, label, 32), (bytes) => prepare(runtime, bytes));
}

/** `bytes` imported as an HMAC-SHA256 key. */
function hmacKey(runtime: CryptoRuntime, bytes: Uint8Array): MaybePromise<HmacKey> {
  return runtime.importHmacKey(bytes);
}
