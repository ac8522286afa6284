/**
 * Session options: their types and defaults, and the one-time validation that turns them into a
 * frozen {@link SessionConfig}. Everything a request needs later (the attribute suffix of every
 * `Set-Cookie`, the deletion headers, the size budget of a cookie) is computed here, once.
 *
 * @module
 */
import { checkClockSkew, checkTtl } from '../core/options.js';
import { DEFAULT_TTL, MAX_CONTEXT_BYTES } from '../format/token.js';
import { describe } from '../text/describe.js';
import type { Keyring } from '../keys/keyring.js';
import { serializeSetCookie, type SetCookieAttributes } from './cookie.js';
import { checkStore, DEFAULT_STORE_TIMEOUT, type SessionInvalidReason, type SessionStore } from './store.js';
import type { Session } from './session.js';

/** The longest cookie lifetime browsers keep: 400 days (RFC 6265bis §4.1.2.1, §4.1.2.2). */
export const MAX_COOKIE_AGE = 400 * 24 * 60 * 60;

/**
 * The size rule: every `Set-Cookie` header value this library emits (name, `=`, value and all
 * attributes) is at most 4096 characters (they are ASCII, so octets). RFC 6265bis §5.6 counts only
 * name plus value against 4096 octets and each attribute value against 1024; counting the whole
 * line is stricter than every browser and leaves no edge case to a browser's arithmetic.
 */
export const COOKIE_BUDGET = 4096;

/**
 * The largest `maxChunks`. Five cookies carry a core token of the largest size (16384 characters)
 * with ordinary attributes; more would only let a request head outgrow what servers accept.
 */
export const MAX_CHUNKS = 5;

/**
 * Bytes a response head spends on each `Set-Cookie` line besides the line itself: the header name,
 * `: ` and CRLF (RFC 9112 §5). The size budget counts whole header lines, as proxies' buffers do.
 */
export const SET_COOKIE_LINE_OVERHEAD = 'Set-Cookie: \r\n'.length;

/**
 * Default `maxSize`: 2048 bytes of `Set-Cookie` lines. nginx reads an upstream's whole response
 * head into one `proxy_buffer_size` buffer, 4 KiB by default ("upstream sent too big header": 502);
 * 2048 leaves the other half for the status line, the framework's headers and the app's own (CSP,
 * other cookies). In the request, the same session takes fewer bytes (no attributes), far inside
 * nginx's 8 KiB per header line and curl's 8190-byte `Cookie` header. See docs/limits.md.
 */
export const DEFAULT_MAX_SIZE = 2048;

/**
 * What a session's cookies must leave free in the server's request-head limit: 4 KiB for the
 * request line, the other headers and the site's other cookies (analytics, preferences, CSRF).
 */
export const HEAD_ROOM = 4096;

/**
 * The request-head limit assumed where the runtime does not say (the web build): Node's default
 * `--max-http-header-size`, also Bun's; the Node build reads `http.maxHeaderSize` instead.
 */
export const DEFAULT_HEAD_LIMIT = 16384;

/** The smallest `maxSize`: one cookie with a small session and long attributes. */
export const MIN_MAX_SIZE = 512;

/** The longest ttl: 2^39 seconds, so issue time plus ttl stays within the token's 40-bit field for millennia. */
const MAX_SESSION_TTL = 2 ** 39;

