/**
 * The payload: a compact binary encoding of a `Map<string, string>`.
 *
 *   payload = *( varint(keyByteLength) key varint(valueByteLength) value )
 *
 * Strings are UTF-8; lengths are unsigned LEB128 in canonical (shortest) form.
 * There is no entry count: the entries run to the end of the payload. Insertion
 * order is kept. JSON would spend bytes on quotes, braces and escapes, and its
 * parsers accept many spellings of one object; this encoding has exactly one.
 */
import { describe } from '../text/describe.js';
import { decodeUtf8, isWellFormed, utf8Encoder } from '../text/utf8.js';

/** Lengths above this never occur: a token is at most 16 KiB (see token.ts). */
const MAX_VARINT_BYTES = 3;

/**
 * Checks that `data` is a Map of well-formed strings, the contract of `seal` and
 * `sign`. Throws TypeError describing the first offending entry.
 */
export function assertStringMap(data: unknown, name = 'data'): asserts data is ReadonlyMap<string, string> {
  if (!isMap(data)) throw new TypeError(`${name}: expected a Map<string, string>, got ${describe(data)}`);
  for (const [key, value] of data as Map<unknown, unknown>) {
    if (typeof key !== 'string')
      throw new TypeError(`${name}: expected string keys, got a key of type ${describe(key)}`);
    if (typeof value !== 'string') {
      throw new TypeError(`${name}: expected string values, got ${describe(value)} for a key of length ${key.length}`);
    }
    if (!isWellFormed(key))
      throw new TypeError(`${name}: expected well-formed Unicode keys, got a key with a lone surrogate`);
    if (!isWellFormed(value)) {
      throw new TypeError(
        `${name}: expected well-formed Unicode values, got a lone surrogate in the value of a key of length ${key.length}`,
      );
    }
  }
}

/**
 * Scratch space for encodeMap: every token copies its payload out at once, so one buffer serves
 * every call, and a seal allocates no separate payload (each small typed array off the V8 heap
 * costs a few hundred ns and garbage-collector work, seen under HTTP load: docs/performance.md).
 */
const SCRATCH_BYTES = 16 * 1024;
const scratch = /* @__PURE__ */ new Uint8Array(SCRATCH_BYTES); // pure: a bundle without encodeMap drops it

/**
 * Encodes a validated map. The result is a view of scratch space, valid only until the next call:
 * callers copy it into their token before anything else can run (seal.ts, sign.ts). A UTF-16 code
 * unit takes at most 3 UTF-8 bytes, so room is checked per entry against that bound; a map too large
 * for the scratch space (which can only fail the token's size check) gets a buffer of its own.
 */
export function encodeMap(data: ReadonlyMap<string, string>): Uint8Array {
  let out = scratch;
  let offset = 0;
  // forEach, not for...of: no iterator and no [key, value] array per entry.
  data.forEach((value, key) => {
    const room = offset + 2 * 5 + 3 * (key.length + value.length);
    if (room > out.length) {
      const larger = new Uint8Array(Math.max(room, 2 * out.length));
      larger.set(out.subarray(0, offset));
      out = larger;
    }
    offset = writeString(out, offset, key);
    offset = writeString(out, offset, value);
  });
  return out.subarray(0, offset);
}

function writeString(out: Uint8Array, offset: number, text: string): number {
  const length = text.length;
  // ASCII fast path: a charCodeAt loop beats a call into TextEncoder for the short
  // strings sessions hold. For ASCII the byte length is the string length.
  const start = offset + varintLength(length);
  let i = 0;
  for (; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) break;
    out[start + i] = c;
  }
  if (i === length) {
    writeVarint(out, offset, length);
    return start + length;
  }
  const bytes = utf8Encoder.encode(text);
  offset = writeVarint(out, offset, bytes.length);
  out.set(bytes, offset);
  return offset + bytes.length;
}

function varintLength(value: number): number {
  return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : 5;
}

function writeVarint(out: Uint8Array, offset: number, value: number): number {
  while (value >= 0x80) {
    out[offset++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  out[offset++] = value;
  return offset;
}

const mapHas = Map.prototype.has;
const mapSet = Map.prototype.set;

/**
 * Decodes a payload strictly, or returns null: every length is checked against
 * the bytes left before it is used, varints must be canonical, UTF-8 must be
 * valid, no key may repeat and no byte may be left over.
 *
 * `into`, an empty map, receives the entries (through Map.prototype's own methods,
 * whatever a subclass overrides), so a caller that wants them in its own map does
 * not pay for a second one; after a null it holds a partial payload and must be
 * dropped.
 */
export function decodeMap(bytes: Uint8Array, into: Map<string, string> = new Map()): Map<string, string> | null {
  // When every byte is ASCII (short ASCII strings, the common case), one decoder call
  // turns the whole payload into a string whose indices equal byte offsets, and each
  // entry is a cheap slice of it. Otherwise each string is decoded on its own.
  const ascii = isAscii(bytes) ? asciiDecoder.decode(bytes) : null;
  const data = into;
  const end = bytes.length;
  let offset = 0;
  let key: string | null = null;
  while (offset < end) {
    let length = 0;
    let shift = 0;
    for (let i = 0; ; i++) {
      if (offset >= end || i === MAX_VARINT_BYTES) return null;
      const byte = bytes[offset++]!;
      length |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        // Canonical LEB128: a multi-byte varint may not end in a zero byte (an overlong form).
        if (byte === 0 && i > 0) return null;
        break;
      }
      shift += 7;
    }
    // Check the length against what is left before reading anything.
    if (length > end - offset) return null;
    const text = ascii !== null ? ascii.slice(offset, offset + length) : decodeUtf8(bytes, offset, offset + length);
    if (text === null) return null;
    offset += length;
    if (key === null) {
      key = text;
    } else {
      if (mapHas.call(data, key)) return null;
      mapSet.call(data, key, text);
      key = null;
    }
  }
  // A key without its value is a truncated payload.
  return key === null ? data : null;
}

const asciiDecoder = new TextDecoder();

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! > 0x7f) return false;
  return true;
}

function isMap(value: unknown): value is Map<unknown, unknown> {
  if (value instanceof Map) return true;
  // A Map from another realm (a vm context, an iframe) fails instanceof but has the
  // internal slot; the size getter throws for anything else, including look-alikes.
  try {
    MAP_SIZE.call(value);
    return true;
  } catch {
    return false;
  }
}
// Pure-annotated so a bundle that only decodes drops it (docs/package.md, bundle size).
const MAP_SIZE = /* @__PURE__ */ (() => Object.getOwnPropertyDescriptor(Map.prototype, 'size')!.get!)();
