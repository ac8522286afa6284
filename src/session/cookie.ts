/**
 * The cookie grammar, in one file: parse a request `Cookie` header, serialize one `Set-Cookie`
 * header value.
 *
 * - {@link parseCookie} reads client input, so it is lenient and never throws (RFC 6265 §5.4 and
 *   the robustness note in §4: servers should be liberal in what they accept).
 * - {@link serializeSetCookie} is driven by the programmer, so it is strict: it emits only what
 *   RFC 6265 §4.1.1 (and RFC 6265bis, for SameSite, prefixes and size limits) allows, and throws a
 *   `TypeError` / `RangeError` ("expected X, got Y") for anything else. A browser silently ignores
 *   a malformed cookie or attribute; an exception here is much easier to find.
 *
 * No percent-decoding anywhere: this library's cookie values are base64url, which are cookie-octets
 * already.
 *
 * @module
 */

/** Attributes of a `Set-Cookie` header (RFC 6265 §4.1.2, RFC 6265bis §4.1.2). `undefined` means absent.
 *
 * Only own properties are read (so a polluted `Object.prototype` cannot add, say, a `domain`), and
 * unknown keys are rejected (so a typo such as `httponly: true` cannot silently drop HttpOnly).
 *
 * @example
 * ```ts
 * const attributes: SetCookieAttributes = { path: '/', secure: true, httpOnly: true, sameSite: 'lax', maxAge: 3600 };
 * serializeSetCookie('__Host-sid', 'abc', attributes);
 * // '__Host-sid=abc; Max-Age=3600; Path=/; Secure; HttpOnly; SameSite=Lax'
 * ```
 */
export interface SetCookieAttributes {
  /** Lifetime in seconds, a safe integer. Zero or negative expires the cookie at once (RFC 6265 §5.2.2). */
  maxAge?: number | undefined;
  /** Expiry instant; a valid `Date` in the years 1601 to 9999. `Max-Age` wins when both are set (RFC 6265 §4.1.2.2). */
  expires?: Date | undefined;
  /** Host name the cookie is shared with, subdomains included (RFC 6265 §4.1.2.3). Omit for a host-only cookie. */
  domain?: string | undefined;
  /** Path scope; must start with `/` (RFC 6265 §4.1.2.4). */
  path?: string | undefined;
  /** Send over secure channels only (RFC 6265 §4.1.2.5). */
  secure?: boolean | undefined;
  /** Hide from non-HTTP APIs such as `document.cookie` (RFC 6265 §4.1.2.6). */
  httpOnly?: boolean | undefined;
  /** Cross-site sending policy (RFC 6265bis §4.1.2.7). `'none'` requires `secure: true`. */
  sameSite?: 'strict' | 'lax' | 'none' | undefined;
  /** Partitioned by top-level site (CHIPS). Requires `secure: true`. */
  partitioned?: boolean | undefined;
}

// ---------------------------------------------------------------------------------------------
// Grammar. Each regex matches the first character that is NOT allowed, so one `exec` both
// validates (no match) and locates the offending character for the error message. They are single
// negated character classes: no backtracking, linear in the input.
// ---------------------------------------------------------------------------------------------

/**
 * RFC 6265 §4.1.1: cookie-name = token; RFC 7230 §3.2.6:
 *   token = 1*tchar
 *   tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
 *         / DIGIT / ALPHA
 */
