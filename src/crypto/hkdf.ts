/**
 * HKDF-SHA256 (RFC 5869) composed from the runtime's HMAC, so that both
 * runtimes share one implementation (WebCrypto's deriveBits and Node's hkdfSync
 * would be two). It runs once per key, never per token (keys.ts).
 */
import { continueWith, type MaybePromise } from '../async/maybe-promise.js';
import type { CryptoRuntime, HmacKey } from './runtime.js';

const HASH_BYTES = 32;

/** HKDF-Extract (RFC 5869 §2.2): PRK = HMAC(salt, IKM). An absent salt is HashLen zeros. */
export function hkdfExtract(runtime: CryptoRuntime, salt: Uint8Array, ikm: Uint8Array): MaybePromise<Uint8Array> {
  return continueWith(runtime.importHmacKey(salt.length === 0 ? new Uint8Array(HASH_BYTES) : salt), (key) =>
    runtime.hmac(key, ikm),
  );
}

/**
 * HKDF-Expand (RFC 5869 §2.3): T(i) = HMAC(PRK, T(i-1) | info | i), output the
 * first `length` bytes of T(1) | T(2) | ...
 */
export function hkdfExpand(
  runtime: CryptoRuntime,
  prk: HmacKey,
  info: Uint8Array,
  length: number,
): MaybePromise<Uint8Array> {
  if (!Number.isInteger(length) || length < 0 || length > 255 * HASH_BYTES) {
    throw new RangeError(`HKDF length: expected an integer from 0 to ${255 * HASH_BYTES}, got ${length}`);
  }
  const okm = new Uint8Array(length);
  const step = (previous: Uint8Array, index: number): MaybePromise<Uint8Array> => {
    const filled = (index - 1) * HASH_BYTES;
    if (filled >= length) return okm;
    const input = new Uint8Array(previous.length + info.length + 1);
    input.set(previous, 0);
    input.set(info, previous.length);
    input[input.length - 1] = index;
    return continueWith(runtime.hmac(prk, input), (block) => {
      okm.set(block.subarray(0, Math.min(HASH_BYTES, length - filled)), filled);
      return step(block, index + 1);
    });
  };
  return step(new Uint8Array(0), 1);
}
