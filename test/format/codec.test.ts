import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assertStringMap, decodeMap, encodeMap } from '../../src/format/codec.js';
import { BAD_INPUTS, sessionMap, toHex } from '../helpers.js';

test('round-trips arbitrary maps of well-formed strings, order included', () => {
  fc.assert(
    fc.property(sessionMap(12), (data) => {
      const decoded = decodeMap(encodeMap(data));
      assert.deepEqual(decoded === null ? null : [...decoded], [...data]);
    }),
    { numRuns: 500 },
  );
});

test('round-trips the edge cases: empty map, empty strings, NUL, astral, long strings', () => {
  const cases = [
    new Map(),
    new Map([['', '']]),
    new Map([['\u0000', 'a\u0000b']]),
    new Map([['😀', '\u{10FFFF}𝄞']]),
    new Map([
      ['k', 'x'.repeat(200)],
      ['é'.repeat(100), '€'.repeat(5000)],
    ]),
  ];
  for (const data of cases) assert.deepEqual([...decodeMap(encodeMap(data))!], [...data]);
});

test('the layout is varint(length) bytes, key then value, no count', () => {
  assert.equal(toHex(encodeMap(new Map([['a', 'bc']]))), '0161' + '026263');
  assert.equal(toHex(encodeMap(new Map())), '');
  // 200 bytes need a two-byte varint: 0xc8 0x01.
  assert.equal(toHex(encodeMap(new Map([['k', 'x'.repeat(200)]]))).slice(0, 8), '016bc801');
});

test('decodes strictly: truncation, overlong varints, bad UTF-8, duplicates, leftovers', () => {
  const reject = (label: string, bytes: number[]) => assert.equal(decodeMap(new Uint8Array(bytes)), null, label);
  reject('key without value', [0x01, 0x61]);
  reject('length beyond the end', [0x05, 0x61]);
  reject('varint cut short', [0x80]);
  reject('overlong varint (1 as 0x81 0x00)', [0x81, 0x00, 0x61, 0x00]);
  reject('varint longer than 3 bytes', [0x80, 0x80, 0x80, 0x01]);
  reject('invalid UTF-8 (lone continuation byte)', [0x01, 0x80, 0x00]);
  reject('invalid UTF-8 (encoded surrogate)', [0x03, 0xed, 0xa0, 0x80, 0x00]);
  reject('overlong UTF-8 for "/"', [0x02, 0xc0, 0xaf, 0x00]);
  reject('duplicate key', [0x01, 0x61, 0x00, 0x01, 0x61, 0x00]);
  assert.deepEqual([...decodeMap(new Uint8Array([0x01, 0x61, 0x00]))!], [['a', '']]);
});

test('decodes into a given map through Map.prototype, whatever its subclass overrides', () => {
  const calls: string[] = [];
  class Watched extends Map<string, string> {
    override set(key: string, value: string): this {
      calls.push(key);
      return super.set(key, value);
    }
  }
  const into = new Watched();
  const data = new Map([
    ['a', '1'],
    ['b', '2'],
  ]);
  assert.equal(decodeMap(encodeMap(data), into), into);
  assert.deepEqual([...into], [...data]);
  assert.deepEqual(calls, [], 'the override is never called');
  const duplicate = new Watched();
  assert.equal(
    decodeMap(new Uint8Array([0x01, 0x61, 0x00, 0x01, 0x61, 0x00]), duplicate),
    null,
    'a duplicate is still refused',
  );
});

test('decodeMap never throws on arbitrary bytes, and what it accepts re-encodes to the same bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const decoded = decodeMap(bytes);
      if (decoded !== null) assert.deepEqual(encodeMap(decoded), bytes);
    }),
    { numRuns: 2000 },
  );
});

/** A valid encoding, then nothing or one small change: most changes are refused, some are not. */
const mutatedEncoding = fc
  .tuple(
    sessionMap(6),
    fc.oneof(
      fc.constant({ kind: 'none' as const }),
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    ),
  )
  .map(([data, change]) => {
    const bytes = [...encodeMap(data)];
    const at = bytes.length === 0 ? 0 : change.kind === 'none' ? 0 : change.at % bytes.length;
    if (change.kind === 'flip' && bytes.length > 0) bytes[at] = bytes[at]! ^ (1 << change.bit);
    if (change.kind === 'insert') bytes.splice(at, 0, change.byte);
    if (change.kind === 'delete') bytes.splice(at, 1);
    if (change.kind === 'truncate') bytes.length = at;
    return new Uint8Array(bytes);
  });

test('one encoding per map: a mutated valid encoding is refused, or is the encoding of what it decodes to', () => {
  let accepted = 0;
  let refused = 0;
  fc.assert(
    fc.property(mutatedEncoding, (bytes) => {
      const decoded = decodeMap(bytes);
      if (decoded === null) refused++;
      else {
        accepted++;
        assert.deepEqual(encodeMap(decoded), bytes);
      }
    }),
    // A fixed seed: the counts below are then the same on every run.
    { numRuns: 2000, seed: 20261201 },
  );
  // Both halves of the property ran: otherwise it would prove nothing about the accepted side.
  assert.ok(accepted > 100 && refused > 100, `accepted ${accepted}, refused ${refused}`);
});

test('assertStringMap accepts Maps (also from other realms) and names what is wrong', async () => {
  assertStringMap(new Map([['a', 'b']]));
  const { runInNewContext } = await import('node:vm');
  assertStringMap(runInNewContext('new Map([["a", "b"]])'));
  for (const [label, value] of BAD_INPUTS) {
    assert.throws(
      () => assertStringMap(value),
      { name: 'TypeError', message: /data: expected a Map<string, string>, got/ },
      label,
    );
  }
  assert.throws(() => assertStringMap(new Map([[1, 'b']])), {
    name: 'TypeError',
    message: /expected string keys, got a key of type number 1/,
  });
  assert.throws(() => assertStringMap(new Map([['a', 2]])), {
    name: 'TypeError',
    message: /expected string values, got number 2 for a key of length 1$/,
  });
  assert.throws(() => assertStringMap(new Map([['a\uD800', 'b']])), {
    name: 'TypeError',
    message: /well-formed Unicode keys/,
  });
  assert.throws(() => assertStringMap(new Map([['a', '\uDC00']])), {
    name: 'TypeError',
    message: /well-formed Unicode values/,
  });
});