/** Defaults of {@link SessionOptions}. Frozen: nothing can change them for other callers. */
export const SESSION_DEFAULTS = Object.freeze({
  /** 7 days, the core's default token lifetime. */
  ttl: DEFAULT_TTL,
  /** Re-issue once half of the session's lifetime has passed. */
  rolling: 0.5,
  /**
   * Three full cookies (about 12 KiB) plus a typical request's other headers stay below Node's
   * default limit for the whole request head (16 KiB, `--max-http-header-size`); at four, a full
   * session alone would reach it and every request would get `431` until the cookies expire.
   * With the default `maxSize` a session fits one cookie; chunks are for a raised `maxSize`.
   */
  maxChunks: 3,
  /** See {@link DEFAULT_MAX_SIZE}. */
  maxSize: DEFAULT_MAX_SIZE,
  /**
   * 30 s, six times the core's default: behind a load balancer a session is opened by another
   * server than the one that sealed it, and a clock stepped back by NTP (or a VM resumed) makes a
   * fresh token look issued in the future; past the skew it is rejected and the session lost. 30 s
   * covers the steps seen in practice at the cost of sessions outliving their ttl by as much.
   * See SECURITY.md "Clocks".
   */
  clockSkew: 30,
  cookie: Object.freeze({ maxAge: 'ttl', path: '/', secure: true, httpOnly: true, sameSite: 'lax' } as const),
});

/** Attributes of the session cookie. */
export interface SessionCookieOptions {
  /**
   * How long the browser keeps the cookie. Default `'ttl'`.
   * - `'ttl'`: as long as the data lives (`ttl`), capped at 400 days; with `ttl: Infinity`, 400
   *   days (a persistent cookie), renewed by `rolling`;
   * - `'session'`: no `Max-Age`: the browser drops it when it closes;
   * - seconds: a whole number from 1 to 34560000 (400 days, what browsers keep at most:
   *   RFC 6265bis §4.1.2.2); more throws a RangeError.
   */
  readonly maxAge?: 'ttl' | 'session' | number | undefined;
  /** `Path`; default `'/'` (RFC 6265 §4.1.2.4). */
  readonly path?: string | undefined;
  /** `Domain`; default none, a host-only cookie (RFC 6265 §4.1.2.3). Not allowed with `__Host-`. */
  readonly domain?: string | undefined;
  /** `Secure`; default `true` (RFC 6265 §4.1.2.5). Required by `__Host-`/`__Secure-`, `sameSite: 'none'` and `partitioned`. */
  readonly secure?: boolean | undefined;
  /** `HttpOnly`; default `true`: scripts cannot read the cookie (RFC 6265 §4.1.2.6). */
  readonly httpOnly?: boolean | undefined;
  /** `SameSite`; default `'lax'` (RFC 6265bis §4.1.2.7). */
  readonly sameSite?: 'strict' | 'lax' | 'none' | undefined;
  /** `Partitioned` (CHIPS); default `false`. */
  readonly partitioned?: boolean | undefined;
}

