import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isCookieValue, parseCookie, serializeSetCookie, type SetCookieAttributes } from '../../src/session/cookie.js';

// ---------------------------------------------------------------------------------------------
// Helpers and shared inputs
// ---------------------------------------------------------------------------------------------

/** Pass a deliberately ill-typed value through the typed API. */
const untyped = (value: unknown): never => value as never;

const MB = 1 << 20;

/** RFC 7230 tchar. */
const TCHARS = [..."!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"];
/** A cookie name: a non-empty RFC 9110 token (RFC 6265 §4.1.1), written from TCHARS independently of src. */
const isToken = (name: string): boolean => name.length > 0 && [...name].every((char) => TCHARS.includes(char));
/** RFC 6265 cookie-octet: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E. */
const COOKIE_OCTETS = Array.from({ length: 0x7f - 0x21 }, (_, i) => String.fromCharCode(0x21 + i)).filter(
  (c) => !'",;\\'.includes(c),
);

/** Assert that `fn` throws exactly `type` (not a subclass, not another class) with `message` in it. */
function assertThrows(fn: () => unknown, type: typeof TypeError | typeof RangeError, message: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof Error, `expected an Error, got ${String(error)}`);
    assert.equal(error.constructor, type, `expected ${type.name}, got ${error.constructor.name}: ${error.message}`);
    assert.match(error.message, message);
    assert.match(error.message, /expected .*, got /, 'message should read "expected X, got Y"');
    assert.doesNotMatch(
      error.message,
      /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\uD800-\uDFFF]/,
      'message must not carry raw controls, line separators, bidi overrides or surrogates',
    );
    assert.ok(error.message.length < 400, `message too long (${error.message.length})`);
    return true;
  });
}

/**
 * The STYLE.md §8 catalogue, run against every public function. A label, the value, and what a
 * string-accepting function should make of it.
 */
const BAD_INPUTS: ReadonlyArray<readonly [string, unknown]> = [
  ['undefined', undefined],
  ['null', null],
  ['NaN', Number.NaN],
  ['0', 0],
  ['-1', -1],
  ['1.5', 1.5],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['bigint', 10n],
  ['true', true],
  ['false', false],
  ['symbol', Symbol('a=b')],
  ['function', () => 'a=b'],
  ['empty object', {}],
  ['null-prototype object', Object.create(null)],
  ['array', ['a=b']],
  ['Map', new Map([['secure', true]])],
  ['Map look-alike', { get: () => 'b', has: () => true, size: 1, toString: () => 'a=b' }],
  ['String object', new String('a=b')],
  ['Date', new Date(0)],
  ['invalid Date', new Date(Number.NaN)],
  ['empty string', ''],
  ['lone high surrogate', '\uD800'],
  ['lone low surrogate in a pair', 'a=\uDC00'],
  ['1 MB string', 'x'.repeat(MB)],
];

// ---------------------------------------------------------------------------------------------
// parseCookie
// ---------------------------------------------------------------------------------------------

