/**
 * Splitting a store value across cookies, and joining it back.
 *
 * Browsers silently drop a cookie over 4096 octets (RFC 6265bis §5.6), the most reported session bug
 * of iron-session, Auth.js and Nuxt's session utilities. So a value that does not fit one cookie is
 * sent as `name.0 … name.N-1` (never also `name`):
 *
 *   name.0 = N "." part0        N: the chunk count, one digit from 2 to 5
 *   name.i = part_i             for 0 < i < N
 *   value  = part0 part1 … part_N-1
 *
 * The count makes a lost or stale chunk a detectable `'malformed'` instead of a truncated token;
 * content from two different writes still fails the store's authentication (`'invalid'`).
 * Every line written, attributes included, stays within COOKIE_BUDGET (see options.ts), and all of a
 * session's lines together within the config's `maxSize`: what proxies and servers accept in one
 * response and one request head (docs/limits.md).
 *
 * @module
 */
import { isWhitespace, pairValue } from './cookie.js';
import { COOKIE_BUDGET, MAX_CHUNKS, type Precomputed, type SessionConfig } from './options.js';

/** Bit of the plain `name` cookie in a layout mask; bits 0 to 4 are `name.0` to `name.4`. */
export const PLAIN = 1 << MAX_CHUNKS;

/** The session's cookies a request carried: a layout mask, and the values by name. */
export interface SessionCookies {
  /** Which of the session's names the request carried: PLAIN and chunk bits. */
  readonly mask: number;
  /** The value of the plain `name` cookie, if carried. */
  readonly plain: string | undefined;
  /** The values of `name.0` … `name.4` by index, when any chunk was carried. */
  readonly chunks: ReadonlyArray<string | undefined> | undefined;
}

const NO_COOKIES: SessionCookies = Object.freeze({ mask: 0, plain: undefined, chunks: undefined });

const SEMICOLON = 0x3b;
const EQUALS = 0x3d;
const DOT = 0x2e;
const DIGIT_ZERO = 0x30;

/**
 * What `parseCookie(header)` gives for `name` and `name.0` … `name.4`, found in one scan without
 * parsing the request's other cookies: a request carries many unrelated ones (analytics,
 * preferences), and parsing them all into a Map cost more than the rest of readSession.
 *
 * The same grammar as parseCookie (RFC 6265 §5.4: pairs split on ";", the name is the text before
 * the first "=", whitespace trimmed around name and value, one pair of DQUOTEs removed, the first of
 * duplicate names wins), cross-checked against it by a property test. Linear: an occurrence of
 * `name` that does not begin its pair's name skips the whole pair, and each search resumes at the end
 * of the pair before it.
 */
export function sessionCookies(header: string | null | undefined, name: string): SessionCookies {
  if (typeof header !== 'string') return NO_COOKIES;
  let at = header.indexOf(name);
  if (at === -1) return NO_COOKIES;
  let mask = 0;
  let plain: string | undefined;
  let chunks: Array<string | undefined> | undefined;
  while (at !== -1) {
    let end = header.indexOf(';', at);
    if (end === -1) end = header.length;
    const bit = pairBit(header, name, at, end);
    if (bit !== 0 && (mask & bit) === 0) {
      mask |= bit;
      const value = pairValue(header, header.indexOf('=', at) + 1, end);
      if (bit === PLAIN) plain = value;
      else (chunks ??= new Array<string | undefined>(MAX_CHUNKS))[31 - Math.clz32(bit)] = value;
    }
    at = header.indexOf(name, end);
  }
  return mask === 0 ? NO_COOKIES : { mask, plain, chunks };
}

/** The layout bit of the pair whose text `name` occurs in at `at`, or 0 when its name is another. */
function pairBit(header: string, name: string, at: number, end: number): number {
  // Only whitespace may stand between the pair's start and the name.
  for (let i = at - 1; i >= 0; i--) {
    const code = header.charCodeAt(i);
    if (code === SEMICOLON) break;
    if (!isWhitespace(code)) return 0;
  }
  let i = at + name.length;
  let bit = PLAIN;
  if (header.charCodeAt(i) === DOT) {
    const index = header.charCodeAt(i + 1) - DIGIT_ZERO;
    if (!(index >= 0 && index < MAX_CHUNKS)) return 0;
    bit = 1 << index;
    i += 2;
  }
  while (i < end && isWhitespace(header.charCodeAt(i))) i++;
  return i < end && header.charCodeAt(i) === EQUALS ? bit : 0;
}

/** The value a request carried: plain, joined from chunks, `'malformed'`, or undefined for none. */
export interface CarriedValue {
  readonly value: string | undefined;
  /** The cookies the value was read from (a layout mask), 0 when none. */
  readonly used: number;
  readonly malformed: boolean;
}

const NONE: CarriedValue = Object.freeze({ value: undefined, used: 0, malformed: false });
const MALFORMED: CarriedValue = Object.freeze({ value: undefined, used: 0, malformed: true });

