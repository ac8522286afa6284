import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  boundData,
  contextBytes,
  encodeToken,
  Kind,
  MAX_TOKEN_LENGTH,
  parseToken,
  writeHeader,
} from '../../src/format/token.js';
import { nodeRuntime } from '../../src/crypto/node.js';
import { toHex } from '../helpers.js';

const codec = nodeRuntime;
function body(header: number[], restLength: number): string {
  return encodeToken(codec, new Uint8Array([...header, ...new Array(restLength).fill(0)]));
}
const GOOD_HEADER = [1, 1, 1, 0x41, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2];

test('the header layout: version, kind, id length, id, issuedAt and expiresAt as 5-byte big-endian seconds', () => {
  const out = new Uint8Array(40);
  const end = writeHeader(out, { kind: Kind.Sealed, keyId: 'k1', issuedAt: 0x0102030405, expiresAt: 0 });
  assert.equal(end, 15);
  assert.equal(toHex(out.subarray(0, end)), '01' + '01' + '02' + '6b31' + '0102030405' + '0000000000');
  const parsed = parseToken(
    codec,
    encodeToken(codec, new Uint8Array([...out.subarray(0, end), ...new Uint8Array(40)])),
  );
  assert.ok(typeof parsed === 'object');
  assert.deepEqual(
    {
      kind: parsed.kind,
      keyId: parsed.keyId,
      issuedAt: parsed.issuedAt,
      expiresAt: parsed.expiresAt,
      header: parsed.header.length,
      rest: parsed.rest.length,
    },
    { kind: 1, keyId: 'k1', issuedAt: 0x0102030405, expiresAt: 0, header: 15, rest: 40 },
  );
});

test('5-byte times round-trip up to 2^40 - 1', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2 ** 40 - 1 }),
      fc.integer({ min: 0, max: 2 ** 40 - 1 }),
      (issuedAt, expiresAt) => {
        const out = new Uint8Array(14 + 32);
        writeHeader(out, { kind: Kind.Signed, keyId: 'a', issuedAt, expiresAt });
        const parsed = parseToken(codec, encodeToken(codec, out));
        assert.ok(typeof parsed === 'object' && parsed.issuedAt === issuedAt && parsed.expiresAt === expiresAt);
      },
    ),
  );
});

test('malformed headers are rejected before any cryptography', () => {
  const cases: Array<[string, string]> = [
    ['version 2 inside a v1 prefix', body([2, ...GOOD_HEADER.slice(1)], 40)],
    ['unknown kind', body([1, 3, ...GOOD_HEADER.slice(2)], 40)],
    ['key id length 0', body([1, 1, 0, ...GOOD_HEADER.slice(4)], 40)],
    ['key id length 17', body([1, 1, 17, ...new Array(17).fill(0x41), ...GOOD_HEADER.slice(4)], 40)],
    ['key id byte outside the alphabet', body([1, 1, 1, 0x2e, ...GOOD_HEADER.slice(4)], 40)],
    ['sealed body shorter than nonce + tag', body(GOOD_HEADER, 39)],
    ['signed body shorter than the HMAC', body([1, 2, ...GOOD_HEADER.slice(2)], 31)],
    ['too short for a header', body([1, 1], 0)],
    ['too long', 'ss1.' + 'A'.repeat(MAX_TOKEN_LENGTH)],
    ['not a string', 42 as unknown as string],
  ];
  for (const [label, token] of cases) assert.equal(parseToken(codec, token), 'malformed', label);
  assert.equal(typeof parseToken(codec, body(GOOD_HEADER, 40)), 'object');
  assert.equal(typeof parseToken(codec, body([1, 2, ...GOOD_HEADER.slice(2)], 32)), 'object');
});

test('other versions of the prefix are unsupported-version; look-alikes are malformed', () => {
  for (const token of ['ss2.AAAA', 'ss10.', 'ss0.x', 'ss1234567890.'])
    assert.equal(parseToken(codec, token), 'unsupported-version', token);
  for (const token of ['ss.AAAA', 'ssx.AAAA', 's1.AAAA', 'SS1.AAAA', 'ss1', 'ss12345678901234.x', ''])
    assert.equal(parseToken(codec, token), 'malformed', token);
});

test('bound data: header, a varint context length, the context', () => {
  const header = new Uint8Array([9, 9]);
  assert.equal(toHex(boundData(header, contextBytes('sid'))), '0909' + '03' + '736964');
  assert.equal(toHex(boundData(header, contextBytes(''))), '0909' + '00');
  const long = contextBytes('x'.repeat(200));
  assert.equal(toHex(boundData(header, long).subarray(0, 4)), '0909' + 'c801');
});