const NOT_TCHAR = /[^!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/**
 * RFC 6265 §4.1.1:
 *   cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
 *     ; US-ASCII characters excluding CTLs, whitespace, DQUOTE, comma, semicolon, and backslash
 * (The quoted form DQUOTE *cookie-octet DQUOTE is accepted by the parser but never emitted.)
 */
const NOT_COOKIE_OCTET = /[^\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]/;

/**
 * RFC 6265 §4.1.1: path-value = <any CHAR except CTLs or ";">, CHAR = %x01-7F (RFC 5234 B.1),
 * CTL = %x00-1F / %x7F. So: printable US-ASCII (space included) except ";".
 */
const NOT_PATH_CHAR = /[^\x20-\x3A\x3C-\x7E]/;

/**
 * RFC 6265 §4.1.1: domain-value = <subdomain> (RFC 1034 §3.5, as enhanced by RFC 1123 §2.1), with
 * an optional leading "." that user agents ignore (§4.1.2.3). Letters, digits and "-" in non-empty
 * dot-separated labels. Unambiguous (a label cannot contain "."), so it cannot backtrack.
 */
const DOMAIN = /^\.?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*$/;

/** RFC 6265bis §5.6: a user agent ignores a cookie whose name plus value exceeds 4096 octets. */
const MAX_NAME_VALUE_OCTETS = 4096;
/** RFC 6265bis §5.6: a user agent ignores an attribute whose value exceeds 1024 octets. */
const MAX_ATTRIBUTE_VALUE_OCTETS = 1024;
/** RFC 1035 §2.3.4 / RFC 1123 §2.1: a host name has at most 253 characters, 63 per label. */
const MAX_DOMAIN_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;

/**
 * RFC 6265bis §5.1.1 rejects years before 1601; IMF-fixdate (RFC 9110 §5.6.7) has a 4-digit year.
 * An `Expires` outside this range is ignored by the browser, turning the cookie into a session
 * cookie (or, worse, turning a deletion into a no-op), so it is refused here.
 */
const MIN_EXPIRES = Date.UTC(1601, 0, 1);
const MAX_EXPIRES = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const ATTRIBUTE_KEYS: readonly string[] = Object.freeze([
  'maxAge',
  'expires',
  'domain',
  'path',
  'secure',
  'httpOnly',
  'sameSite',
  'partitioned',
]);

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

const SP = 0x20;
const HTAB = 0x09;
const DQUOTE = 0x22;

/** Optional whitespace around cookie names and values (RFC 6265 §5.4: SP and HTAB). */
export function isWhitespace(code: number): boolean {
  return code === SP || code === HTAB;
}

/**
 * A pair's value from `header[start..end)`, as parseCookie returns it: whitespace trimmed, one pair
 * of surrounding DQUOTEs removed (RFC 6265 §4.1.1). Shared with chunks.ts's single-name scan.
 */
export function pairValue(header: string, start: number, end: number): string {
  while (start < end && isWhitespace(header.charCodeAt(start))) start++;
  while (end > start && isWhitespace(header.charCodeAt(end - 1))) end--;
  if (end - start >= 2 && header.charCodeAt(start) === DQUOTE && header.charCodeAt(end - 1) === DQUOTE) {
    start++;
    end--;
  }
  return header.slice(start, end);
}

/**
 * Parse a request `Cookie` header (RFC 6265 §4.2.1, §5.4) into a `Map` of name → value.
 *
 * Lenient by design, and never throws, whatever it is given:
 * - not a string (`undefined`, `null`, a number, a `String` object…): an empty `Map`;
 * - pairs are split on `;`; optional whitespace (SP / HTAB) around names and values is trimmed;
 * - a pair without `=`, or with an empty name, is skipped; the value runs to the next `;`, so
 *   `a=b=c` gives `a` → `b=c`;
 * - the first of duplicate names wins: browsers send the cookie with the longest path first
 *   (RFC 6265 §5.4 step 2), and that is the most specific one;
 * - values are returned raw (no percent-decoding), except that one pair of surrounding DQUOTEs is
 *   removed (RFC 6265 §4.1.1: cookie-value = *cookie-octet / ( DQUOTE *cookie-octet DQUOTE ));
 * - names and values are not checked against the grammar: validate what you read with
 *   {@link isCookieValue} (or, better, by authenticating it).
 *
 * Linear time on hostile input (100k `;`, megabyte values, runs of `=`): it scans with `indexOf`,
 * each character is visited a bounded number of times, and values are `slice`s, never concatenated.
 *
 * @example
 * ```ts
 * const cookies = parseCookie('sid=abc123; theme="dark"; sid=older');
 * cookies.get('sid');   // 'abc123' (first wins)
 * cookies.get('theme'); // 'dark'   (quotes removed)
 * parseCookie(undefined).size; // 0
 * ```
 */
export function parseCookie(header: string | null | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (typeof header !== 'string') return cookies;

  const length = header.length;
  // Position of the first "=" at or after `start`. Searched for lazily and only ever forward, so
  // a header of many "="-less pairs followed by one "=" is scanned once, not once per pair.
  let eq = -1;
  let start = 0;
  while (start < length) {
    let end = header.indexOf(';', start);
    if (end === -1) end = length;

    if (eq < start) {
      eq = header.indexOf('=', start);
      if (eq === -1) break; // no "=" left anywhere: no further pair can be parsed
    }

    if (eq < end) {
      let nameStart = start;
      let nameEnd = eq;
      while (nameStart < nameEnd && isWhitespace(header.charCodeAt(nameStart))) nameStart++;
      while (nameEnd > nameStart && isWhitespace(header.charCodeAt(nameEnd - 1))) nameEnd--;

      if (nameEnd > nameStart) {
        const name = header.slice(nameStart, nameEnd);
        if (!cookies.has(name)) cookies.set(name, pairValue(header, eq + 1, end));
      }
    }
    // else: this pair has no "=" (the next "=" is in a later pair): skip it.

    start = end + 1;
  }
  return cookies;
}

// ---------------------------------------------------------------------------------------------
// Validation predicates
// ---------------------------------------------------------------------------------------------

/**
 * Whether `value` is a valid unquoted cookie value: zero or more cookie-octets (RFC 6265 §4.1.1),
 * i.e. printable US-ASCII except space, `"`, `,`, `;` and `\`. base64url always qualifies.
 * Never throws; `false` for non-strings.
 *
 * @example
 * ```ts
 * isCookieValue('eyJhbGciOi-_');  // true
 * isCookieValue('a;b');           // false
 * ```
 */
export function isCookieValue(value: string): boolean {
  return typeof value === 'string' && !NOT_COOKIE_OCTET.test(value);
}

// ---------------------------------------------------------------------------------------------
// Serialization
// ---------------------------------------------------------------------------------------------

/**
 * A short, safe description of `value` for an error message (text/describe.ts is the same rule for
 * the rest of the library; this file keeps its own so the grammar stands alone): a string by its
 * length only, never its text (SECURITY.md, error messages: a cookie value is often a secret, and a
 * secret put in the wrong place must not reach a log); objects are not inspected (no getters, no
 * `toString`).
 */
function describe(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value.length === 0 ? '""' : `a string of length ${value.length}`;
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      if (value === null) return 'null';
      if (Array.isArray(value)) return 'an array';
      return 'an object';
  }
}

