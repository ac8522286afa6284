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
 * Every line written, attributes included, stays within COOKIE_BUDGET (see options.ts).
 *
 * @module
 */
import { parseCookie } from './cookie.js';
import { COOKIE_BUDGET, MAX_CHUNKS, type Compiled, type SessionConfig } from './options.js';

/** Bit of the plain `name` cookie in a layout mask; bits 0 to 4 are `name.0` to `name.4`. */
export const PLAIN = 1 << MAX_CHUNKS;

/**
 * `parseCookie(header)`, restricted to the pairs whose text contains `name`: every cookie this
 * session could own (`name`, `name.0` …) and perhaps a few others, in header order.
 *
 * A request carries many unrelated cookies (analytics, preferences) and parsing them all into a Map
 * cost more than the rest of readSession. Pairs are independent in the grammar (RFC 6265 §5.4: split
 * on ";"), so handing parseCookie only the matching pairs, in order, gives it the same answer for
 * these names, duplicates and quoting included. Linear: each search resumes where the last pair ended.
 */
export function sessionCookies(header: string | null | undefined, name: string): Map<string, string> {
  if (typeof header !== 'string') return new Map();
  let at = header.indexOf(name);
  if (at === -1) return new Map();
  let pairs = '';
  while (at !== -1) {
    const start = header.lastIndexOf(';', at) + 1;
    let end = header.indexOf(';', at);
    if (end === -1) end = header.length;
    pairs += `${header.slice(start, end)};`;
    at = header.indexOf(name, end);
  }
  return parseCookie(pairs);
}

/**
 * Which of the session's cookie names a request carried, as a mask of PLAIN and chunk bits. `cookies`
 * is the small map from sessionCookies, so walking it beats six lookups.
 */
export function carriedMask(cookies: ReadonlyMap<string, string>, name: string): number {
  let mask = 0;
  for (const key of cookies.keys()) {
    if (key === name) {
      mask |= PLAIN;
    } else if (key.length === name.length + 2 && key.charCodeAt(name.length) === 0x2e /* . */ && key.startsWith(name)) {
      const index = key.charCodeAt(name.length + 1) - 0x30;
      if (index >= 0 && index < MAX_CHUNKS) mask |= 1 << index;
    }
  }
  return mask;
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
 * Reads the session's value from parsed request cookies. Never throws. An empty plain cookie counts
 * as absent (what a user agent may send after a deletion it did not apply); chunks are read only
 * when there is no plain cookie.
 */
export function readCarried(cookies: ReadonlyMap<string, string>, name: string, chunkNames: readonly string[], carried: number): CarriedValue {
  const plain = cookies.get(name);
  if (plain !== undefined && plain !== '') {
    // Longer than any cookie a browser stores: not worth handing to the store.
    return plain.length > COOKIE_BUDGET ? MALFORMED : { value: plain, used: PLAIN, malformed: false };
  }
  if ((carried & (PLAIN - 1)) === 0) return NONE;
  const first = cookies.get(chunkNames[0]!);
  if (first === undefined || first.length < 3 || first.charCodeAt(1) !== 0x2e /* . */) return MALFORMED;
  const count = first.charCodeAt(0) - 0x30;
  if (!(count >= 2 && count <= MAX_CHUNKS)) return MALFORMED;
  let value = first.length > COOKIE_BUDGET ? '' : first.slice(2);
  if (value === '') return MALFORMED;
  for (let i = 1; i < count; i++) {
    const part = cookies.get(chunkNames[i]!);
    if (part === undefined || part === '' || part.length > COOKIE_BUDGET) return MALFORMED;
    value += part;
  }
  return { value, used: (1 << count) - 1, malformed: false };
}

/** The `Set-Cookie` lines that carry `value`, and the layout mask they occupy. */
export interface Layout {
  readonly lines: string[];
  readonly mask: number;
}

/**
 * Lays `value` out in as few cookies as fit: one plain cookie, or 2 to maxChunks chunks filled in
 * order. Throws a RangeError naming the size and the limit when even maxChunks cookies are too few.
 */
export function layOut(value: string, config: SessionConfig, compiledConfig: Compiled): Layout {
  const { suffix, plainCapacity, chunkCapacity, chunkNames } = compiledConfig;
  if (value.length <= plainCapacity) return { lines: [`${config.name}=${value}${suffix}`], mask: PLAIN };
  // Chunk 0 spends two characters on the count.
  const count = Math.ceil((value.length + 2) / chunkCapacity);
  if (count > config.maxChunks) {
    const limit = config.maxChunks === 1 ? plainCapacity : config.maxChunks * chunkCapacity - 2;
    throw new RangeError(
      `session cookie ${JSON.stringify(config.name)}: expected a stored value of at most ${limit} characters ` +
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

/** The `Set-Cookie` lines that expire every cookie in `mask`. */
export function expireLines(mask: number, compiledConfig: Compiled): string[] {
  const lines: string[] = [];
  if (mask & PLAIN) lines.push(compiledConfig.deletePlain);
  for (let i = 0; i < MAX_CHUNKS; i++) if (mask & (1 << i)) lines.push(compiledConfig.deleteChunk[i]!);
  return lines;
}
