/**
 * CryptoRuntime.allocate (src/crypto/node.ts, web.ts): the array a token is built in. Node's is a
 * view into its Buffer pool, which hands memory out as its last user left it, so it must come
 * zeroed, and it must behave as a plain Uint8Array (slice() copies; a Buffer's would share).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeRuntime } from '../../src/crypto/node.js';
import { webRuntime } from '../../src/crypto/web.js';

for (const [name, runtime] of [
  ['node:crypto', nodeRuntime],
  ['WebCrypto', webRuntime],
] as const) {
  test(`${name}: allocate gives a zeroed plain Uint8Array of the length asked, whatever the pool held`, () => {
    for (const length of [0, 1, 64, 65, 300, 4095, 4096, 10_000]) {
      Buffer.allocUnsafe(8).fill(0xa5); // leave pool memory dirty, as other code does
      Buffer.allocUnsafe(length).fill(0x5a);
      const bytes = runtime.allocate(length);
      assert.equal(Object.getPrototypeOf(bytes), Uint8Array.prototype, `${length}`);
      assert.equal(bytes.length, length);
      assert.ok(
        bytes.every((byte) => byte === 0),
        `${length} bytes, all zero`,
      );
      if (length === 0) continue;
      const copy = bytes.slice(0, 1);
      copy[0] = 7;
      assert.equal(bytes[0], 0, 'slice() copies');
    }
  });
}

test('node:crypto: arrays allocated one after another do not overlap', () => {
  const first = nodeRuntime.allocate(200);
  const second = nodeRuntime.allocate(200);
  first.fill(1);
  assert.ok(second.every((byte) => byte === 0));
});