/**
 * Where the character at `index` is not allowed. Never the character itself: error messages show no
 * part of a caller's string (SECURITY.md, error messages), and a cookie value is often a secret.
 */
function describeCharAt(index: number): string {
  return `a character not allowed at index ${index}`;
}

/** The time value of a `Date` (from any realm), or `undefined` if `value` is not a `Date`. */
function timeOf(value: unknown): number | undefined {
  try {
    // The brand check of Date.prototype.getTime: works across realms, unlike instanceof.
    return Date.prototype.getTime.call(value as Date);
  } catch {
    return undefined;
  }
}

function checkName(name: unknown): asserts name is string {
  if (typeof name !== 'string') {
    throw new TypeError(`cookie name: expected a string, got ${describe(name)}`);
  }
  if (name.length === 0) {
    throw new TypeError('cookie name: expected a non-empty RFC 6265 token, got ""');
  }
  const bad = NOT_TCHAR.exec(name);
  if (bad !== null) {
    throw new TypeError(
      `cookie name: expected an RFC 6265 token (letters, digits and !#$%&'*+-.^_\`|~), ` +
        `got ${describe(name)} with ${describeCharAt(bad.index)}`,
    );
  }
}

function checkValue(value: unknown): asserts value is string {
  if (typeof value !== 'string') {
    throw new TypeError(`cookie value: expected a string, got ${describe(value)}`);
  }
  const bad = NOT_COOKIE_OCTET.exec(value);
  if (bad !== null) {
    throw new TypeError(
      'cookie value: expected RFC 6265 cookie-octets (printable US-ASCII except space, DQUOTE, ' +
        `",", ";" and "\\"), got ${describe(value)} with ${describeCharAt(bad.index)}`,
    );
  }
}

