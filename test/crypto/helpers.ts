/** Test helpers for the crypto layer. */
import { hkdfExpand, hkdfExtract } from '../../src/crypto/hkdf.js';
import type { CryptoRuntime } from '../../src/crypto/runtime.js';

/**
 * Full HKDF-SHA256 (RFC 5869 §2): Extract, then Expand, from the two steps src/crypto/hkdf.ts
 * provides, for the Wycheproof vectors and the node:crypto cross-check. The library composes the
 * steps itself (crypto/keys.ts), so this whole-function form lives here, not in src.
 */
export async function hkdf(
  runtime: CryptoRuntime,
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
): Promise<Uint8Array> {
  const prk = await hkdfExtract(runtime, salt, ikm);
  return hkdfExpand(runtime, await runtime.importHmacKey(prk), info, length);
}
