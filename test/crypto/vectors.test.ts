/**
 * Project Wycheproof vectors (test/vectors/wycheproof, Apache-2.0) against every
 * primitive the Node runtime composes: AES-256-GCM, HMAC-SHA256, and the HKDF
 * built from that HMAC. test/crypto/web-vectors.test.ts runs them on WebCrypto.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hkdfSync } from 'node:crypto';
import fc from 'fast-check';
import { nodeRuntime } from '../../src/crypto/node.js';
import { hkdf } from './helpers.js';
import { hex, toHex } from '../helpers.js';

interface Group<T> {
  keySize: number;
  ivSize?: number;
  tagSize?: number;
  tests: T[];
}
const load = <T>(name: string): Group<T>[] =>
  JSON.parse(readFileSync(new URL(`../vectors/wycheproof/${name}`, import.meta.url), 'utf8')).testGroups;

interface AeadCase {
  tcId: number;
  key: string;
  iv: string;
  aad: string;
  msg: string;
  ct: string;
  tag: string;
  result: string;
}
test('Wycheproof AES-256-GCM (96-bit IV, 128-bit tag) on node:crypto', () => {
  let count = 0;
  for (const group of load<AeadCase>('aes_gcm_test.json')) {
    if (group.keySize !== 256 || group.ivSize !== 96 || group.tagSize !== 128) continue;
    for (const c of group.tests) {
      const sealed = hex(c.ct + c.tag);
      const key = nodeRuntime.importAesGcmKey(hex(c.key));
      const opened = nodeRuntime.aesGcmDecrypt(key, hex(c.iv), sealed, hex(c.aad));
      if (c.result === 'invalid') {
        assert.equal(opened, null, `tcId ${c.tcId}`);
      } else {
        assert.equal(opened && toHex(opened), c.msg, `tcId ${c.tcId}`);
        assert.equal(
          toHex(nodeRuntime.aesGcmEncrypt(key, hex(c.iv), hex(c.msg), hex(c.aad))),
          c.ct + c.tag,
          `tcId ${c.tcId}`,
        );
      }
      count++;
    }
  }
  assert.ok(count > 50, `ran ${count} cases`);
});

interface MacCase {
  tcId: number;
  key: string;
  msg: string;
  tag: string;
  result: string;
}
test('Wycheproof HMAC-SHA256 on node:crypto (full tags through hmacVerify, truncated by prefix)', () => {
  let count = 0;
  for (const group of load<MacCase>('hmac_sha256_test.json')) {
    for (const c of group.tests) {
      const key = nodeRuntime.importHmacKey(hex(c.key));
      const mac = nodeRuntime.hmac(key, hex(c.msg));
      const tagBytes = group.tagSize! / 8;
      const matches = toHex(mac.subarray(0, tagBytes)) === c.tag;
      assert.equal(matches, c.result === 'valid', `tcId ${c.tcId}`);
      if (tagBytes === 32)
        assert.equal(nodeRuntime.hmacVerify(key, hex(c.msg), hex(c.tag)), c.result === 'valid', `tcId ${c.tcId}`);
      count++;
    }
  }
  assert.ok(count > 100, `ran ${count} cases`);
});

interface HkdfCase {
  tcId: number;
  ikm: string;
  salt: string;
  info: string;
  size: number;
  okm: string;
  result: string;
}
test('Wycheproof HKDF-SHA256 through the HKDF composed from HMAC', async () => {
  let count = 0;
  for (const group of load<HkdfCase>('hkdf_sha256_test.json')) {
    for (const c of group.tests) {
      if (c.result === 'valid') {
        assert.equal(
          toHex(await hkdf(nodeRuntime, hex(c.ikm), hex(c.salt), hex(c.info), c.size)),
          c.okm,
          `tcId ${c.tcId}`,
        );
      } else {
        await assert.rejects(
          hkdf(nodeRuntime, hex(c.ikm), hex(c.salt), hex(c.info), c.size),
          RangeError,
          `tcId ${c.tcId}`,
        );
      }
      count++;
    }
  }
  assert.ok(count > 50, `ran ${count} cases`);
});

test('the composed HKDF equals node:crypto hkdfSync for arbitrary inputs', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ maxLength: 80 }),
      fc.uint8Array({ maxLength: 80 }),
      fc.uint8Array({ maxLength: 80 }),
      fc.integer({ min: 1, max: 255 * 32 }),
      async (ikm, salt, info, size) => {
        const expected = new Uint8Array(hkdfSync('sha256', ikm, salt, info, size));
        assert.deepEqual(await hkdf(nodeRuntime, ikm, salt, info, size), expected);
      },
    ),
    { numRuns: 200 },
  );
});

test('AES-GCM decryption refuses short and truncated tags (authTagLength is pinned to 16)', () => {
  const key = nodeRuntime.importAesGcmKey(new Uint8Array(32));
  const iv = new Uint8Array(12);
  const sealed = nodeRuntime.aesGcmEncrypt(key, iv, new Uint8Array([1, 2, 3]), new Uint8Array());
  assert.ok(nodeRuntime.aesGcmDecrypt(key, iv, sealed, new Uint8Array()));
  for (let cut = 1; cut <= sealed.length; cut++) {
    assert.equal(
      nodeRuntime.aesGcmDecrypt(key, iv, sealed.subarray(0, sealed.length - cut), new Uint8Array()),
      null,
      `cut ${cut}`,
    );
  }
});

test('the random pool hands out fresh, independent bytes', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) seen.add(toHex(nodeRuntime.randomBytes(24)));
  assert.equal(seen.size, 1000);
  const first = nodeRuntime.randomBytes(24);
  const copy = toHex(first);
  for (let i = 0; i < 400; i++) nodeRuntime.randomBytes(24); // forces a refill
  assert.equal(toHex(first), copy, 'a refill must not change bytes already handed out');
  assert.equal(nodeRuntime.randomBytes(1000).length, 1000);
});