/** Options of `defineSession`, `readSession` and `commitSession`. */
export interface SessionOptions {
  /**
   * The cookie name, required: an RFC 6265 token. With the `__Host-` prefix the cookie must be
   * `secure`, `path: '/'` and without `domain`; with `__Secure-` it must be `secure` (RFC 6265bis
   * §4.1.3). A large session uses `name.0`, `name.1`… instead (see `maxChunks`). The name is also the
   * tokens' context: a value minted for one cookie does not open under another name.
   */
  readonly name: string;
  /** Where the data lives. Give either `store` or `keys`. */
  readonly store?: SessionStore | undefined;
  /** Shortcut for `store: cookieStore({ keys })`: the data sealed in the cookie. */
  readonly keys?: Keyring | undefined;
  /**
   * Seconds the data lives after it is saved: a positive whole number, or `Infinity` for never
   * (the session's expiry). Embedded in the token and authenticated, so a client cannot extend
   * it. Default 604800 (7 days).
   */
  readonly ttl?: number | undefined;
  /** Cookie attributes; see {@link SessionCookieOptions} for each default. */
  readonly cookie?: SessionCookieOptions | undefined;
  /**
   * When an unchanged, valid session is re-issued with a fresh expiry. Default `0.5`.
   * - a number in (0, 1]: once that share of the session's lifetime has passed since it was issued
   *   (as of when `readSession` read it); the lifetime is the shorter of `ttl` and the cookie's
   *   `maxAge` (400 days for `ttl: Infinity`);
   * - `true` or `'always'`: on every request that carried a valid session;
   * - `false`: never (the session then ends `ttl` after its last change).
   */
  readonly rolling?: boolean | 'always' | number | undefined;
  /**
   * Called with the reason when a request carried a session cookie that was rejected (never for a
   * request without one). The request still gets an empty session. Must not throw: an exception
   * here propagates out of `readSession`.
   */
  readonly onInvalid?: ((reason: SessionInvalidReason) => void) | undefined;
  /**
   * How many cookies one session may span, 1 to 5. Default 3. A value too large for one cookie is
   * split across `name.0 … name.N-1`; past this many, `commitSession` throws a RangeError.
   */
  readonly maxChunks?: number | undefined;
  /**
   * The most bytes the session may take in a response head: its `Set-Cookie` header lines
   * together (`Set-Cookie: ` and CRLF included), whole bytes from 512. Default 2048, which passes a
   * default nginx (4 KiB `proxy_buffer_size`) with room for other headers. `commitSession` throws a
   * RangeError for a larger session and leaves the previous one in place. At most the server's
   * request-head limit less 4096 (Node: `http.maxHeaderSize`, 16384 unless `--max-http-header-size`
   * says otherwise, so 12288): a larger value could make every later request fail (`431`), and is
   * refused at start-up. Above 2048, raise your proxy's limits first: see docs/limits.md.
   */
  readonly maxSize?: number | undefined;
  /**
   * Seconds of tolerance for other servers' clocks (and for clock steps), 0 to 60. Default 30.
   * See SECURITY.md "Clocks".
   */
  readonly clockSkew?: number | undefined;
  /**
   * Ms since the epoch, or a function returning it (read on every request, so it can change
   * without redefining the session): cookies issued before it are rejected as `'revoked'` ("log out
   * everyone"). A function may return `undefined` for no limit. Default: none.
   */
  readonly issuedAfter?: number | (() => number | undefined) | undefined;
  /** The clock, ms since the epoch; for tests. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
  /**
   * Where warnings go: a deployment mistake the library can see but that is not an error, such as a
   * `secure` cookie served over plain HTTP to a host other than localhost (the browser drops it).
   * Each is given once per config. Default `console.warn`.
   */
  readonly onWarning?: ((message: string) => void) | undefined;
  /**
   * Ms a store call (load, save, destroy) may take before the request fails with a
   * `StoreTimeoutError`: a whole number from 1 to 2147483647, or `Infinity`. Default 5000. Applies
   * to stores that answer with a promise; the built-in cookie store does no I/O and is not timed.
   */
  readonly storeTimeout?: number | undefined;
  /**
   * Per-session cookie lifetime ("remember me"), asked whenever a session's cookie is written:
   * `true` for a persistent cookie (`cookie.maxAge`), `false` for a browser-session cookie (no
   * `Max-Age`: gone when the browser closes). Keep the user's choice in the session, made at
   * sign-in, so every re-issue keeps it: `persistent: (session) => session.get('remember') === '1'`.
   * It can only shorten what `cookie.maxAge` allows; the data's `ttl` applies to both. Default:
   * every session as `cookie.maxAge` says.
   */
  readonly persistent?: ((session: Session) => boolean) | undefined;
}

/** Resolved, validated session options: the result of `defineSession`. Frozen. */
export interface SessionConfig {
  readonly name: string;
  readonly store: SessionStore;
  readonly ttl: number;
  /** The attributes every session cookie gets; `maxAge` is resolved to seconds, `undefined` for a browser-session cookie. */
  readonly cookie: Readonly<SetCookieAttributes>;
  /** Resolved `rolling`: `false`, `true` (always) or a share in (0, 1]. */
  readonly rolling: boolean | number;
  readonly maxChunks: number;
  /** Bytes of `Set-Cookie` lines the session may take (see SessionOptions.maxSize). */
  readonly maxSize: number;
  readonly clockSkew: number;
  readonly issuedAfter: number | (() => number | undefined) | undefined;
  readonly onInvalid: ((reason: SessionInvalidReason) => void) | undefined;
  readonly now: () => number;
  readonly onWarning: (message: string) => void;
  readonly storeTimeout: number;
  readonly persistent: ((session: Session) => boolean) | undefined;
}

