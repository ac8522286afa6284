/**
 * sign / verify: HMAC-SHA256 over the same envelope as seal, for data the
 * client may read but must not forge. Written once for every runtime.
 */
import { assertStringMap, decodeMap, encodeMap } from '../format/codec.js';
import {
  boundData,
  encodeToken,
  headerLength,
  HMAC_BYTES,
  Kind,
  MAX_TOKEN_LENGTH,
  parseToken,
  tokenLength,
  writeHeader,
} from '../format/token.js';
import { derivedKeys } from '../crypto/keys.js';
import { continueWith, type MaybePromise } from '../async/maybe-promise.js';
import type { CryptoRuntime, SyncCryptoRuntime } from '../crypto/runtime.js';
import { checkSealOptions, checkUnsealOptions, type SealOptions, type UnsealOptions } from './options.js';
import { failure, judge, type UnsealResult } from './result.js';

/**
 * Signs a map: the token carries the payload in the clear and an HMAC over header, context and payload.
 * A value on a SyncCryptoRuntime, as for sealWith (seal.ts).
 */
export function signWith(runtime: SyncCryptoRuntime, data: ReadonlyMap<string, string>, options: SealOptions): string;
export function signWith(
  runtime: CryptoRuntime,
  data: ReadonlyMap<string, string>,
  options: SealOptions,
): MaybePromise<string>;
export function signWith(
  runtime: CryptoRuntime,
  data: ReadonlyMap<string, string>,
  options: SealOptions,
): MaybePromise<string> {
  const checked = checkSealOptions(options);
  assertStringMap(data);
  const payload = encodeMap(data);
  const keyId = checked.entry.id;
  const bodyLength = headerLength(keyId) + payload.length + HMAC_BYTES;
  if (tokenLength(bodyLength) > MAX_TOKEN_LENGTH) {
    throw new RangeError(
      `data: expected a map that signs to at most ${MAX_TOKEN_LENGTH} characters, got one that signs to ${tokenLength(bodyLength)}`,
    );
  }
  const body = runtime.allocate(bodyLength);
  const headerEnd = writeHeader(body, {
    kind: Kind.Signed,
    keyId,
    issuedAt: checked.issuedAt,
    expiresAt: checked.expiresAt,
  });
  body.set(payload, headerEnd);
  const message = macInput(runtime, body.subarray(0, headerEnd), checked.context, payload);
  return continueWith(derivedKeys(runtime, checked.entry), (keys) =>
    continueWith(runtime.hmac(keys.sign, message), (tag) => {
      body.set(tag, headerEnd + payload.length);
      return encodeToken(runtime, body);
    }),
  );
}

/**
 * Verifies a signed token. Never throws for any token; throws only for bad options. `into`: as for
 * unsealWith. A value on a SyncCryptoRuntime, as for sealWith (seal.ts).
 */
export function verifyWith(
  runtime: SyncCryptoRuntime,
  token: string,
  options: UnsealOptions,
  into?: Map<string, string>,
): UnsealResult;
export function verifyWith(
  runtime: CryptoRuntime,
  token: string,
  options: UnsealOptions,
  into?: Map<string, string>,
): MaybePromise<UnsealResult>;
export function verifyWith(
  runtime: CryptoRuntime,
  token: string,
  options: UnsealOptions,
  into?: Map<string, string>,
): MaybePromise<UnsealResult> {
  const checked = checkUnsealOptions(options);
  const parsed = parseToken(runtime, token);
  if (typeof parsed === 'string') return failure(parsed);
  // A sealed token must never pass as a signed one (and its ciphertext is not a payload).
  if (parsed.kind !== Kind.Signed) return failure('invalid');
  const entry = checked.byId.get(parsed.keyId);
  if (entry === undefined) return failure('unknown-key');
  const payloadEnd = parsed.rest.length - HMAC_BYTES;
  const payload = parsed.rest.subarray(0, payloadEnd);
  const tag = parsed.rest.subarray(payloadEnd);
  const message = macInput(runtime, parsed.header, checked.context, payload);
  return continueWith(derivedKeys(runtime, entry), (keys) =>
    continueWith(runtime.hmacVerify(keys.sign, message, tag), (valid) =>
      valid ? judge(parsed, decodeMap(payload, into), entry, checked) : failure('invalid'),
    ),
  );
}

/** The MAC input: `header varint(len) context payload` (see boundData for why the length). */
function macInput(runtime: CryptoRuntime, header: Uint8Array, context: Uint8Array, payload: Uint8Array): Uint8Array {
  const bound = boundData(header, context);
  // The payload makes it larger than V8 keeps on its heap: built where the runtime builds tokens.
  const message = runtime.allocate(bound.length + payload.length);
  message.set(bound);
  message.set(payload, bound.length);
  return message;
}
