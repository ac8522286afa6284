/**
 * Options of seal/sign and unseal/verify: types and the checks that turn a
 * programmer's mistake into a TypeError or RangeError on the spot. The defaults
 * are the token layout's (DEFAULT_TTL, DEFAULT_CLOCK_SKEW in format/token.ts).
 */
import { describe } from '../text/describe.js';
import { keyringState, type KeyEntry, type Keyring } from '../keys/keyring.js';
import {
  contextBytes,
  DEFAULT_CLOCK_SKEW,
  DEFAULT_TTL,
  MAX_CLOCK_SKEW,
  MAX_CONTEXT_BYTES,
  MAX_SECONDS,
} from '../format/token.js';
import { isWellFormed } from '../text/utf8.js';

/** Options of `seal` and `sign`. */
export interface SealOptions {
  /** The keyring from `createKeyring`; its current key seals or signs. */
  readonly keys: Keyring;
  /** Seconds until the token expires, a positive integer or `Infinity` (never). Default 604800 (7 days). */
  readonly ttl?: number | undefined;
  /** A string bound into the token's authentication but not carried in it, e.g. the cookie name. Default `''`. */
  readonly context?: string | undefined;
  /** The current time in ms since the epoch. Default `Date.now()`. */
  readonly now?: number | undefined;
}

/** Options of `unseal` and `verify`. */
export interface UnsealOptions {
  /** The keyring; any of its keys opens a token, chosen by the token's key id. */
  readonly keys: Keyring;
  /** Must equal the context the token was made with. Default `''`. */
  readonly context?: string | undefined;
  /** The current time in ms since the epoch. Default `Date.now()`. */
  readonly now?: number | undefined;
  /** Seconds of tolerance on expiry and issue time, 0 to 60. Default 5. */
  readonly clockSkew?: number | undefined;
  /** Ms since the epoch: tokens issued before it are `'revoked'` ("log out everywhere"). Default: none. */
  readonly issuedAfter?: number | undefined;
}

export interface CheckedSealOptions {
  readonly entry: KeyEntry;
  readonly context: Uint8Array;
  /** Seconds. */
  readonly issuedAt: number;
  /** Seconds, 0 for never. */
  readonly expiresAt: number;
}

export interface CheckedUnsealOptions {
  readonly current: KeyEntry;
  readonly byId: ReadonlyMap<string, KeyEntry>;
  readonly context: Uint8Array;
  readonly now: number;
  readonly skewMs: number;
  readonly issuedAfter: number;
}

export function checkSealOptions(options: SealOptions): CheckedSealOptions {
  checkObject(options);
  const { current } = keyringState(own(options, 'keys'));
  const now = checkNow(own(options, 'now'));
  const given = own(options, 'ttl');
  const ttl = checkTtl(given === undefined ? DEFAULT_TTL : given);
  const issuedAt = Math.floor(now / 1000);
  const expiresAt = ttl === Infinity ? 0 : issuedAt + ttl;
  if (expiresAt > MAX_SECONDS)
    throw new RangeError(`options.ttl: expected the expiry to stay below 2^40 seconds, got ttl ${ttl}`);
  return { entry: current, context: checkContext(own(options, 'context')), issuedAt, expiresAt };
}

export function checkUnsealOptions(options: UnsealOptions): CheckedUnsealOptions {
  checkObject(options);
  const { current, byId } = keyringState(own(options, 'keys'));
  const givenSkew = own(options, 'clockSkew');
  const clockSkew = checkClockSkew(givenSkew === undefined ? DEFAULT_CLOCK_SKEW : givenSkew);
  const givenAfter = own(options, 'issuedAfter');
  const issuedAfter = givenAfter === undefined ? -Infinity : givenAfter;
  if (typeof issuedAfter !== 'number' || Number.isNaN(issuedAfter)) {
    throw new TypeError(`options.issuedAfter: expected ms since the epoch, got ${describe(issuedAfter)}`);
  }
  return {
    current,
    byId,
    context: checkContext(own(options, 'context')),
    now: checkNow(own(options, 'now')),
    skewMs: clockSkew * 1000,
    issuedAfter,
  };
}

/**
 * The `ttl` option, defaulted: a positive whole number of seconds or `Infinity`. The one check of
 * its shape, shared with the session layer (session/options.ts); each layer then bounds it in its
 * own way (the core by the token's 40-bit expiry field at the time of sealing, the session by 2^39).
 */
export function checkTtl(ttl: unknown): number {
  if (ttl !== Infinity && (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1)) {
    throw new RangeError(`options.ttl: expected a positive whole number of seconds or Infinity, got ${describe(ttl)}`);
  }
  return ttl as number;
}

/** The `clockSkew` option, defaulted: seconds from 0 to MAX_CLOCK_SKEW. Shared with the session layer. */
export function checkClockSkew(clockSkew: unknown): number {
  if (typeof clockSkew !== 'number' || !(clockSkew >= 0 && clockSkew <= MAX_CLOCK_SKEW)) {
    throw new RangeError(`options.clockSkew: expected seconds from 0 to ${MAX_CLOCK_SKEW}, got ${describe(clockSkew)}`);
  }
  return clockSkew;
}

/**
 * An option as an own property only. Read through the prototype chain, a polluted `Object.prototype`
 * (a `__proto__` key merged from parsed JSON anywhere in the app) would supply options nobody passed:
 * `now` from the past lets an expired token through, a huge `ttl` issues tokens that never expire.
 */
function own<T extends object, K extends keyof T & string>(options: T, key: K): T[K] | undefined {
  return Object.hasOwn(options, key) ? options[key] : undefined;
}

function checkObject(options: unknown): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options: expected an object with at least { keys }, got ${describe(options)}`);
  }
}

function checkNow(now: unknown): number {
  if (now === undefined) return Date.now();
  if (typeof now !== 'number' || !Number.isFinite(now) || now < 0 || now / 1000 > MAX_SECONDS) {
    throw new RangeError(`options.now: expected ms since the epoch (a finite number >= 0), got ${describe(now)}`);
  }
  return now;
}

function checkContext(context: unknown): Uint8Array {
  // No context: no binding beyond the key (the session layer passes the cookie name).
  if (context === undefined) return contextBytes('');
  if (typeof context !== 'string' || !isWellFormed(context)) {
    throw new TypeError(
      `options.context: expected a well-formed string, got ${typeof context === 'string' ? 'one with a lone surrogate' : describe(context)}`,
    );
  }
  const bytes = contextBytes(context);
  if (bytes.length > MAX_CONTEXT_BYTES) {
    throw new RangeError(`options.context: expected at most ${MAX_CONTEXT_BYTES} UTF-8 bytes, got ${bytes.length}`);
  }
  return bytes;
}
