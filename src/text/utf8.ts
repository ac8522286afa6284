/**
 * UTF-8 helpers shared by the codec and the header. One module-level encoder and
 * one fatal decoder: a fatal decoder rejects malformed UTF-8 instead of silently
 * replacing it with U+FFFD, so two different byte strings never decode to the
 * same session (RFC 3629 §10).
 */

export const utf8Encoder = new TextEncoder();
const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * True when `text` holds no lone surrogate, so it has exactly one UTF-8
 * encoding. TextEncoder would silently turn a lone surrogate into U+FFFD and the
 * round trip would change the data.
 *
 * String.prototype.isWellFormed (ES2024) where the engine has it: every seal
 * checks every key and value, and the built-in is about twice as fast as the
 * regular expression, which stays for engines from before 2023 (a feature test
 * of the language, not of the runtime; both give the same answers, see the tests).
 */
export const isWellFormed: (text: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (text) => (text as string & { isWellFormed(): boolean }).isWellFormed()
    : isWellFormedPortable;

/** isWellFormed without the built-in. */
export function isWellFormedPortable(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
// With the `u` flag a valid surrogate pair is one code point and only unpaired halves match.
const LONE_SURROGATE = /\p{Surrogate}/u;

/** Decodes `bytes[start..end)` as UTF-8, or returns null when it is not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string | null {
  // ASCII fast path: short ASCII strings (ids, tokens, locales) are the common case, and
  // fromCharCode over a few bytes is cheaper than a call into the decoder.
  if (end - start <= 64) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (bytes[i]! > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  }
  try {
    return fatalDecoder.decode(bytes.subarray(start, end));
  } catch {
    return null;
  }
}
