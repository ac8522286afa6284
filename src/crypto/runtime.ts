/**
 * The one interface between the shared code and a runtime's cryptography.
 * `node.ts` implements it synchronously on node:crypto, `web.ts` asynchronously
 * on WebCrypto; everything else (format, HKDF composition, seal/unseal logic)
 * is written once against it. Only primitives live behind it: AES-256-GCM,
 * the AES-256 block function, HMAC-SHA256 and a CSPRNG, plus base64url, because Node's native codec is an
 * order of magnitude faster than portable JavaScript on large sessions.
 * Nothing here is invented; see SECURITY.md. Composing the answers, values on Node and promises on
 * WebCrypto: async/maybe-promise.ts.
 */

import type { MaybePromise } from '../async/maybe-promise.js';

/** An imported HMAC-SHA256 key: a KeyObject on Node, a CryptoKey on WebCrypto. */
export type HmacKey = object;

/** A key prepared for the AES-256 block function: a long-lived ECB cipher on Node, an AES-CBC CryptoKey on WebCrypto. */
export type AesBlockKey = object;

/** A key prepared for AES-256-GCM: the raw bytes on Node, an AES-GCM CryptoKey on WebCrypto. */
export type AesGcmKey = object;

export interface CryptoRuntime {
  /** Base64url without padding (RFC 4648 §5). */
  encodeBase64url(bytes: Uint8Array): string;
  /** Strict base64url: the exact inverse of encodeBase64url, null for any other text (format/base64url.ts). */
  decodeBase64url(text: string): Uint8Array | null;
  /**
   * A new zero-filled array of `length` bytes, for a token being built. Synchronous on every runtime.
   * Node's is a view into its Buffer pool: a typed array of more than 64 bytes otherwise gets memory
   * of its own outside the V8 heap, which costs an allocation there and work for the collector on
   * every token (bench/allocation.ts).
   */
  allocate(length: number): Uint8Array;
  /** `length` bytes from the platform CSPRNG. Synchronous on every runtime. */
  randomBytes(length: number): Uint8Array;
  /** Imports raw bytes as an HMAC-SHA256 key (done once per key, then cached). */
  importHmacKey(raw: Uint8Array): MaybePromise<HmacKey>;
  /** HMAC-SHA256 (RFC 2104), the full 32-byte tag. */
  hmac(key: HmacKey, data: Uint8Array): MaybePromise<Uint8Array>;
  /** Constant-time check of a full 32-byte HMAC-SHA256 tag. */
  hmacVerify(key: HmacKey, data: Uint8Array, tag: Uint8Array): MaybePromise<boolean>;
  /** Prepares a 32-byte key for the raw AES-256 block function (done once per key, then cached). */
  importAesBlockKey(raw: Uint8Array): MaybePromise<AesBlockKey>;
  /** AES-256 encryption of each 16-byte block of `blocks` on its own (ECB), as XAES-256-GCM's KDF needs. */
  aesEncryptBlocks(key: AesBlockKey, blocks: Uint8Array): MaybePromise<Uint8Array>;
  /** Prepares a 32-byte AES-256-GCM key (once per XAES subkey, then cached: crypto/xaes.ts). */
  importAesGcmKey(raw: Uint8Array): MaybePromise<AesGcmKey>;
  /** AES-256-GCM with a 96-bit IV; returns ciphertext followed by the 16-byte tag. */
  aesGcmEncrypt(key: AesGcmKey, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): MaybePromise<Uint8Array>;
  /** The inverse of aesGcmEncrypt; null when the tag does not verify. Never throws. */
  aesGcmDecrypt(key: AesGcmKey, iv: Uint8Array, sealed: Uint8Array, aad: Uint8Array): MaybePromise<Uint8Array | null>;
}

/** A runtime whose every operation returns its value directly. */
export interface SyncCryptoRuntime extends CryptoRuntime {
  importHmacKey(raw: Uint8Array): HmacKey;
  hmac(key: HmacKey, data: Uint8Array): Uint8Array;
  hmacVerify(key: HmacKey, data: Uint8Array, tag: Uint8Array): boolean;
  importAesBlockKey(raw: Uint8Array): AesBlockKey;
  aesEncryptBlocks(key: AesBlockKey, blocks: Uint8Array): Uint8Array;
  importAesGcmKey(raw: Uint8Array): AesGcmKey;
  aesGcmEncrypt(key: AesGcmKey, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array;
  aesGcmDecrypt(key: AesGcmKey, iv: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array | null;
}