/** What requests need, precomputed at setup from a config. Internal: kept out of the config object. */
export interface Precomputed {
  /** `; Max-Age=…; Path=/; Secure; HttpOnly; SameSite=Lax`, shared by every cookie of this session. */
  readonly suffix: string;
  /** The longest value a plain `name` cookie can carry within {@link COOKIE_BUDGET}. */
  readonly plainCapacity: number;
  /** The longest value a `name.i` cookie can carry within {@link COOKIE_BUDGET}. */
  readonly chunkCapacity: number;
  /** `name.0` … `name.4`. */
  readonly chunkNames: readonly string[];
  /** Bytes of a `Set-Cookie` header line besides the value: name, attributes, header name, CRLF. */
  readonly lineBytes: number;
  /**
   * The session's cookies this config can write (a layout mask): PLAIN, and the chunks within both
   * `maxChunks` and `maxSize`. A request carrying others (an earlier configuration's) gets them expired.
   */
  readonly writable: number;
  /** The `Set-Cookie` that expires `name`. */
  readonly deletePlain: string;
  /** The `Set-Cookie` that expires `name.i`. */
  readonly deleteChunk: readonly string[];
  /** Ms after issue when an unchanged session is re-issued: 0 for always, Infinity for never. */
  readonly rollAfter: number;
  /** The keyring when the store is the default one made from `keys` (two such stores are interchangeable). */
  readonly defaultKeys: Keyring | undefined;
}

const precomputedByConfig = new WeakMap<SessionConfig, Precomputed>();
/** Raw options objects already validated: each request must not validate them again. */
const configByOptions = new WeakMap<object, SessionConfig>();

const OPTION_KEYS: readonly string[] = Object.freeze([
  'name',
  'store',
  'keys',
  'ttl',
  'cookie',
  'rolling',
  'onInvalid',
  'maxChunks',
  'maxSize',
  'clockSkew',
  'issuedAfter',
  'now',
  'onWarning',
  'storeTimeout',
  'persistent',
]);
const COOKIE_KEYS: readonly string[] = Object.freeze([
  'maxAge',
  'path',
  'domain',
  'secure',
  'httpOnly',
  'sameSite',
  'partitioned',
]);

/** Makes the default store from `keys`; supplied by the runtime binding (see bind.ts). */
export type DefaultStoreFactory = (keys: Keyring) => SessionStore;

/**
 * The config for `options`: `options` itself when it is a config, the cached config of an options
 * object seen before, or a new one (validated, then cached per object in a WeakMap).
 * Without `makeDefaultStore` (the runtime-neutral path) the `keys` shortcut is refused with a
 * message saying where to get it.
 */
export function configFor(
  options: SessionOptions | SessionConfig,
  makeDefaultStore?: DefaultStoreFactory,
  headLimit?: () => number,
): SessionConfig {
  if (typeof options === 'object' && options !== null) {
    if (precomputedByConfig.has(options as SessionConfig)) return options as SessionConfig;
    const cached = configByOptions.get(options);
    if (cached !== undefined) return cached;
  }
  const config = validatedConfig(options, makeDefaultStore, headLimit);
  configByOptions.set(options, config);
  return config;
}

/**
 * Whether two configs store sessions the same way: the same store, or default cookie stores over
 * the same keyring (so `{ name, keys }` written inline at read and at commit still match).
 */
