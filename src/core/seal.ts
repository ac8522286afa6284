/**
 * seal / unseal: XAES-256-GCM (AES-256-GCM under a key derived from the first
 * half of a 192-bit nonce: crypto/xaes.ts), written once for every runtime. The runtime entry points (index.ts, sync.ts, web.ts) bind it to
 * node:crypto or WebCrypto.
 */
import { assertStringMap, decodeMap, encodeMap } from '../format/codec.js';
import {
  boundData,
  encodeToken,
  GCM_TAG_BYTES,
  headerLength,
  Kind,
  MAX_TOKEN_LENGTH,
  NONCE_BYTES,
  parseToken,
  tokenLength,
  writeHeader,
} from '../format/token.js';
import { derivedKeys } from '../crypto/keys.js';
import { xaesNonce, xaesOpen, xaesSeal } from '../crypto/xaes.js';
import { continueWith, type MaybePromise } from '../async/maybe-promise.js';
import type { CryptoRuntime, SyncCryptoRuntime } from '../crypto/runtime.js';
import { checkSealOptions, checkUnsealOptions, type SealOptions, type UnsealOptions } from './options.js';
import { failure, judge, type UnsealResult } from './result.js';

/**
 * Seals a map into a token. `nonce` is an internal parameter for known-answer
 * tests only; the public functions always take it from xaesNonce (a batch prefix
 * and fresh random bytes from the CSPRNG: crypto/xaes.ts).
 * On a {@link SyncCryptoRuntime} every step is a value, and continueWith passes values on as values,
 * so the result is one: the overload says so, and sync.ts needs no cast.
 */
export function sealWith(
  runtime: SyncCryptoRuntime,
  data: ReadonlyMap<string, string>,
  options: SealOptions,
  nonce?: Uint8Array,
): string;
export function sealWith(
  runtime: CryptoRuntime,
  data: ReadonlyMap<string, string>,
  options: SealOptions,
  nonce?: Uint8Array,
): MaybePromise<string>;
export function sealWith(
  runtime: CryptoRuntime,
  data: ReadonlyMap<string, string>,
  options: SealOptions,
  nonce?: Uint8Array,
): MaybePromise<string> {
  const checked = checkSealOptions(options);
  assertStringMap(data);
  const plaintext = encodeMap(data);
  const keyId = checked.entry.id;
  const bodyLength = headerLength(keyId) + NONCE_BYTES + plaintext.length + GCM_TAG_BYTES;
  if (tokenLength(bodyLength) > MAX_TOKEN_LENGTH) {
    throw new RangeError(
      `data: expected a map that seals to at most ${MAX_TOKEN_LENGTH} characters, got one that seals to ${tokenLength(bodyLength)}`,
    );
  }
  const body = runtime.allocate(bodyLength);
  const headerEnd = writeHeader(body, {
    kind: Kind.Sealed,
    keyId,
    issuedAt: checked.issuedAt,
    expiresAt: checked.expiresAt,
  });
  // The payload goes to its place in the token now (encodeMap's view is only good until its next call)
  // and is encrypted from there; the ciphertext then overwrites it.
  const payloadAt = headerEnd + NONCE_BYTES;
  body.set(plaintext, payloadAt);
  const payload = body.subarray(payloadAt, payloadAt + plaintext.length);
  const aad = boundData(body.subarray(0, headerEnd), checked.context);
  try {
    return continueWith(derivedKeys(runtime, checked.entry), (keys) => {
      const tokenNonce = nonce ?? xaesNonce(runtime, keys.seal);
      body.set(tokenNonce, headerEnd);
      return continueWith(xaesSeal(runtime, keys.seal, tokenNonce, payload, aad), (sealed) => {
        body.set(sealed, payloadAt);
        return encodeToken(runtime, body);
      });
    });
  } catch (error) {
    // On Node the body is pooled memory that Buffer.allocUnsafe hands out again: the plaintext
    // copied into it must not outlive a seal that failed before the ciphertext replaced it.
    body.fill(0);
    throw error;
  }
}

/**
 * Opens a sealed token. Never throws for any token; throws only for bad options.
 * `into`: an empty map to decode the data into (see decodeMap); the result's data is then it.
 * A value on a SyncCryptoRuntime, as for sealWith.
 */
export function unsealWith(
  runtime: SyncCryptoRuntime,
  token: string,
  options: UnsealOptions,
  into?: Map<string, string>,
): UnsealResult;
export function unsealWith(
  runtime: CryptoRuntime,
  token: string,
  options: UnsealOptions,
  into?: Map<string, string>,
): MaybePromise<UnsealResult>;
export function unsealWith(
  runtime: CryptoRuntime,
  token: string,
  options: UnsealOptions,
  into?: Map<string, string>,
): MaybePromise<UnsealResult> {
  const checked = checkUnsealOptions(options);
  const parsed = parseToken(runtime, token);
  if (typeof parsed === 'string') return failure(parsed);
  // A signed token is authentic but was never meant to be opened as a secret.
  if (parsed.kind !== Kind.Sealed) return failure('invalid');
  const entry = checked.byId.get(parsed.keyId);
  if (entry === undefined) return failure('unknown-key');
  const nonce = parsed.rest.subarray(0, NONCE_BYTES);
  const sealed = parsed.rest.subarray(NONCE_BYTES);
  const aad = boundData(parsed.header, checked.context);
  return continueWith(derivedKeys(runtime, entry), (keys) =>
    continueWith(xaesOpen(runtime, keys.seal, nonce, sealed, aad), (plaintext) =>
      plaintext === null ? failure('invalid') : judge(parsed, decodeMap(plaintext, into), entry, checked),
    ),
  );
}