function checkBoolean(key: string, value: unknown): boolean {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TypeError(`${key}: expected a boolean, got ${describe(value)}`);
  }
  return value === true;
}

function checkMaxAge(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') {
    throw new TypeError(`maxAge: expected a number of seconds, got ${describe(value)}`);
  }
  // Safe integers only: String() of anything larger may use exponent notation ("1e+21"), which is
  // not DIGITs (RFC 6265 §5.2.2). Zero and negatives are kept: a user agent treats them as
  // "expire now" (§5.2.2), the usual way to delete a cookie.
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`maxAge: expected a safe integer number of seconds, got ${describe(value)}`);
  }
  return value;
}

function checkExpires(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const time = timeOf(value);
  if (time === undefined) {
    throw new TypeError(`expires: expected a Date, got ${describe(value)}`);
  }
  if (Number.isNaN(time)) {
    throw new RangeError('expires: expected a valid Date, got Invalid Date');
  }
  if (time < MIN_EXPIRES || time > MAX_EXPIRES) {
    throw new RangeError(
      `expires: expected a Date in the years 1601 to 9999 (RFC 6265 §5.1.1), got ${new Date(time).toISOString()}`,
    );
  }
  // IMF-fixdate, the preferred sane-cookie-date (RFC 6265 §4.1.1 → RFC 2616 §3.3.1 rfc1123-date).
  // A fresh Date so an overridden toUTCString on the caller's object is never called.
  return new Date(time).toUTCString();
}

function checkDomain(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new TypeError(`domain: expected a string, got ${describe(value)}`);
  }
  const host = value.charCodeAt(0) === 0x2e ? value.slice(1) : value;
  // Length first, so a megabyte string is refused before any regex runs over it.
  if (host.length > MAX_DOMAIN_LENGTH) {
    throw new RangeError(
      `domain: expected a host name of at most ${MAX_DOMAIN_LENGTH} characters, got ${describe(value)}`,
    );
  }
  if (!DOMAIN.test(value)) {
    throw new TypeError(
      'domain: expected a host name (letters, digits and "-" in non-empty labels separated by ".", ' +
        `optionally one leading "."), got ${describe(value)}`,
    );
  }
  for (const label of host.split('.')) {
    if (label.length > MAX_LABEL_LENGTH) {
      throw new RangeError(`domain: expected labels of at most ${MAX_LABEL_LENGTH} characters, got ${describe(label)}`);
    }
  }
  return value;
}

function checkPath(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new TypeError(`path: expected a string, got ${describe(value)}`);
  }
  if (value.length > MAX_ATTRIBUTE_VALUE_OCTETS) {
    throw new RangeError(
      `path: expected at most ${MAX_ATTRIBUTE_VALUE_OCTETS} characters (RFC 6265bis §5.6), got ${value.length}`,
    );
  }
  if (value.charCodeAt(0) !== 0x2f) {
    throw new TypeError(`path: expected a string starting with "/", got ${describe(value)}`);
  }
  const bad = NOT_PATH_CHAR.exec(value);
  if (bad !== null) {
    throw new TypeError(
      'path: expected printable US-ASCII without ";" (RFC 6265 §4.1.1 path-value; percent-encode ' +
        `the rest), got ${describe(value)} with ${describeCharAt(bad.index)}`,
    );
  }
  return value;
}

