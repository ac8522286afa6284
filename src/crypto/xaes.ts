/**
 * XAES-256-GCM (C2SP, https://c2sp.org/XAES-256-GCM): AES-256-GCM under a key
 * derived from the input key and the first half of a 192-bit nonce with the
 * NIST SP 800-108r1 counter KDF over CMAC-AES256. Random 192-bit nonces are safe
 * for any number of tokens (2^80 with collision risk 2^-32), where plain
 * AES-GCM with random 96-bit nonces must stop at 2^32 per key.
 *
 * Composed only of the runtime's AES-256 block function and AES-256-GCM.
 */
import { then, type AesBlockKey, type CryptoRuntime, type MaybePromise } from './runtime.js';

/** What XAES precomputes per input key: the block-function key and the CMAC subkey K1. */
export interface XaesKey {
  readonly block: AesBlockKey;
  readonly k1: Uint8Array;
}

/** Steps 1-2 of the spec, once per key: L = AES(K, 0^128); K1 = L << 1, XOR 0x87 when MSB(L) = 1 (SP 800-38B §6.1). */
export function xaesKey(runtime: CryptoRuntime, key: Uint8Array): MaybePromise<XaesKey> {
  return then(runtime.importAesBlockKey(key), (block) =>
    then(runtime.aesEncryptBlocks(block, new Uint8Array(16)), (l) => {
      const k1 = new Uint8Array(16);
      for (let i = 0; i < 15; i++) k1[i] = ((l[i]! << 1) | (l[i + 1]! >> 7)) & 0xff;
      k1[15] = ((l[15]! << 1) & 0xff) ^ (l[0]! & 0x80 ? 0x87 : 0);
      return Object.freeze({ block, k1 });
    }),
  );
}

/** The two PRF inputs: at byte 0 the counter i = 1, at byte 16 the counter i = 2. */
const KDF_BLOCKS = [
  [0, 1],
  [16, 2],
] as const;

/**
 * Steps 3-5, per nonce: Kx = AES(K, M1 XOR K1) || AES(K, M2 XOR K1) with
 * Mi = 0x00 || i || "X" || 0x00 || N[:12].
 */
export function xaesDeriveKey(runtime: CryptoRuntime, key: XaesKey, nonce: Uint8Array): MaybePromise<Uint8Array> {
  const blocks = new Uint8Array(32);
  for (const [offset, counter] of KDF_BLOCKS) {
    blocks[offset + 1] = counter;
    blocks[offset + 2] = 0x58; // "X", the KDF label
    blocks.set(nonce.subarray(0, 12), offset + 4);
    for (let i = 0; i < 16; i++) blocks[offset + i]! ^= key.k1[i]!;
  }
  return runtime.aesEncryptBlocks(key.block, blocks);
}

/** XAES-256-GCM encryption: ciphertext followed by the 16-byte tag. */
export function xaesSeal(runtime: CryptoRuntime, key: XaesKey, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): MaybePromise<Uint8Array> {
  return then(xaesDeriveKey(runtime, key, nonce), (derived) => runtime.aesGcmEncrypt(derived, nonce.subarray(12, 24), plaintext, aad));
}

/** XAES-256-GCM decryption, or null when authentication fails. */
export function xaesOpen(runtime: CryptoRuntime, key: XaesKey, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): MaybePromise<Uint8Array | null> {
  return then(xaesDeriveKey(runtime, key, nonce), (derived) => runtime.aesGcmDecrypt(derived, nonce.subarray(12, 24), sealed, aad));
}