export function sameStore(a: SessionConfig, b: SessionConfig): boolean {
  if (a.store === b.store) return true;
  const keys = precomputedByConfig.get(a)!.defaultKeys;
  return keys !== undefined && keys === precomputedByConfig.get(b)!.defaultKeys;
}

/** The request-time data of a config from {@link configFor}. */
export function precomputedOf(config: SessionConfig): Precomputed {
  return precomputedByConfig.get(config)!;
}

/**
 * A new config from `input`, validated (a TypeError or RangeError saying what to fix) and frozen, with
 * its precomputed data; calls the store's `validate`.
 */
function validatedConfig(
  input: unknown,
  makeDefaultStore: DefaultStoreFactory | undefined,
  headLimit: (() => number) | undefined,
): SessionConfig {
  const options = checkRecord(input, 'options', OPTION_KEYS, '{ name, keys } or { name, store }');
  const name = options.name;
  if (typeof name !== 'string' || name.length === 0) {
    throw new TypeError(
      `options.name: expected a cookie name (an RFC 6265 token such as "__Host-session"), got ${describe(name)}`,
    );
  }
  // Before the grammar check, so a megabyte name is refused without scanning it.
  // The name is also every token's context, which the core bounds (MAX_CONTEXT_BYTES; a token is
  // ASCII, so characters are bytes): refuse here what would otherwise fail on every request.
  if (name.length > MAX_CONTEXT_BYTES) {
    throw new RangeError(
      `options.name: expected at most ${MAX_CONTEXT_BYTES} characters (it is also the tokens' context), got ${name.length}`,
    );
  }
  const ttl = checkTtl(options.ttl ?? SESSION_DEFAULTS.ttl);
  // Tokens carry expiry in 40 bits of seconds; a ttl that overflows it would fail every commit.
  if (ttl !== Infinity && ttl > MAX_SESSION_TTL) {
    throw new RangeError(
      `options.ttl: expected at most ${MAX_SESSION_TTL} seconds (2^39, about 17000 years) or Infinity, got ${ttl}`,
    );
  }
  const store = resolveStore(options.store, options.keys, makeDefaultStore);
  const maxChunks = options.maxChunks ?? SESSION_DEFAULTS.maxChunks;
  if (typeof maxChunks !== 'number' || !Number.isInteger(maxChunks) || maxChunks < 1 || maxChunks > MAX_CHUNKS) {
    throw new RangeError(
      `options.maxChunks: expected a whole number from 1 to ${MAX_CHUNKS}, got ${describe(maxChunks)}`,
    );
  }
  const maxSize = resolveMaxSize(options.maxSize, headLimit?.() ?? DEFAULT_HEAD_LIMIT);
  const clockSkew = checkClockSkew(options.clockSkew ?? SESSION_DEFAULTS.clockSkew);
  const rolling = resolveRolling(options.rolling);
  const issuedAfter = options.issuedAfter;
  if (
    issuedAfter !== undefined &&
    typeof issuedAfter !== 'function' &&
    (typeof issuedAfter !== 'number' || Number.isNaN(issuedAfter))
  ) {
    throw new TypeError(
      `options.issuedAfter: expected ms since the epoch or a function returning them, got ${describe(issuedAfter)}`,
    );
  }
  const onInvalid = options.onInvalid;
  if (onInvalid !== undefined && typeof onInvalid !== 'function') {
    throw new TypeError(`options.onInvalid: expected a function (reason) => void, got ${describe(onInvalid)}`);
  }
  const now = options.now ?? Date.now;
  if (typeof now !== 'function')
    throw new TypeError(`options.now: expected a function returning ms since the epoch, got ${describe(now)}`);
  const storeTimeout = options.storeTimeout ?? DEFAULT_STORE_TIMEOUT;
  // 2^31-1: setTimeout fires at once for anything longer.
  if (
    storeTimeout !== Infinity &&
    (typeof storeTimeout !== 'number' ||
      !Number.isInteger(storeTimeout) ||
      storeTimeout < 1 ||
      storeTimeout > 2 ** 31 - 1)
  ) {
    throw new RangeError(
      `options.storeTimeout: expected a whole number of ms from 1 to 2147483647 or Infinity, got ${describe(storeTimeout)}`,
    );
  }
  const persistent = options.persistent;
  if (persistent !== undefined && typeof persistent !== 'function') {
    throw new TypeError(`options.persistent: expected a function (session) => boolean, got ${describe(persistent)}`);
  }

  const cookieInput = checkRecord(options.cookie ?? {}, 'options.cookie', COOKIE_KEYS, 'cookie attributes');
  const cookie: SetCookieAttributes = Object.freeze(
    dropUndefined({
      maxAge: resolveMaxAge(cookieInput.maxAge, ttl),
      domain: cookieInput.domain as string | undefined,
      path: orDefault(cookieInput.path, SESSION_DEFAULTS.cookie.path) as string,
      secure: orDefault(cookieInput.secure, SESSION_DEFAULTS.cookie.secure) as boolean,
      httpOnly: orDefault(cookieInput.httpOnly, SESSION_DEFAULTS.cookie.httpOnly) as boolean,
      sameSite: orDefault(cookieInput.sameSite, SESSION_DEFAULTS.cookie.sameSite) as 'strict' | 'lax' | 'none',
      partitioned: cookieInput.partitioned as boolean | undefined,
    }),
  );

  // The cookie grammar validates name and attributes, prefix rules included, exactly as every
  // request will use them: a misconfiguration fails here, at start-up, not at the first login.
  const line = setupSerialize(name, cookie);
  const suffix = line.slice(name.length + 1);
  const chunkNames = Object.freeze(Array.from({ length: MAX_CHUNKS }, (_, i) => `${name}.${i}`));
  checkRoom(maxSize, line.length + SET_COOKIE_LINE_OVERHEAD);
  const plainCapacity = COOKIE_BUDGET - line.length;
  const chunkCapacity = COOKIE_BUDGET - (line.length + 2);
  // No check that room is left for the value: the name (<= 1024), path (<= 1024), domain (<= 253)
  // and the other attributes take at most about 2400 of the 4096 characters, so every cookie keeps
  // more than 1600 for its part of the value.
  const expired = { ...cookie, maxAge: 0 };
  const config: SessionConfig = Object.freeze({
    name,
    store,
    ttl,
    cookie,
    rolling,
    maxChunks,
    maxSize,
    clockSkew,
    issuedAfter: issuedAfter as SessionConfig['issuedAfter'],
    onInvalid: onInvalid as SessionConfig['onInvalid'],
    now: now as SessionConfig['now'],
    onWarning: resolveOnWarning(options.onWarning),
    storeTimeout: storeTimeout as number,
    persistent: persistent as SessionConfig['persistent'],
  });
  precomputedByConfig.set(
    config,
    Object.freeze({
      suffix,
      plainCapacity,
      chunkCapacity,
      chunkNames,
      lineBytes: line.length + SET_COOKIE_LINE_OVERHEAD,
      writable: writableMask(maxChunks, maxSize, line.length + SET_COOKIE_LINE_OVERHEAD, chunkCapacity),
      deletePlain: serializeSetCookie(name, '', expired),
      deleteChunk: Object.freeze(chunkNames.map((chunk) => serializeSetCookie(chunk, '', expired))),
      rollAfter: rollAfter(rolling, ttl, cookie.maxAge),
      defaultKeys: options.store === undefined ? (options.keys as Keyring) : undefined,
    }),
  );
  store.validate?.(Object.freeze({ name, ttl }));
  return config;
}