function checkSameSite(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  // Exact lower-case strings, as typed; RFC 6265bis §4.1.2.7 spells the attribute values capitalized.
  if (value === 'strict') return 'Strict';
  if (value === 'lax') return 'Lax';
  if (value === 'none') return 'None';
  throw new TypeError(`sameSite: expected "strict", "lax" or "none", got ${describe(value)}`);
}

/** Whether `name` starts with `prefix`, compared ASCII case-insensitively (RFC 6265bis §5.7). */
function hasPrefix(name: string, prefix: string): boolean {
  return name.length >= prefix.length && name.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase();
}

/**
 * Serialize one `Set-Cookie` header value (RFC 6265 §4.1, RFC 6265bis §4.1).
 *
 * Strict: every input is validated and anything a browser would reject or silently ignore throws.
 * - `TypeError` for a wrong type or a string outside the grammar; `RangeError` for a number or a
 *   size out of range. Messages read "<field>: expected X, got Y" and never show any part of a
 *   string argument: only its type, length and the index of a bad character (SECURITY.md).
 * - name: a non-empty token; value: cookie-octets (unquoted; base64url always fits);
 *   name + value at most 4096 characters (RFC 6265bis §5.6).
 * - `sameSite: 'none'` and `partitioned: true` require `secure: true` (RFC 6265bis §5.7; CHIPS).
 * - Name prefixes, matched case-insensitively (RFC 6265bis §4.1.3, §5.7): `__Secure-` requires
 *   `secure`; `__Host-` requires `secure`, `path: '/'` and no `domain`. Also the newer `__Http-`
 *   (`secure` and `httpOnly`) and `__Host-Http-` (`__Host-` rules plus `httpOnly`) prefixes that
 *   Chromium enforces.
 *
 * Attribute order is fixed:
 * `name=value; Max-Age=N; Expires=<IMF-fixdate>; Domain=D; Path=P; Secure; HttpOnly; SameSite=S; Partitioned`.
 * Attributes that are `undefined` or `false` are omitted.
 *
 * @throws {TypeError} a bad name, value, attribute type or grammar, or a violated rule.
 * @throws {RangeError} `maxAge` not a safe integer, `expires` invalid or outside 1601–9999, a size limit exceeded.
 *
 * @example
 * ```ts
 * serializeSetCookie('__Host-sid', 'Zm9v', { path: '/', secure: true, httpOnly: true, sameSite: 'lax' });
 * // '__Host-sid=Zm9v; Path=/; Secure; HttpOnly; SameSite=Lax'
 *
 * // Delete it:
 * serializeSetCookie('__Host-sid', '', { path: '/', secure: true, maxAge: 0 });
 * // '__Host-sid=; Max-Age=0; Path=/; Secure'
 *
 * serializeSetCookie('a b', 'x'); // TypeError: cookie name: expected an RFC 6265 token …, got a string of length 3 with a character not allowed at index 1
 * ```
 */