/**
 * Reads the session's value from the request's session cookies. Never throws. An empty plain
 * cookie counts as absent (what a user agent may send after a deletion it did not apply); chunks
 * are read only when there is no plain cookie. A value the config could not have written (more
 * chunks than `writable` allows, or larger than `maxSize`: an earlier configuration's) is
 * `'malformed'`: loading it would only fail again at the next re-issue.
 */
export function readCarried(cookies: SessionCookies, config: SessionConfig, precomputed: Precomputed): CarriedValue {
  const { plain, chunks } = cookies;
  if (plain !== undefined && plain !== '') {
    // Longer than any cookie a browser stores: not worth handing to the store.
    if (plain.length > COOKIE_BUDGET || plain.length + precomputed.lineBytes > config.maxSize) return MALFORMED;
    return { value: plain, used: PLAIN, malformed: false };
  }
  if (chunks === undefined) return NONE;
  const first = chunks[0];
  if (first === undefined || first.length < 3 || first.charCodeAt(1) !== DOT) return MALFORMED;
  const count = first.charCodeAt(0) - DIGIT_ZERO;
  if (!(count >= 2 && count <= MAX_CHUNKS) || (precomputed.writable & (1 << (count - 1))) === 0) return MALFORMED;
  let value = first.length > COOKIE_BUDGET ? '' : first.slice(2);
  if (value === '') return MALFORMED;
  for (let i = 1; i < count; i++) {
    const part = chunks[i];
    if (part === undefined || part === '' || part.length > COOKIE_BUDGET) return MALFORMED;
    value += part;
  }
  if (value.length + 2 + count * (precomputed.lineBytes + 2) > config.maxSize) return MALFORMED;
  return { value, used: (1 << count) - 1, malformed: false };
}

/** The `Set-Cookie` lines that carry `value`, and the layout mask they occupy. */
export interface Layout {
  readonly lines: string[];
  readonly mask: number;
}

/**
 * Lays `value` out in as few cookies as fit: one plain cookie, or 2 to maxChunks chunks filled in
 * order. Throws a RangeError naming the size and the limit when even maxChunks cookies are too few,
 * or when the lines would take more than `maxSize` bytes of the response head.
 */
export function layOut(value: string, config: SessionConfig, precomputed: Precomputed): Layout {
  const { suffix, plainCapacity, chunkCapacity, chunkNames, lineBytes } = precomputed;
  if (value.length <= plainCapacity) {
    if (value.length + lineBytes > config.maxSize) throw tooLarge(value.length + lineBytes, config);
    return { lines: [`${config.name}=${value}${suffix}`], mask: PLAIN };
  }
  // Chunk 0 spends two characters on the count.
  const count = Math.ceil((value.length + 2) / chunkCapacity);
  if (count <= config.maxChunks && value.length + 2 + count * (lineBytes + 2) > config.maxSize) {
    throw tooLarge(value.length + 2 + count * (lineBytes + 2), config);
  }
  if (count > config.maxChunks) {
    const limit = config.maxChunks === 1 ? plainCapacity : config.maxChunks * chunkCapacity - 2;
    throw new RangeError(
      `session cookie: expected a stored value of at most ${limit} characters ` +
        `(maxChunks ${config.maxChunks} × ${COOKIE_BUDGET}-character cookies), got ${value.length}; ` +
        `keep less in the session, raise options.maxChunks (at most ${MAX_CHUNKS}) or use a server-side store`,
    );
  }
  const lines = [`${chunkNames[0]}=${count}.${value.slice(0, chunkCapacity - 2)}${suffix}`];
  for (let i = 1, at = chunkCapacity - 2; i < count; i++, at += chunkCapacity) {
    lines.push(`${chunkNames[i]}=${value.slice(at, at + chunkCapacity)}${suffix}`);
  }
  return { lines, mask: (1 << count) - 1 };
}

/**
 * The error of a session over `maxSize`. The commit fails before any cookie is written, so the
 * browser keeps the previous session; the way forward is a server-side store.
 */
function tooLarge(bytes: number, config: SessionConfig): RangeError {
  return new RangeError(
    `session cookie ${JSON.stringify(config.name)}: expected at most ${config.maxSize} bytes of Set-Cookie headers ` +
      `(options.maxSize), got ${bytes}; the previous session is kept. Keep less in the session, use a server-side ` +
      `store (memoryStore or your own SessionStore), or raise options.maxSize after raising your proxy's limits (docs/limits.md)`,
  );
}

/** The `Set-Cookie` lines that expire every cookie in `mask`. */
export function expireLines(mask: number, precomputed: Precomputed): string[] {
  const lines: string[] = [];
  if (mask & PLAIN) lines.push(precomputed.deletePlain);
  for (let i = 0; i < MAX_CHUNKS; i++) if (mask & (1 << i)) lines.push(precomputed.deleteChunk[i]!);
  return lines;
}