function resolveOnWarning(onWarning: unknown): (message: string) => void {
  if (onWarning === undefined) return (message) => console.warn(message);
  if (typeof onWarning !== 'function')
    throw new TypeError(`options.onWarning: expected a function (message) => void, got ${describe(onWarning)}`);
  return onWarning as (message: string) => void;
}

/**
 * Validates `maxSize` against the server's request-head limit: the session's cookies come back in
 * every request, and a request head over the limit is refused before the app sees it (Node: 431),
 * so no request, not even a logout, could repair it until the cookies expire.
 */
function resolveMaxSize(maxSize: unknown, headLimit: number): number {
  if (maxSize === undefined) return SESSION_DEFAULTS.maxSize;
  if (typeof maxSize !== 'number' || !Number.isSafeInteger(maxSize) || maxSize < MIN_MAX_SIZE) {
    throw new RangeError(
      `options.maxSize: expected a whole number of bytes from ${MIN_MAX_SIZE}, got ${describe(maxSize)}`,
    );
  }
  const ceiling = headLimit - HEAD_ROOM;
  if (maxSize > ceiling) {
    throw new RangeError(
      `options.maxSize: expected at most ${ceiling} bytes (the server's request-head limit, ${headLimit} bytes, ` +
        `less ${HEAD_ROOM} for other headers and cookies), got ${maxSize}; keep less in the session or use a ` +
        `server-side store, or raise the limit (node --max-http-header-size) and every proxy's in front (docs/limits.md)`,
    );
  }
  return maxSize;
}