export function serializeSetCookie(name: string, value: string, attributes?: SetCookieAttributes): string {
  checkName(name);
  checkValue(value);
  // Both are ASCII now, so characters are octets.
  if (name.length + value.length > MAX_NAME_VALUE_OCTETS) {
    throw new RangeError(
      `cookie name and value: expected at most ${MAX_NAME_VALUE_OCTETS} octets together ` +
        `(RFC 6265bis §5.6), got ${name.length + value.length}`,
    );
  }

  let record: Record<string, unknown> = {};
  if (attributes !== undefined) {
    const proto: unknown =
      typeof attributes === 'object' && attributes !== null ? Object.getPrototypeOf(attributes) : undefined;
    // Plain objects only: a Map or class instance would otherwise pass with its settings ignored.
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(`cookie attributes: expected a plain object, got ${describe(attributes)}`);
    }
    record = attributes as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!ATTRIBUTE_KEYS.includes(key)) {
        throw new TypeError(
          `cookie attributes: expected only the keys ${ATTRIBUTE_KEYS.join(', ')}, got ${describe(key)}`,
        );
      }
    }
  }
  // Own properties only: see SetCookieAttributes.
  const read = (key: string): unknown => (Object.hasOwn(record, key) ? record[key] : undefined);
  const shown = (key: string): string => `${key}: ${describe(read(key))}`;

  const maxAge = checkMaxAge(read('maxAge'));
  const expires = checkExpires(read('expires'));
  const domain = checkDomain(read('domain'));
  const path = checkPath(read('path'));
  const secure = checkBoolean('secure', read('secure'));
  const httpOnly = checkBoolean('httpOnly', read('httpOnly'));
  const sameSite = checkSameSite(read('sameSite'));
  const partitioned = checkBoolean('partitioned', read('partitioned'));

  // RFC 6265bis §5.7: a SameSite=None cookie without Secure is ignored by the user agent.
  if (sameSite === 'None' && !secure) {
    throw new TypeError(`sameSite "none": expected secure: true (RFC 6265bis §5.7), got ${shown('secure')}`);
  }
  // CHIPS: a Partitioned cookie without Secure is rejected.
  if (partitioned && !secure) {
    throw new TypeError(`partitioned: expected secure: true (CHIPS), got ${shown('secure')}`);
  }
  checkPrefixes(name, secure, httpOnly, domain, path, shown);

  let header = `${name}=${value}`;
  if (maxAge !== undefined) header += `; Max-Age=${maxAge}`;
  if (expires !== undefined) header += `; Expires=${expires}`;
  if (domain !== undefined) header += `; Domain=${domain}`;
  if (path !== undefined) header += `; Path=${path}`;
  if (secure) header += '; Secure';
  if (httpOnly) header += '; HttpOnly';
  if (sameSite !== undefined) header += `; SameSite=${sameSite}`;
  if (partitioned) header += '; Partitioned';
  return header;
}

/** Cookie name prefixes (RFC 6265bis §4.1.3, enforced by user agents in §5.7). */
function checkPrefixes(
  name: string,
  secure: boolean,
  httpOnly: boolean,
  domain: string | undefined,
  path: string | undefined,
  shown: (key: string) => string,
): void {
  const fail = (prefix: string, expected: string, got: string): never => {
    throw new TypeError(`cookie name with the ${prefix} prefix (RFC 6265bis §4.1.3): expected ${expected}, got ${got}`);
  };
  const isHost = hasPrefix(name, '__Host-');
  const isSecure = hasPrefix(name, '__Secure-');
  // The HttpOnly prefixes (draft-ietf-httpbis-layered-cookies; shipped in Chromium): the cookie
  // must also be HttpOnly, so script can never have set it.
  const isHttp = hasPrefix(name, '__Http-');
  const isHostHttp = hasPrefix(name, '__Host-Http-');

  if ((isSecure || isHost || isHttp) && !secure) {
    fail(isHost ? '__Host-' : isSecure ? '__Secure-' : '__Http-', 'secure: true', shown('secure'));
  }
  if (isHost) {
    // §4.1.3.2: host-only (no Domain attribute) and Path=/ explicitly.
    if (domain !== undefined) fail('__Host-', 'no domain', shown('domain'));
    if (path !== '/') fail('__Host-', 'path: "/"', shown('path'));
  }
  if ((isHttp || isHostHttp) && !httpOnly) {
    fail(isHostHttp ? '__Host-Http-' : '__Http-', 'httpOnly: true', shown('httpOnly'));
  }
}
