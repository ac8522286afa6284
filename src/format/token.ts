/**
 * The token layout, version 1. SECURITY.md specifies it byte by byte; this file
 * is the only code that knows it.
 *
 *   token  = "ss1." base64url(body)                    (RFC 4648 §5, no padding)
 *   body   = header nonce(24) ciphertext tag(16)       (kind 1, sealed)
 *          | header payload hmac(32)                   (kind 2, signed)
 *   header = version(1) kind(1) idLength(1) keyId(idLength)
 *            issuedAt(5) expiresAt(5)                  (unsigned big-endian seconds; expiresAt 0 = never)
 *   bound  = header varint(contextLength) context      (authenticated, context not carried)
 */
import { base64urlLength } from './base64url.js';
import { utf8Encoder } from '../text/utf8.js';

export const PREFIX = 'ss1.';
export const VERSION = 1;
/** Token kinds: the header says which operation made a token, so one never passes for the other. */
export const Kind = Object.freeze({ Sealed: 1, Signed: 2 } as const);
export type Kind = (typeof Kind)[keyof typeof Kind];
export const NONCE_BYTES = 24;
export const GCM_TAG_BYTES = 16;
export const HMAC_BYTES = 32;
/**
 * The longest token accepted or produced, in characters, checked before any
 * decoding. 16 KiB is four browser cookies' worth (RFC 6265 §6.1 asks user agents
 * for at least 4096 bytes per cookie) and equals Node's default limit for the
 * whole request head, so nothing longer could arrive in a Cookie header anyway.
 */
export const MAX_TOKEN_LENGTH = 16384;
/** 2^40 seconds: beyond year 36000, so the fixed 5-byte fields never wrap. */
export const MAX_SECONDS = 2 ** 40 - 1;
/** Seconds a token lives unless told otherwise: 7 days (the core's and the session layer's default). */
export const DEFAULT_TTL = 7 * 24 * 60 * 60;
/** Seconds of tolerance for other servers' clocks, by default and at most: more would make expiry meaningless. */
export const DEFAULT_CLOCK_SKEW = 5;
export const MAX_CLOCK_SKEW = 60;
/** Context strings are names and purposes, not data; the bound keeps the varint to two bytes. */
export const MAX_CONTEXT_BYTES = 1024;

const FIXED_HEADER_BYTES = 3 + 5 + 5;

export interface Header {
  readonly kind: Kind;
  readonly keyId: string;
  /** Seconds since the epoch. */
  readonly issuedAt: number;
  /** Seconds since the epoch, or 0 for a token that never expires. */
  readonly expiresAt: number;
}

/**
 * A token split into its parts: the header fields, the header's own bytes (bound into the AEAD's
 * associated data or the MAC input, with the context), and `rest`, what follows the header.
 */
export interface ParsedToken extends Header {
  readonly header: Uint8Array;
  readonly rest: Uint8Array;
}

export type ParseFailure = 'malformed' | 'unsupported-version';

export function headerLength(keyId: string): number {
  return FIXED_HEADER_BYTES + keyId.length;
}

/** The token length for a body of `bodyBytes` bytes. */
export function tokenLength(bodyBytes: number): number {
  return PREFIX.length + base64urlLength(bodyBytes);
}

/** Writes the header at the start of `body` and returns its length. Key ids are ASCII (keys/keyring.ts). */
export function writeHeader(body: Uint8Array, header: Header): number {
  const { keyId } = header;
  body[0] = VERSION;
  body[1] = header.kind;
  body[2] = keyId.length;
  for (let i = 0; i < keyId.length; i++) body[3 + i] = keyId.charCodeAt(i);
  const at = 3 + keyId.length;
  writeUint40(body, at, header.issuedAt);
  writeUint40(body, at + 5, header.expiresAt);
  return at + 10;
}

/** A base64url codec: the runtime's (native on Node) or format/base64url.ts. */
export interface Base64urlCodec {
  encodeBase64url(bytes: Uint8Array): string;
  decodeBase64url(text: string): Uint8Array | null;
}