/** Bytes `maxSize` must leave for the value after the name and attributes: a small session's token. */
const SMALL_SESSION = 256;

/** A budget the cookie's own name and attributes nearly fill would refuse every login: say so now. */
function checkRoom(maxSize: number, lineBytes: number): void {
  if (lineBytes + SMALL_SESSION > maxSize) {
    throw new RangeError(
      `options.maxSize: expected at least ${lineBytes + SMALL_SESSION} bytes (this cookie's name and attributes take ` +
        `${lineBytes} in every Set-Cookie line, plus ${SMALL_SESSION} for a small session), got ${maxSize}; ` +
        `shorten the name, path or domain, or raise options.maxSize`,
    );
  }
}

/**
 * The layout mask of the cookies a config can write: PLAIN, and chunk i when a layout of i + 1
 * chunks can fit both maxChunks and maxSize. The smallest layout of n >= 2 chunks carries a value one
 * character longer than n - 1 full chunks hold (chunks.ts layOut), and spends lineBytes + 2 on each.
 */
function writableMask(maxChunks: number, maxSize: number, lineBytes: number, chunkCapacity: number): number {
  let mask = 1 << MAX_CHUNKS; // PLAIN (chunks.ts)
  for (let count = 2; count <= maxChunks; count++) {
    const smallest = (count - 1) * chunkCapacity - 1 + count * (lineBytes + 2);
    if (smallest > maxSize) break;
    mask |= (1 << count) - 1;
  }
  return mask;
}

/**
 * Checks an options object (an object, and no key outside `keys`; shared by the stores' options) and
 * returns a null-prototype copy of its own properties, which is all the caller may read. Read through
 * the prototype chain, a polluted `Object.prototype` (a `__proto__` key merged from JSON somewhere in
 * the app) would supply options nobody wrote: `signed: true` sends the data in clear, `domain`,
 * `sameSite: 'none'` or `httpOnly: false` weaken the cookie. Each option is read once, here.
 */
export function checkRecord(
  value: unknown,
  where: string,
  keys: readonly string[],
  shape: string,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${where}: expected an object with ${shape}, got ${describe(value)}`);
  }
  const own: Record<string, unknown> = Object.create(null);
  // Unknown keys are typos (`httponly`, `maxage`) that would silently weaken the cookie. The key is
  // not shown (SECURITY.md, error messages): it may be a secret passed in the wrong place.
  Object.keys(value).forEach((key, index) => {
    if (!keys.includes(key)) {
      throw new TypeError(
        `${where}: expected only the keys ${keys.join(', ')}, got an unknown key (own key #${index + 1}, ${describe(key)})`,
      );
    }
    own[key] = (value as Record<string, unknown>)[key];
  });
  return own;
}

