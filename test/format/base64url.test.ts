import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { base64urlLength, decodeBase64url, encodeBase64url } from '../../src/format/base64url.js';
import { nodeRuntime } from '../../src/crypto/node.js';

const codecs = [
  ['portable', { encode: encodeBase64url, decode: decodeBase64url }],
  ['node', { encode: nodeRuntime.encodeBase64url, decode: nodeRuntime.decodeBase64url }],
] as const;

for (const [name, codec] of codecs) {
  describe(`base64url (${name})`, () => {
    test('encodes like RFC 4648 §5 without padding', () => {
      assert.equal(codec.encode(new Uint8Array([])), '');
      assert.equal(codec.encode(new Uint8Array([0xfb])), '-w');
      assert.equal(codec.encode(new Uint8Array([0xfb, 0xff])), '-_8');
      assert.equal(codec.encode(new Uint8Array([0xfb, 0xff, 0xbf])), '-_-_');
      assert.equal(codec.encode(new TextEncoder().encode('foobar')), 'Zm9vYmFy');
    });

    test('round-trips arbitrary bytes and agrees with Buffer', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
          const text = codec.encode(bytes);
          assert.equal(text, Buffer.from(bytes).toString('base64url'));
          assert.equal(text.length, base64urlLength(bytes.length));
          assert.deepEqual(codec.decode(text), new Uint8Array(bytes));
        }),
      );
    });

    test('rejects padding, foreign characters and impossible lengths', () => {
      for (const text of [
        'Zg==',
        'Zg=',
        'Zm9v+mFy',
        'Zm9v/mFy',
        'Zm9v YmFy',
        'Zm9vYmF\n',
        'Zm9vYmFé',
        'A',
        'AAAAA',
        'Zm9vYmFy=',
      ]) {
        assert.equal(codec.decode(text), null, text);
      }
    });

    test('rejects non-canonical trailing bits (one spelling per byte string)', () => {
      assert.deepEqual([...codec.decode('Zg')!], [0x66]);
      assert.equal(codec.decode('Zh'), null); // 'h' sets bits that 'g' leaves zero
      assert.deepEqual([...codec.decode('Zm8')!], [0x66, 0x6f]);
      assert.equal(codec.decode('Zm9'), null);
    });

    test('accepts exactly the canonical spelling of every decodable string', () => {
      fc.assert(
        fc.property(
          fc.string({
            unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ .'.split('')),
            maxLength: 40,
          }),
          (text) => {
            const bytes = codec.decode(text);
            if (bytes !== null) assert.equal(codec.encode(bytes), text);
          },
        ),
      );
    });
  });
}

test('both codecs give the same answer for arbitrary text', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (text) => {
      assert.deepEqual(
        nodeRuntime.decodeBase64url(text) === null ? null : [...nodeRuntime.decodeBase64url(text)!],
        decodeBase64url(text) === null ? null : [...decodeBase64url(text)!],
      );
    }),
  );
});

test('large inputs encode in one piece', () => {
  const bytes = new Uint8Array(20000).map((_, i) => i * 31);
  assert.equal(encodeBase64url(bytes), Buffer.from(bytes).toString('base64url'));
});