export function encodeToken(codec: Base64urlCodec, body: Uint8Array): string {
  return PREFIX + codec.encodeBase64url(body);
}

/**
 * Splits a token without any cryptography. Never throws: anything that is not
 * a well-formed version-1 token is 'malformed', or 'unsupported-version' for a
 * token of another version of this format ("ssN." with N other than 1).
 */
export function parseToken(codec: Base64urlCodec, token: unknown): ParsedToken | ParseFailure {
  // Length first, before any work proportional to it (resource exhaustion).
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return 'malformed';
  if (!token.startsWith(PREFIX)) return isOtherVersion(token) ? 'unsupported-version' : 'malformed';
  const body = codec.decodeBase64url(token.slice(PREFIX.length));
  if (body === null || body.length < FIXED_HEADER_BYTES + 1) return 'malformed';
  const kind = body[1]! as Kind;
  const idLength = body[2]!;
  if (body[0] !== VERSION || (kind !== Kind.Sealed && kind !== Kind.Signed) || idLength < 1 || idLength > 16) {
    return 'malformed';
  }
  const headerEnd = FIXED_HEADER_BYTES + idLength;
  const minimumRest = kind === Kind.Sealed ? NONCE_BYTES + GCM_TAG_BYTES : HMAC_BYTES;
  if (body.length < headerEnd + minimumRest) return 'malformed';
  let keyId = '';
  for (let i = 3; i < 3 + idLength; i++) {
    const c = body[i]!;
    if (!isKeyIdByte(c)) return 'malformed';
    keyId += String.fromCharCode(c);
  }
  return {
    kind,
    keyId,
    issuedAt: readUint40(body, 3 + idLength),
    expiresAt: readUint40(body, 8 + idLength),
    header: body.subarray(0, headerEnd),
    rest: body.subarray(headerEnd),
  };
}

/** "ss" digits "." — a token of this format from a version this code does not read. */
function isOtherVersion(token: string): boolean {
  if (!token.startsWith('ss')) return false;
  let i = 2;
  while (i < token.length && i < 12 && token.charCodeAt(i) >= 0x30 && token.charCodeAt(i) <= 0x39) i++;
  return i > 2 && token.charCodeAt(i) === 0x2e;
}

/** [A-Za-z0-9_-], the key id alphabet. */
function isKeyIdByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x5f;
}

/**
 * The authenticated binding of header and context: `header varint(len) context`.
 * The length prefix keeps the split between context and what follows unambiguous
 * (without it, moving bytes between a signed payload and the context would keep
 * the MAC valid).
 */
export function boundData(header: Uint8Array, context: Uint8Array): Uint8Array {
  const lengthBytes = context.length < 0x80 ? 1 : 2;
  const out = new Uint8Array(header.length + lengthBytes + context.length);
  out.set(header, 0);
  let at = header.length;
  if (lengthBytes === 1) {
    out[at++] = context.length;
  } else {
    out[at++] = (context.length & 0x7f) | 0x80;
    out[at++] = context.length >> 7;
  }
  out.set(context, at);
  return out;
}

let lastContext = '';
let lastContextBytes = new Uint8Array(0);

/** UTF-8 of a context string; memoized because an app passes the same cookie name every time. */
export function contextBytes(context: string): Uint8Array {
  if (context !== lastContext) {
    lastContextBytes = utf8Encoder.encode(context);
    lastContext = context;
  }
  return lastContextBytes;
}

function writeUint40(out: Uint8Array, at: number, value: number): void {
  const high = Math.floor(value / 2 ** 32);
  out[at] = high;
  out[at + 1] = value >>> 24;
  out[at + 2] = value >>> 16;
  out[at + 3] = value >>> 8;
  out[at + 4] = value;
}

function readUint40(bytes: Uint8Array, at: number): number {
  return (
    bytes[at]! * 2 ** 32 +
    ((bytes[at + 1]! << 24) >>> 0) +
    (bytes[at + 2]! << 16) +
    (bytes[at + 3]! << 8) +
    bytes[at + 4]!
  );
}
