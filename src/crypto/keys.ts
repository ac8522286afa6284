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
import type { KeyEntry } from '../keys/keyring.js';
import { utf8Encoder } from '../text/utf8.js';
import { hkdfExpand, hkdfExtract } from './hkdf.js';
import { continueWith, whenSettled, type CryptoRuntime, type HmacKey, type MaybePromise } from './runtime.js';
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
  if (keys === undefined) {
    const derived = derive(runtime, entry.secret);
    keys = derived;
    cache.set(entry, derived);
    whenSettled(
      derived,
      (value) => void (cache.get(entry) === derived && cache.set(entry, value)),
      () => void (cache.get(entry) === derived && cache.delete(entry)),
    );
  }
  return keys;
}

function derive(runtime: CryptoRuntime, secret: Uint8Array): MaybePromise<DerivedKeys> {
  return continueWith(hkdfExtract(runtime, SALT, secret), (prk) =>
    continueWith(runtime.importHmacKey(prk), (prkKey) =>
      continueWith(hkdfExpand(runtime, prkKey, SEAL_LABEL, 32), (sealBytes) =>
        continueWith(hkdfExpand(runtime, prkKey, SIGN_LABEL, 32), (signBytes) =>
          continueWith(xaesKey(runtime, sealBytes), (seal) =>
            continueWith(runtime.importHmacKey(signBytes), (sign): DerivedKeys => Object.freeze({ seal, sign })),
          ),
        ),
      ),
    ),
  );
}