function resolveStore(store: unknown, keys: unknown, makeDefaultStore: DefaultStoreFactory | undefined): SessionStore {
  if (store !== undefined && keys !== undefined) {
    throw new TypeError(
      'options: expected either store or keys, got both (keys is the shortcut for store: cookieStore({ keys }))',
    );
  }
  if (store !== undefined) {
    checkStore(store, 'options.store');
    return store;
  }
  if (keys === undefined) {
    throw new TypeError(
      'options: expected keys (a keyring from createKeyring()) or store (a SessionStore), got neither',
    );
  }
  if (makeDefaultStore === undefined) {
    throw new TypeError(
      'options.keys: expected a store here (the keys shortcut needs the crypto of a build: pass the result of ' +
        "defineSession() from 'sealed-session' or 'sealed-session/web'), got keys",
    );
  }
  return makeDefaultStore(keys as Keyring);
}

function resolveRolling(rolling: unknown): boolean | number {
  if (rolling === undefined) return SESSION_DEFAULTS.rolling;
  if (rolling === 'always') return true;
  if (typeof rolling === 'boolean') return rolling;
  if (typeof rolling === 'number' && rolling > 0 && rolling <= 1) return rolling;
  throw new RangeError(
    `options.rolling: expected false, true, 'always' or a share of the lifetime in (0, 1], got ${describe(rolling)}`,
  );
}

function resolveMaxAge(maxAge: unknown, ttl: number): number | undefined {
  if (maxAge === undefined || maxAge === 'ttl') return Math.min(ttl, MAX_COOKIE_AGE);
  if (maxAge === 'session') return undefined;
  if (typeof maxAge !== 'number' || !Number.isInteger(maxAge) || maxAge < 1) {
    throw new RangeError(
      `options.cookie.maxAge: expected 'ttl', 'session' or a whole number of seconds from 1, got ${describe(maxAge)}`,
    );
  }
  if (maxAge > MAX_COOKIE_AGE) {
    throw new RangeError(
      `options.cookie.maxAge: expected at most ${MAX_COOKIE_AGE} seconds (400 days: browsers cap cookie lifetimes there, ` +
        `RFC 6265bis §4.1.2.2), got ${maxAge}`,
    );
  }
  return maxAge;
}

/** See SessionOptions.rolling: the share applies to the shorter of the data's and the cookie's lifetime. */
function rollAfter(rolling: boolean | number, ttl: number, maxAge: number | undefined): number {
  if (rolling === true) return 0;
  if (rolling === false) return Infinity;
  const lifetime = Math.min(ttl, maxAge ?? Infinity);
  return lifetime === Infinity ? Infinity : rolling * lifetime * 1000;
}

/** serializeSetCookie with its messages pointed at the option to fix. */
function setupSerialize(name: string, cookie: SetCookieAttributes): string {
  try {
    return serializeSetCookie(name, '', cookie);
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    // 'cookie name: …' is about the name; 'cookie name "__Host-x" has the __Host- prefix …' about
    // the attributes that prefix requires; the rest start with the attribute's key.
    const message = error.message.startsWith('cookie name:')
      ? `options.name:${error.message.slice('cookie name:'.length)}`
      : error.message.startsWith('cookie name')
        ? `options.cookie: ${error.message}`
        : `options.cookie.${error.message}`;
    const Type = error instanceof RangeError ? RangeError : TypeError;
    throw new Type(message, { cause: error });
  }
}

/** `null` is not a default: only an absent option gets one, so `path: null` fails validation. */
function orDefault(value: unknown, fallback: unknown): unknown {
  return value === undefined ? fallback : value;
}

function dropUndefined<T extends object>(record: T): T {
  for (const key of Object.keys(record) as (keyof T)[]) if (record[key] === undefined) delete record[key];
  return record;
}
