/**
 * The one interface between the shared code and a runtime's cryptography.
 * `node.ts` implements it synchronously on node:crypto, `web.ts` asynchronously
 * on WebCrypto; everything else (format, HKDF composition, seal/unseal logic)
 * is written once against it. Only primitives live behind it: AES-256-GCM,
 * the AES-256 block function, HMAC-SHA256 and a CSPRNG, plus base64url, because Node's native codec is an
 * order of magnitude faster than portable JavaScript on large sessions.
 * Nothing here is invented; see SECURITY.md.
 */

export type MaybePromise<T> = T | Promise<T>;

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

/**
 * For caches of maybe-promises: once `pending` settles, `resolved(value)` lets the cache swap the
 * promise for its value (later readers then skip a microtask turn) and `failed()` lets it drop the
 * entry (a failure must not stick). Nothing happens for a value that is not a promise.
 */
export function whenSettled<T>(pending: MaybePromise<T>, resolved: (value: T) => void, failed: () => void): void {
  if (isPromise(pending)) pending.then(resolved, failed);
}

/**
 * Runs `next` on a value that may or may not be a promise, without turning a
 * synchronous value into a promise: this is what lets the same composition serve
 * the synchronous Node API and the asynchronous WebCrypto one. (Not named `then`: a module
 * that exports `then` is itself a thenable, and `await import()` of it would call it.)
 */
export function continueWith<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return isPromise(value) ? value.then(next) : next(value);
}

/**
 * Whether a runtime's answer is a promise. A thenable check, not `instanceof Promise`: a runtime
 * may hand back promises of another realm (Next.js's edge sandbox runs our code in a `vm` context
 * while its `crypto.subtle` belongs to the outer one), and `instanceof` is false for those, which
 * sent a pending promise on as if it were bytes (issue 15: "e.subarray is not a function"). No
 * value a runtime resolves to (bytes, keys, booleans, null) has a `then` method.
 */
export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