describe('parseCookie', () => {
  test('non-strings give an empty Map', () => {
    for (const input of [undefined, null, 0, 42, Number.NaN, true, {}, [], new String('a=b'), Symbol('x')]) {
      const result = parseCookie(untyped(input));
      assert.ok(result instanceof Map);
      assert.equal(result.size, 0, `for ${String(typeof input)}`);
    }
  });

  test('empty and blank headers give an empty Map', () => {
    for (const header of ['', ' ', '\t', ';', '; ;', '=', ' = ; =x']) {
      assert.deepEqual([...parseCookie(header)], [], JSON.stringify(header));
    }
  });

  test('simple pairs, in header order', () => {
    assert.deepEqual(
      [...parseCookie('a=1; b=2;c=3')],
      [
        ['a', '1'],
        ['b', '2'],
        ['c', '3'],
      ],
    );
  });

  test('SP and HTAB around names and values are trimmed, inner whitespace kept', () => {
    const cookies = parseCookie(' \ta \t= \t1 \t;  b=x y ;c=\t');
    assert.deepEqual(
      [...cookies],
      [
        ['a', '1'],
        ['b', 'x y'],
        ['c', ''],
      ],
    );
  });

  test('one pair of surrounding DQUOTEs is removed (RFC 6265 §4.1.1)', () => {
    const cookies = parseCookie('a="x"; b=""; c="\'"; d=""y""; e="; f=x"; g=" q "');
    assert.equal(cookies.get('a'), 'x');
    assert.equal(cookies.get('b'), '');
    assert.equal(cookies.get('c'), "'");
    assert.equal(cookies.get('d'), '"y"', 'only one pair');
    assert.equal(cookies.get('e'), '"', 'a lone DQUOTE is kept');
    assert.equal(cookies.get('f'), 'x"', 'an unbalanced DQUOTE is kept');
    assert.equal(cookies.get('g'), ' q ', 'whitespace inside the quotes is kept');
  });

  test('the first of duplicate names wins (RFC 6265 §5.4)', () => {
    const cookies = parseCookie('sid=specific; other=1; sid=general; sid=');
    assert.equal(cookies.get('sid'), 'specific');
    assert.equal(cookies.size, 2);
  });

  test('names are case-sensitive', () => {
    const cookies = parseCookie('SID=a; sid=b');
    assert.equal(cookies.get('SID'), 'a');
    assert.equal(cookies.get('sid'), 'b');
  });

  test('pairs without "=" are skipped, the rest is kept', () => {
    assert.deepEqual(
      [...parseCookie('foo; a=1; bar ;b=2; baz')],
      [
        ['a', '1'],
        ['b', '2'],
      ],
    );
  });

  test('empty names are skipped', () => {
    assert.deepEqual(
      [...parseCookie('=x; a=1;  =y; \t=z; b=2')],
      [
        ['a', '1'],
        ['b', '2'],
      ],
    );
  });

  test('the value runs to the next ";": a=b=c gives b=c', () => {
    assert.equal(parseCookie('a=b=c').get('a'), 'b=c');
    assert.equal(parseCookie('a===; b=1').get('a'), '==');
    assert.equal(parseCookie('a==').get('a'), '=');
  });

  test('values are raw: no percent-decoding, anything but ";" kept', () => {
    const cookies = parseCookie('a=%20%ZZ; b=x,y; c=\\u0041; d=é\u0000');
    assert.equal(cookies.get('a'), '%20%ZZ');
    assert.equal(cookies.get('b'), 'x,y');
    assert.equal(cookies.get('c'), '\\u0041');
    assert.equal(cookies.get('d'), 'é\u0000');
  });

  test('names that are Object.prototype keys are ordinary entries', () => {
    const cookies = parseCookie('__proto__=1; constructor=2; toString=3');
    assert.equal(cookies.get('__proto__'), '1');
    assert.equal(cookies.get('constructor'), '2');
    assert.equal(cookies.get('toString'), '3');
    assert.equal(cookies.size, 3);
  });

  test('a typical session header', () => {
    const header = '__Host-sid=eyJ2IjoxfQ.aGVsbG8-d29ybGRf; _ga=GA1.2.3.4; theme=dark';
    assert.equal(parseCookie(header).get('__Host-sid'), 'eyJ2IjoxfQ.aGVsbG8-d29ybGRf');
  });

  describe('hostile headers complete with correct results', () => {
    test('100,000 ";"', () => {
      assert.equal(parseCookie(';'.repeat(100_000)).size, 0);
      assert.deepEqual([...parseCookie(';'.repeat(100_000) + 'a=b')], [['a', 'b']]);
      assert.deepEqual([...parseCookie('a=b' + ';'.repeat(100_000))], [['a', 'b']]);
    });

    test('100,000 "="-less pairs before one "="', () => {
      assert.deepEqual([...parseCookie('x;'.repeat(100_000) + 'a=b')], [['a', 'b']]);
      assert.equal(parseCookie('x;'.repeat(100_000) + '=').size, 0);
    });

    test('a 1 MB value', () => {
      const value = 'v'.repeat(MB);
      const cookies = parseCookie(`a=${value}; b=2`);
      assert.equal(cookies.get('a')?.length, MB);
      assert.equal(cookies.get('a'), value);
      assert.equal(cookies.get('b'), '2');
    });

    test('a 1 MB name and 1 MB of whitespace', () => {
      const name = 'n'.repeat(MB);
      assert.equal(parseCookie(`${name}=1`).get(name), '1');
      assert.equal(parseCookie(`${' '.repeat(MB)}a${' '.repeat(MB)}=${' '.repeat(MB)}1`).get('a'), '1');
    });

    test('100,000 "="', () => {
      assert.equal(parseCookie('a' + '='.repeat(100_000)).get('a'), '='.repeat(99_999));
      assert.equal(parseCookie('='.repeat(100_000)).size, 0);
    });

    test('100,000 distinct and 100,000 duplicate pairs', () => {
      const distinct = parseCookie(Array.from({ length: 100_000 }, (_, i) => `c${i}=${i}`).join('; '));
      assert.equal(distinct.size, 100_000);
      assert.equal(distinct.get('c99999'), '99999');
      const duplicate = parseCookie(Array.from({ length: 100_000 }, (_, i) => `c=${i}`).join(';'));
      assert.deepEqual([...duplicate], [['c', '0']]);
    });
  });

  test('BAD_INPUTS: never throws, non-strings give an empty Map', () => {
    const expected: Record<string, ReadonlyArray<readonly [string, string]>> = {
      'lone low surrogate in a pair': [['a', '\uDC00']],
    };
    for (const [label, input] of BAD_INPUTS) {
      const result = parseCookie(untyped(input));
      assert.ok(result instanceof Map, label);
      assert.deepEqual([...result], expected[label] ?? [], label);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// isCookieValue
// ---------------------------------------------------------------------------------------------

describe('isCookieValue', () => {
  test('isCookieValue accepts cookie-octets (and the empty string) only', () => {
    for (const value of ['', 'abc', 'eyJ2IjoxfQ.aGVsbG8-_', COOKIE_OCTETS.join('')]) {
      assert.equal(isCookieValue(value), true, value);
    }
    for (const value of [' ', '"', ',', ';', '\\', 'é', '\u0000', '\u007f', '\t', '\r\n', '"x"', '\uDC00']) {
      assert.equal(isCookieValue(value), false, JSON.stringify(value));
    }
  });

  test('isCookieValue: every UTF-16 code unit, alone and inside a valid value, against RFC 6265 §4.1.1', () => {
    const isOctet = (code: number) =>
      code === 0x21 ||
      (code >= 0x23 && code <= 0x2b) ||
      (code >= 0x2d && code <= 0x3a) ||
      (code >= 0x3c && code <= 0x5b) ||
      (code >= 0x5d && code <= 0x7e);
    for (let code = 0; code <= 0xffff; code++) {
      const char = String.fromCharCode(code);
      assert.equal(isCookieValue(char), isOctet(code), `U+${code.toString(16)}`);
      assert.equal(isCookieValue(`ss1.abc${char}def`), isOctet(code), `U+${code.toString(16)} inside`);
    }
  });

  test('BAD_INPUTS: never throw, false for every non-string', () => {
    for (const [label, input] of BAD_INPUTS) {
      const isString = typeof input === 'string';
      assert.equal(isCookieValue(untyped(input)), isString && !/[\uD800-\uDFFF]/.test(input), label);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// serializeSetCookie: output
// ---------------------------------------------------------------------------------------------

describe('serializeSetCookie output', () => {
  test('name=value without attributes', () => {
    assert.equal(serializeSetCookie('a', 'b'), 'a=b');
    assert.equal(serializeSetCookie('a', 'b', {}), 'a=b');
    assert.equal(serializeSetCookie('a', ''), 'a=', 'empty value');
    assert.equal(
      serializeSetCookie(TCHARS.join(''), COOKIE_OCTETS.join('')),
      `${TCHARS.join('')}=${COOKIE_OCTETS.join('')}`,
    );
  });

  test('Max-Age, including 0 and negative (delete)', () => {
    assert.equal(serializeSetCookie('a', 'b', { maxAge: 3600 }), 'a=b; Max-Age=3600');
    assert.equal(serializeSetCookie('a', 'b', { maxAge: 0 }), 'a=b; Max-Age=0');
    assert.equal(serializeSetCookie('a', 'b', { maxAge: -0 }), 'a=b; Max-Age=0');
    assert.equal(serializeSetCookie('a', 'b', { maxAge: -1 }), 'a=b; Max-Age=-1');
    assert.equal(
      serializeSetCookie('a', 'b', { maxAge: Number.MAX_SAFE_INTEGER }),
      `a=b; Max-Age=${Number.MAX_SAFE_INTEGER}`,
    );
  });

  test('Expires as IMF-fixdate', () => {
    const expires = new Date(Date.UTC(2030, 0, 2, 3, 4, 5));
    assert.equal(serializeSetCookie('a', 'b', { expires }), 'a=b; Expires=Wed, 02 Jan 2030 03:04:05 GMT');
    assert.equal(serializeSetCookie('a', 'b', { expires: new Date(0) }), 'a=b; Expires=Thu, 01 Jan 1970 00:00:00 GMT');
    assert.equal(
      serializeSetCookie('a', 'b', { expires: new Date(Date.UTC(1601, 0, 1)) }),
      'a=b; Expires=Mon, 01 Jan 1601 00:00:00 GMT',
    );
  });

  test('Expires ignores an overridden toUTCString', () => {
    const expires = new Date(0);
    expires.toUTCString = () => 'x; Domain=evil.example';
    assert.equal(serializeSetCookie('a', 'b', { expires }), 'a=b; Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  });

  test('Domain', () => {
    for (const domain of [
      'example.com',
      '.example.com',
      'a-b.sub.example.co.uk',
      'localhost',
      '127.0.0.1',
      'xn--bcher-kva.example',
    ]) {
      assert.equal(serializeSetCookie('a', 'b', { domain }), `a=b; Domain=${domain}`);
    }
    const label = 'a'.repeat(63);
    const longest = `${label}.${label}.${label}.${'a'.repeat(61)}`;
    assert.equal(longest.length, 253);
    assert.equal(serializeSetCookie('a', 'b', { domain: longest }), `a=b; Domain=${longest}`);
  });

  test('Path', () => {
    for (const path of ['/', '/app', '/a/b/', '/a%20b', '/x y', '/~user/?q=1&r=2#f']) {
      assert.equal(serializeSetCookie('a', 'b', { path }), `a=b; Path=${path}`);
    }
    const longest = '/' + 'p'.repeat(1023);
    assert.equal(serializeSetCookie('a', 'b', { path: longest }), `a=b; Path=${longest}`);
  });

  test('Secure, HttpOnly, Partitioned flags; false omits them', () => {
    assert.equal(serializeSetCookie('a', 'b', { secure: true }), 'a=b; Secure');
    assert.equal(serializeSetCookie('a', 'b', { httpOnly: true }), 'a=b; HttpOnly');
    assert.equal(serializeSetCookie('a', 'b', { secure: true, partitioned: true }), 'a=b; Secure; Partitioned');
    assert.equal(serializeSetCookie('a', 'b', { secure: false, httpOnly: false, partitioned: false }), 'a=b');
  });

  test('SameSite values', () => {
    assert.equal(serializeSetCookie('a', 'b', { sameSite: 'strict' }), 'a=b; SameSite=Strict');
    assert.equal(serializeSetCookie('a', 'b', { sameSite: 'lax' }), 'a=b; SameSite=Lax');
    assert.equal(serializeSetCookie('a', 'b', { sameSite: 'none', secure: true }), 'a=b; Secure; SameSite=None');
  });

  test('all attributes, in the documented order', () => {
    const all: SetCookieAttributes = {
      partitioned: true,
      sameSite: 'none',
      httpOnly: true,
      secure: true,
      path: '/app',
      domain: 'example.com',
      expires: new Date(Date.UTC(2030, 0, 2, 3, 4, 5)),
      maxAge: 60,
    };
    assert.equal(
      serializeSetCookie('__Secure-sid', 'abc', all),
      '__Secure-sid=abc; Max-Age=60; Expires=Wed, 02 Jan 2030 03:04:05 GMT; Domain=example.com; Path=/app; ' +
        'Secure; HttpOnly; SameSite=None; Partitioned',
    );
  });

  test('undefined attributes are absent (exactOptionalPropertyTypes callers)', () => {
    const attributes: SetCookieAttributes = {
      maxAge: undefined,
      expires: undefined,
      domain: undefined,
      path: undefined,
      secure: undefined,
      httpOnly: undefined,
      sameSite: undefined,
      partitioned: undefined,
    };
    assert.equal(serializeSetCookie('a', 'b', attributes), 'a=b');
    assert.equal(serializeSetCookie('a', 'b', undefined), 'a=b');
  });

  test('frozen and null-prototype attribute objects are accepted', () => {
    assert.equal(serializeSetCookie('a', 'b', Object.freeze({ path: '/' })), 'a=b; Path=/');
    const bare = Object.assign(Object.create(null) as SetCookieAttributes, { httpOnly: true });
    assert.equal(serializeSetCookie('a', 'b', bare), 'a=b; HttpOnly');
  });

  test('inherited (polluted) properties are not read', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto['domain'] = 'evil.example';
    proto['sameSite'] = 'bogus';
    try {
      assert.equal(serializeSetCookie('a', 'b', { path: '/' }), 'a=b; Path=/');
    } finally {
      delete proto['domain'];
      delete proto['sameSite'];
    }
  });

  test('cookie name prefixes: valid uses pass', () => {
    assert.equal(serializeSetCookie('__Secure-a', 'b', { secure: true }), '__Secure-a=b; Secure');
    assert.equal(
      serializeSetCookie('__Secure-a', 'b', { secure: true, domain: 'example.com', path: '/x' }),
      '__Secure-a=b; Domain=example.com; Path=/x; Secure',
    );
    assert.equal(serializeSetCookie('__Host-a', 'b', { secure: true, path: '/' }), '__Host-a=b; Path=/; Secure');
    assert.equal(serializeSetCookie('__HOST-a', 'b', { secure: true, path: '/' }), '__HOST-a=b; Path=/; Secure');
    assert.equal(serializeSetCookie('__Http-a', 'b', { secure: true, httpOnly: true }), '__Http-a=b; Secure; HttpOnly');
    assert.equal(
      serializeSetCookie('__Host-Http-a', 'b', { secure: true, httpOnly: true, path: '/' }),
      '__Host-Http-a=b; Path=/; Secure; HttpOnly',
    );
  });

  test('near-prefixes are ordinary names', () => {
    for (const name of ['__Securex', '_Secure-a', '__Host', 'Host-a', '__Hostx-a', 'x__Host-a', '__Http']) {
      assert.equal(serializeSetCookie(name, 'b'), `${name}=b`);
    }
  });

  test('name and value of exactly 4096 octets together', () => {
    const value = 'v'.repeat(4095);
    assert.equal(serializeSetCookie('a', value), `a=${value}`);
  });

  test('the output parses back with parseCookie', () => {
    const header = serializeSetCookie('__Host-sid', 'eyJ2IjoxfQ.x-_', { secure: true, path: '/', httpOnly: true });
    assert.equal(parseCookie(header).get('__Host-sid'), 'eyJ2IjoxfQ.x-_');
  });
});

// ---------------------------------------------------------------------------------------------
// serializeSetCookie: errors
// ---------------------------------------------------------------------------------------------

describe('serializeSetCookie errors', () => {
  test('name: not a string', () => {
    assertThrows(() => serializeSetCookie(untyped(5), 'b'), TypeError, /^cookie name: expected a string, got 5$/);
    assertThrows(() => serializeSetCookie(untyped(null), 'b'), TypeError, /^cookie name: expected a string, got null$/);
    assertThrows(() => serializeSetCookie(untyped(new String('a')), 'b'), TypeError, /cookie name: .*got an object/);
  });

  test('name: empty', () => {
    assertThrows(
      () => serializeSetCookie('', 'b'),
      TypeError,
      /^cookie name: expected a non-empty RFC 6265 token, got ""$/,
    );
  });

  const badNames: ReadonlyArray<readonly [string, number]> = [
    ['a b', 1],
    ['a;b', 1],
    ['a=b', 1],
    ['a,b', 1],
    ['"a"', 0],
    ['(a)', 0],
    ['a/b', 1],
    ['a\tb', 1],
    ['a\r\nSet-Cookie: x=y', 1],
    ['a\u0000', 1],
    ['é', 0],
    ['a😀', 1],
    ['\uD800', 0],
  ];
  for (const [name, index] of badNames) {
    test(`name: ${JSON.stringify(name)} is not a token`, () => {
      assertThrows(
        () => serializeSetCookie(name, 'b'),
        TypeError,
        new RegExp(
          `^cookie name: expected an RFC 6265 token .*, got a string of length ${name.length} with a character not allowed at index ${index}$`,
        ),
      );
    });
  }

  test("name: the message gives the bad name's length and the index of the bad character, never the text (SECURITY.md)", () => {
    assertThrows(
      () => serializeSetCookie('a b', 'x'),
      TypeError,
      /got a string of length 3 with a character not allowed at index 1$/,
    );
  });

  test('value: not a string', () => {
    assertThrows(
      () => serializeSetCookie('a', untyped(undefined)),
      TypeError,
      /^cookie value: expected a string, got undefined$/,
    );
    assertThrows(() => serializeSetCookie('a', untyped(12)), TypeError, /^cookie value: expected a string, got 12$/);
  });

  const badValues: ReadonlyArray<readonly [string, number]> = [
    ['a;b', 1],
    ['a b', 1],
    ['"quoted"', 0],
    ['a,b', 1],
    ['a\\b', 1],
    ['é', 0],
    ['\u2028', 0],
    ['x\r\nSet-Cookie: admin=1', 1],
    ['\n', 0],
    ['\t', 0],
    ['\u0000', 0],
    ['\u007f', 0],
    ['ok\uDC00', 2],
  ];
  for (const [value, index] of badValues) {
    test(`value: ${JSON.stringify(value)} is not cookie-octets`, () => {
      assertThrows(
        () => serializeSetCookie('a', value),
        TypeError,
        new RegExp(
          `^cookie value: expected RFC 6265 cookie-octets .*, got a string of length ${value.length} with a character not allowed at index ${index}$`,
        ),
      );
    });
  }

  test('value: a long bad value is described by its length', () => {
    const value = 'x'.repeat(10_000) + ';';
    assertThrows(
      () => serializeSetCookie('a', value),
      TypeError,
      /got a string of length 10001 with a character not allowed at index 10000$/,
    );
    assertThrows(() => serializeSetCookie('a', ';' + 'x'.repeat(MB)), TypeError, /got a string of length 1048577 /);
  });

  test('name + value over 4096 octets', () => {
    assertThrows(
      () => serializeSetCookie('a', 'v'.repeat(4096)),
      RangeError,
      /^cookie name and value: expected at most 4096 octets together \(RFC 6265bis §5\.6\), got 4097$/,
    );
    assertThrows(() => serializeSetCookie('n'.repeat(MB), ''), RangeError, /got 1048576$/);
  });

  test('attributes: not a plain object', () => {
    for (const [input, got] of [
      [null, 'null'],
      ['secure', 'a string of length 6'],
      [1, '1'],
      [['secure'], 'an array'],
      [new Map([['secure', true]]), 'an object'],
      [new Date(0), 'an object'],
    ] as const) {
      assertThrows(
        () => serializeSetCookie('a', 'b', untyped(input)),
        TypeError,
        new RegExp(`^cookie attributes: expected a plain object, got ${got.replace(/[[\]]/g, '\\$&')}$`),
      );
    }
  });

  test('attributes: unknown keys (typos) are rejected', () => {
    assertThrows(
      () => serializeSetCookie('a', 'b', untyped({ httponly: true })),
      TypeError,
      /^cookie attributes: expected only the keys maxAge, .*, got a string of length 8$/,
    );
    assertThrows(() => serializeSetCookie('a', 'b', untyped({ 'max-age': 1 })), TypeError, /got a string of length 7$/);
  });

  test('maxAge: not a number', () => {
    assertThrows(
      () => serializeSetCookie('a', 'b', untyped({ maxAge: '60' })),
      TypeError,
      /^maxAge: expected a number of seconds, got a string of length 2$/,
    );
    assertThrows(() => serializeSetCookie('a', 'b', untyped({ maxAge: 60n })), TypeError, /got 60n$/);
    assertThrows(() => serializeSetCookie('a', 'b', untyped({ maxAge: null })), TypeError, /got null$/);
  });

  test('maxAge: not a safe integer', () => {
    for (const [maxAge, got] of [
      [1.5, '1.5'],
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
      [Number.NEGATIVE_INFINITY, '-Infinity'],
      [2 ** 53, '9007199254740992'],
      [1e21, '1e\\+21'],
    ] as const) {
      assertThrows(
        () => serializeSetCookie('a', 'b', { maxAge }),
        RangeError,
        new RegExp(`^maxAge: expected a safe integer number of seconds, got ${got}$`),
      );
    }
  });

  test('expires: not a Date', () => {
    assertThrows(
      () => serializeSetCookie('a', 'b', untyped({ expires: 'tomorrow' })),
      TypeError,
      /^expires: expected a Date, got a string of length 8$/,
    );
    assertThrows(
      () => serializeSetCookie('a', 'b', untyped({ expires: Date.now() })),
      TypeError,
      /^expires: expected a Date, got \d+$/,
    );
    assertThrows(
      () => serializeSetCookie('a', 'b', untyped({ expires: Object.create(Date.prototype) })),
      TypeError,
      /got an object$/,
    );
  });

  test('expires: invalid Date', () => {
    assertThrows(
      () => serializeSetCookie('a', 'b', { expires: new Date('nope') }),
      RangeError,
      /^expires: expected a valid Date, got Invalid Date$/,
    );
  });

  test('expires: year outside 1601–9999', () => {
    assertThrows(
      () => serializeSetCookie('a', 'b', { expires: new Date(Date.UTC(1600, 11, 31, 23, 59, 59)) }),
      RangeError,
      /^expires: expected a Date in the years 1601 to 9999 .*, got 1600-12-31T23:59:59\.000Z$/,
    );
    assertThrows(
      () => serializeSetCookie('a', 'b', { expires: new Date(Date.UTC(10000, 0, 1)) }),
      RangeError,
      /got \+010000-01-01T00:00:00\.000Z$/,
    );
  });

  const badDomains: ReadonlyArray<readonly [unknown, typeof TypeError | typeof RangeError, RegExp]> = [
    ['', TypeError, /^domain: expected a host name .*, got ""$/],
    ['.', TypeError, /got a string of length 1$/],
    ['..example.com', TypeError, /got a string of length 13$/],
    ['a..b', TypeError, /got a string of length 4$/],
    ['example.com.', TypeError, /got a string of length 12$/],
    ['exa mple.com', TypeError, /got a string of length 12$/],
    ['a_b.example', TypeError, /got a string of length 11$/],
    ['bücher.example', TypeError, /got a string of length 14$/],
    ['example.com; Secure', TypeError, /got a string of length 19$/],
    ['example.com\r\nX: y', TypeError, /got a string of length 17$/],
    ['[::1]', TypeError, /got a string of length 5$/],
    [
      `${'a'.repeat(64)}.com`,
      RangeError,
      /^domain: expected labels of at most 63 characters, got a string of length 64$/,
    ],
    [`${'a.'.repeat(126)}ab`, RangeError, /^domain: expected a host name of at most 253 characters, got /],
    ['d'.repeat(MB), RangeError, /got a string of length 1048576$/],
    [42, TypeError, /^domain: expected a string, got 42$/],
  ];
  for (const [domain, type, message] of badDomains) {
    test(`domain: ${describeInput(domain)} is refused with ${type.name}`, () => {
      assertThrows(() => serializeSetCookie('a', 'b', untyped({ domain })), type, message);
    });
  }

  const badPaths: ReadonlyArray<readonly [unknown, typeof TypeError | typeof RangeError, RegExp]> = [
    ['', TypeError, /^path: expected a string starting with "\/", got ""$/],
    ['app', TypeError, /^path: expected a string starting with "\/", got a string of length 3$/],
    [
      '/a;b',
      TypeError,
      /^path: expected printable US-ASCII without ";" .*, got a string of length 4 with a character not allowed at index 2$/,
    ],
    ['/a\r\nb', TypeError, /length 5 with a character not allowed at index 2$/],
    ['/a\u0000', TypeError, /length 3 with a character not allowed at index 2$/],
    ['/a\tb', TypeError, /length 4 with a character not allowed at index 2$/],
    ['/\u007f', TypeError, /length 2 with a character not allowed at index 1$/],
    ['/é', TypeError, /length 2 with a character not allowed at index 1$/],
    ['/' + 'p'.repeat(1024), RangeError, /^path: expected at most 1024 characters \(RFC 6265bis §5\.6\), got 1025$/],
    [false, TypeError, /^path: expected a string, got false$/],
  ];
  for (const [path, type, message] of badPaths) {
    test(`path: ${describeInput(path)} is refused with ${type.name}`, () => {
      assertThrows(() => serializeSetCookie('a', 'b', untyped({ path })), type, message);
    });
  }

  test('flags: not booleans', () => {
    assertThrows(
      () => serializeSetCookie('a', 'b', untyped({ secure: 'yes' })),
      TypeError,
      /^secure: expected a boolean, got a string of length 3$/,
    );
    assertThrows(
      () => serializeSetCookie('a', 'b', untyped({ httpOnly: 1 })),
      TypeError,
      /^httpOnly: expected a boolean, got 1$/,
    );
    assertThrows(
      () => serializeSetCookie('a', 'b', untyped({ partitioned: 'true' })),
      TypeError,
      /^partitioned: expected a boolean, got a string of length 4$/,
    );
    assertThrows(
      () => serializeSetCookie('a', 'b', untyped({ secure: null })),
      TypeError,
      /^secure: expected a boolean, got null$/,
    );
  });

  test('sameSite: not one of the three lower-case strings', () => {
    for (const [sameSite, got] of [
      ['Strict', 'a string of length 6'],
      ['LAX', 'a string of length 3'],
      ['', '""'],
      [true, 'true'],
      [null, 'null'],
    ] as const) {
      assertThrows(
        () => serializeSetCookie('a', 'b', untyped({ sameSite })),
        TypeError,
        new RegExp(`^sameSite: expected "strict", "lax" or "none", got ${got}$`),
      );
    }
  });

  test('SameSite=None requires Secure (RFC 6265bis)', () => {
    assertThrows(
      () => serializeSetCookie('a', 'b', { sameSite: 'none' }),
      TypeError,
      /^sameSite "none": expected secure: true .*, got secure: undefined$/,
    );
    assertThrows(
      () => serializeSetCookie('a', 'b', { sameSite: 'none', secure: false }),
      TypeError,
      /got secure: false$/,
    );
  });

  test('Partitioned requires Secure (CHIPS)', () => {
    assertThrows(
      () => serializeSetCookie('a', 'b', { partitioned: true }),
      TypeError,
      /^partitioned: expected secure: true \(CHIPS\), got secure: undefined$/,
    );
    assertThrows(
      () => serializeSetCookie('a', 'b', { partitioned: true, secure: false }),
      TypeError,
      /got secure: false$/,
    );
  });

  test('__Secure- requires Secure, matched case-insensitively', () => {
    for (const name of ['__Secure-a', '__secure-a', '__SECURE-a', '__sEcUrE-']) {
      assertThrows(
        () => serializeSetCookie(name, 'b', { httpOnly: true, path: '/' }),
        TypeError,
        new RegExp(
          `^cookie name with the __Secure- prefix \\(RFC 6265bis §4\\.1\\.3\\): expected secure: true, got secure: undefined$`,
        ),
      );
    }
  });

  test('__Host- requires Secure', () => {
    for (const name of ['__Host-a', '__host-a', '__HOST-a']) {
      assertThrows(
        () => serializeSetCookie(name, 'b', { path: '/', secure: false }),
        TypeError,
        new RegExp(`^cookie name with the __Host- prefix .*: expected secure: true, got secure: false$`),
      );
    }
  });

  test('__Host- requires Path=/ exactly', () => {
    assertThrows(
      () => serializeSetCookie('__Host-a', 'b', { secure: true }),
      TypeError,
      /with the __Host- prefix .*: expected path: "\/", got path: undefined$/,
    );
    assertThrows(
      () => serializeSetCookie('__host-a', 'b', { secure: true, path: '/app' }),
      TypeError,
      /expected path: "\/", got path: a string of length 4$/,
    );
    assertThrows(
      () => serializeSetCookie('__Host-a', 'b', { secure: true, path: '//' }),
      TypeError,
      /got path: a string of length 2$/,
    );
  });

  test('__Host- forbids Domain', () => {
    assertThrows(
      () => serializeSetCookie('__HoSt-a', 'b', { secure: true, path: '/', domain: 'example.com' }),
      TypeError,
      /^cookie name with the __Host- prefix .*: expected no domain, got domain: a string of length 11$/,
    );
  });

  test('__Http- and __Host-Http- require HttpOnly (and Secure)', () => {
    assertThrows(
      () => serializeSetCookie('__Http-a', 'b', { secure: true }),
      TypeError,
      /with the __Http- prefix .*: expected httpOnly: true, got httpOnly: undefined$/,
    );
    assertThrows(
      () => serializeSetCookie('__http-a', 'b', { httpOnly: true }),
      TypeError,
      /with the __Http- prefix .*: expected secure: true, got secure: undefined$/,
    );
    assertThrows(
      () => serializeSetCookie('__Host-Http-a', 'b', { secure: true, path: '/', httpOnly: false }),
      TypeError,
      /with the __Host-Http- prefix .*: expected httpOnly: true, got httpOnly: false$/,
    );
  });

  test('BAD_INPUTS as name, value and attributes', () => {
    for (const [label, input] of BAD_INPUTS) {
      const isString = typeof input === 'string';
      // name
      if (
        label === 'lone low surrogate in a pair' ||
        label === 'lone high surrogate' ||
        label === 'empty string' ||
        !isString
      ) {
        assertThrows(() => serializeSetCookie(untyped(input), 'v'), TypeError, /^cookie name: /);
      } else if (label === '1 MB string') {
        assertThrows(() => serializeSetCookie(untyped(input), 'v'), RangeError, /^cookie name and value: /);
      } else {
        assert.fail(`unexpected catalogue entry ${label}`);
      }
      // value
      if (label === 'empty string') {
        assert.equal(serializeSetCookie('a', untyped(input)), 'a=');
      } else if (label === '1 MB string') {
        assertThrows(() => serializeSetCookie('a', untyped(input)), RangeError, /^cookie name and value: /);
      } else {
        assertThrows(() => serializeSetCookie('a', untyped(input)), TypeError, /^cookie value: /);
      }
      // attributes object
      if (
        input === undefined ||
        label === 'empty object' ||
        label === 'null-prototype object' ||
        label === 'Map look-alike'
      ) {
        // A plain object whose keys are all unknown is refused; the empty ones are accepted.
        if (label === 'Map look-alike') {
          assertThrows(
            () => serializeSetCookie('a', 'b', untyped(input)),
            TypeError,
            /^cookie attributes: expected only the keys/,
          );
        } else {
          assert.equal(serializeSetCookie('a', 'b', untyped(input)), 'a=b');
        }
      } else {
        assertThrows(
          () => serializeSetCookie('a', 'b', untyped(input)),
          TypeError,
          /^cookie attributes: expected a plain object/,
        );
      }
    }
  });

  test('BAD_INPUTS as each attribute value', () => {
    const keys = ['maxAge', 'expires', 'domain', 'path', 'secure', 'httpOnly', 'sameSite', 'partitioned'] as const;
    const flags = new Set(['secure', 'httpOnly', 'partitioned']);
    for (const key of keys) {
      for (const [label, input] of BAD_INPUTS) {
        const acceptable =
          input === undefined ||
          (key === 'maxAge' && Number.isSafeInteger(input)) ||
          (key === 'expires' && label === 'Date') ||
          (flags.has(key) && typeof input === 'boolean');
        // secure: true keeps the cross-attribute rules out of the way unless secure is the key.
        const attributes = untyped({ secure: true, [key]: input });
        if (acceptable) {
          assert.equal(typeof serializeSetCookie('a', 'b', attributes), 'string', `${key}: ${label}`);
        } else {
          assert.throws(
            () => serializeSetCookie('a', 'b', attributes),
            (error: unknown) =>
              (error instanceof TypeError || error instanceof RangeError) &&
              error.message.startsWith(`${key}: expected `),
            `${key}: ${label}`,
          );
        }
      }
    }
  });
});

/** A printable-ASCII test title for an input. */
function describeInput(value: unknown): string {
  if (typeof value !== 'string') return String(value);
  const quoted = (text: string) =>
    JSON.stringify(text).replace(/[^\x20-\x7E]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return value.length > 30 ? `${quoted(value.slice(0, 30))}… (${value.length})` : quoted(value);
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const tokenArb = fc.string({ unit: fc.constantFrom(...TCHARS), minLength: 1, maxLength: 24 });
const cookieValueArb = fc.string({ unit: fc.constantFrom(...COOKIE_OCTETS), maxLength: 64 });
/** Mostly cookie-octets, with the characters that matter for injection mixed in. */
const mixedArb = fc.string({
  unit: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...COOKIE_OCTETS) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        ';',
        '=',
        ' ',
        '\t',
        '\r',
        '\n',
        '"',
        ',',
        '\\',
        '\u0000',
        '\u007f',
        'é',
        '\uD800',
        '😀',
      ),
    },
  ),
  maxLength: 40,
});
/** Attributes that satisfy every prefix rule, so any generated name is acceptable. */
const PREFIX_SAFE: SetCookieAttributes = Object.freeze({ secure: true, httpOnly: true, path: '/' });

describe('properties', () => {
  test('serialize → parse round-trips name and value', () => {
    fc.assert(
      fc.property(tokenArb, cookieValueArb, (name, value) => {
        const header = serializeSetCookie(name, value, PREFIX_SAFE);
        const pair = header.split(';')[0] ?? '';
        assert.equal(pair, `${name}=${value}`);
        const cookies = parseCookie(pair);
        assert.deepEqual([...cookies], [[name, value]]);
      }),
      { numRuns: 500 },
    );
  });

  test('a joined header parses to the first occurrence of each name', () => {
    const nameArb = fc.oneof(tokenArb, fc.constantFrom('a', 'b', 'sid'));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(nameArb, cookieValueArb), { maxLength: 20 }),
        fc.constantFrom('; ', ';', ' ;\t'),
        (pairs, separator) => {
          const expected = new Map<string, string>();
          for (const [name, value] of pairs) if (!expected.has(name)) expected.set(name, value);
          const header = pairs.map(([name, value]) => `${name}=${value}`).join(separator);
          assert.deepEqual([...parseCookie(header)], [...expected]);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('quoted values parse to the unquoted value', () => {
    fc.assert(
      fc.property(tokenArb, cookieValueArb, (name, value) => {
        assert.equal(parseCookie(`${name}="${value}"`).get(name), value);
      }),
    );
  });

  /** What every parse result must satisfy, whatever the input. */
  function assertWellFormed(result: Map<string, string>): void {
    assert.ok(result instanceof Map);
    for (const [name, value] of result) {
      assert.ok(name.length > 0, 'empty name');
      assert.ok(!name.includes(';') && !name.includes('='), `name ${JSON.stringify(name)}`);
      assert.ok(!/^[ \t]|[ \t]$/.test(name), `untrimmed name ${JSON.stringify(name)}`);
      assert.ok(!value.includes(';'), `value ${JSON.stringify(value)}`);
    }
  }

  test('parseCookie never throws and stays well-formed: fc.string()', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (header) => assertWellFormed(parseCookie(header))),
      { numRuns: 1000 },
    );
  });

  test("parseCookie never throws and stays well-formed: fc.string({ unit: 'binary' })", () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (header) => assertWellFormed(parseCookie(header))),
      {
        numRuns: 1000,
      },
    );
  });

  test('parseCookie never throws and stays well-formed: strings joined by ";" and "="', () => {
    const partArb = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('', ' ', '"', '\t', 'a', '""'));
    fc.assert(
      fc.property(fc.array(fc.tuple(partArb, fc.constantFrom(';', '=', '; ', ' = ')), { maxLength: 40 }), (parts) => {
        assertWellFormed(parseCookie(parts.map(([part, separator]) => part + separator).join('')));
      }),
      { numRuns: 1000 },
    );
  });

  test('parseCookie never throws on anything at all', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const result = parseCookie(untyped(input));
        assertWellFormed(result);
        if (typeof input !== 'string') assert.equal(result.size, 0);
      }),
      { numRuns: 500 },
    );
  });

  test('serializeSetCookie: a safe string, or TypeError/RangeError, for arbitrary name and value', () => {
    const stringArb = fc.oneof(mixedArb, tokenArb, fc.string({ unit: 'binary', maxLength: 40 }));
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(stringArb, stringArb, (name, value) => {
        let header: string;
        try {
          header = serializeSetCookie(name, value);
        } catch (error) {
          assert.ok(error instanceof TypeError || error instanceof RangeError, `unexpected ${String(error)}`);
          assert.ok(!isToken(name) || !isCookieValue(value) || /^__(secure|host|http)-/i.test(name));
          refused++;
          return;
        }
        accepted++;
        assert.equal(header, `${name}=${value}`);
        assert.ok(!/[\r\n;\u0000]/.test(header), 'no header or attribute injection');
        assert.ok(isToken(name) && isCookieValue(value));
      }),
      { numRuns: 1000 },
    );
    assert.ok(accepted > 0 && refused > 0, `both branches exercised (accepted ${accepted}, refused ${refused})`);
  });

  test('serializeSetCookie: arbitrary attributes give a string or TypeError/RangeError', () => {
    const valueArb = fc.oneof(
      fc.anything(),
      fc.integer(),
      fc.boolean(),
      fc.date(),
      fc.constantFrom('/', 'example.com', 'strict', 'lax', 'none'),
    );
    const attributesArb = fc.record(
      {
        maxAge: valueArb,
        expires: valueArb,
        domain: valueArb,
        path: valueArb,
        secure: valueArb,
        httpOnly: valueArb,
        sameSite: valueArb,
        partitioned: valueArb,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.oneof(tokenArb, fc.constantFrom('__Host-a', '__Secure-a', '__Http-a')),
        attributesArb,
        (name, attributes) => {
          try {
            const header = serializeSetCookie(name, 'v', untyped(attributes));
            assert.ok(header.startsWith(`${name}=v`));
            assert.ok(!/[\r\n\u0000]/.test(header), 'no CR/LF/NUL anywhere');
          } catch (error) {
            assert.ok(error instanceof TypeError || error instanceof RangeError, `unexpected ${String(error)}`);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
