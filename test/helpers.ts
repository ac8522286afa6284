/** Shared test fixtures: byte helpers, the sample session and the BAD_INPUTS catalogue (../shared/STYLE.md, point 8). */
import fc from 'fast-check';

export const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

export const SAMPLE_SESSION: ReadonlyMap<string, string> = new Map([
  ['userId', '12345'],
  ['name', 'alice'],
  ['role', 'admin'],
  ['csrf', '0123456789abcdef0123456789abcdef'],
  ['locale', 'en-US'],
]);

/** A fixed 32-byte secret for deterministic tests (never a real key). */
export const SECRET_A = 'test-secret-A-0123456789abcdefghijklmnop';
export const SECRET_B = 'test-secret-B-0123456789abcdefghijklmnop';

/** Values a careless caller or a hostile client might pass where a string or Map is expected. */
export const BAD_INPUTS: ReadonlyArray<readonly [string, unknown]> = [
  ['undefined', undefined],
  ['null', null],
  ['NaN', Number.NaN],
  ['a number', 42],
  ['Infinity', Infinity],
  ['a bigint', 10n],
  ['true', true],
  ['a symbol', Symbol('x')],
  ['a function', () => 'x'],
  ['an array of pairs', [['a', 'b']]],
  ['a plain object', { a: 'b' }],
  [
    'an object that looks like a Map',
    {
      size: 1,
      get: () => 'b',
      set() {},
      entries: () => [['a', 'b']][Symbol.iterator](),
      [Symbol.iterator]: () => [['a', 'b']][Symbol.iterator](),
      [Symbol.toStringTag]: 'Map',
    },
  ],
  ['a string with a lone surrogate', 'ab\uD800cd'],
  ['a 1 MB string', 'x'.repeat(1 << 20)],
  ['an empty string', ''],
  ['a Uint8Array', new Uint8Array(4)],
];

/** Well-formed strings of every kind: ASCII, NUL, astral characters, empty. */
export const wellFormedString = (maxLength = 40): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({ unit: fc.constantFrom('\u0000', 'a', 'é', '€', '😀', '\uFFFF', '\u{10FFFF}'), maxLength }),
  );

/** Arbitrary session maps of well-formed strings. */
export const sessionMap = (maxKeys = 8): fc.Arbitrary<Map<string, string>> =>
  fc.array(fc.tuple(wellFormedString(), wellFormedString(60)), { maxLength: maxKeys }).map((pairs) => new Map(pairs));

/**
 * Runs `act` with `Object.prototype` polluted by `properties` (as `merge(target, JSON.parse(body))`
 * with a `__proto__` key does: plain enumerable assignments), and always cleans up, even when `act`
 * throws. Keep `act` short: everything in the process sees the pollution while it runs.
 */
export async function withPollutedPrototype<T>(
  properties: Record<string, unknown>,
  act: () => T | Promise<T>,
): Promise<T> {
  const proto = Object.prototype as Record<string, unknown>;
  const clashes = Object.keys(properties).filter((key) => key in proto);
  if (clashes.length > 0) throw new Error(`Object.prototype already has ${clashes.join(', ')}`);
  try {
    for (const [key, value] of Object.entries(properties)) proto[key] = value;
    return await act();
  } finally {
    for (const key of Object.keys(properties)) delete proto[key];
  }
}
