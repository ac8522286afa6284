/**
 * Strict base64url (RFC 4648 §5) without padding.
 *
 * Node's `Buffer.from(s, 'base64url')` and most decoders are lenient: they skip
 * characters outside the alphabet, accept `=` padding, ignore non-zero trailing
 * bits and accept impossible lengths. Leniency means one token has many
 * spellings (malleability), so this decoder accepts exactly one spelling per
 * byte string: the one `encodeBase64url` produces (PASETO 4-F-4, RFC 4648 §3.5).
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Character code → 6-bit value, or 255 for characters outside the alphabet. */
const DECODE = new Uint8Array(128).fill(255);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Two-character table: 12 bits → two alphabet characters, halves the work of the encoder loop. */
const PAIRS: string[] = [];
for (let i = 0; i < 4096; i++) PAIRS.push(ALPHABET[i >> 6]! + ALPHABET[i & 63]!);

/** The length in characters of the unpadded base64url encoding of `byteLength` bytes. */
export function base64urlLength(byteLength: number): number {
  return Math.ceil((byteLength * 4) / 3);
}

/** Encodes bytes as base64url without padding. */
export function encodeBase64url(bytes: Uint8Array): string {
  const n = bytes.length;
  const whole = n - (n % 3);
  const parts: string[] = [];
  let out = '';
  for (let i = 0; i < whole; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += PAIRS[v >> 12]! + PAIRS[v & 4095]!;
    // Flush now and then: long += chains are fast, but join keeps memory flat for large inputs.
    if (out.length >= 4096) {
      parts.push(out);
      out = '';
    }
  }
  const rest = n - whole;
  if (rest === 1) {
    const v = bytes[whole]!;
    out += ALPHABET[v >> 2]! + ALPHABET[(v & 3) << 4]!;
  } else if (rest === 2) {
    const v = (bytes[whole]! << 8) | bytes[whole + 1]!;
    out += PAIRS[v >> 4]! + ALPHABET[(v & 15) << 2]!;
  }
  if (parts.length === 0) return out;
  parts.push(out);
  return parts.join('');
}

/**
 * Decodes `text` as strict unpadded base64url. Returns `null` for any
 * character outside the alphabet (including `=`), for a length of 1 mod 4
 * (no byte string encodes to it) and for non-zero trailing bits.
 */
export function decodeBase64url(text: string): Uint8Array | null {
  if (!hasCanonicalLength(text)) return null;
  const length = text.length;
  const out = new Uint8Array((length * 3) >> 2);
  const wholeEnd = length - (length % 4);
  let o = 0;
  for (let i = 0; i < wholeEnd; i += 4) {
    const a = lookup(text, i),
      b = lookup(text, i + 1),
      c = lookup(text, i + 2),
      d = lookup(text, i + 3);
    // Any 255 sets bit 7 of the OR, which no valid 6-bit value has.
    if ((a | b | c | d) > 63) return null;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 255;
    out[o++] = v & 255;
  }
  const rest = length % 4;
  if (rest === 2) {
    const a = lookup(text, wholeEnd),
      b = lookup(text, wholeEnd + 1);
    // (hasCanonicalLength checked that the last character's 4 unused bits are zero.)
    if ((a | b) > 63) return null;
    out[o] = (a << 2) | (b >> 4);
  } else if (rest === 3) {
    const a = lookup(text, wholeEnd),
      b = lookup(text, wholeEnd + 1),
      c = lookup(text, wholeEnd + 2);
    if ((a | b | c) > 63) return null;
    out[o++] = (a << 2) | (b >> 4);
    out[o] = ((b & 15) << 4) | (c >> 2);
  }
  return out;
}

/**
 * The length and last-character checks of strict decoding, for a decoder that validates the
 * alphabet itself (the Node runtime, before Buffer): false for a length of 1 mod 4 (no byte string
 * encodes to it) and for non-zero bits after the last byte (RFC 4648 §3.5, one spelling per bytes).
 */
export function hasCanonicalLength(text: string): boolean {
  const rest = text.length % 4;
  if (rest === 0) return true;
  if (rest === 1) return false;
  const last = lookup(text, text.length - 1);
  return last <= 63 && (last & (rest === 2 ? 15 : 3)) === 0;
}

function lookup(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? DECODE[code]! : 255;
}
