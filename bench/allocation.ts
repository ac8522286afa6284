/**
 * Why node:crypto's runtime builds tokens in its Buffer pool (CryptoRuntime.allocate,
 * src/crypto/node.ts): V8 keeps a typed array of at most 64 bytes on its heap, and gives a larger
 * one memory of its own outside it, which costs an allocation there and work for the collector.
 * Times, in alternating batches, `new Uint8Array(n)` and the pooled view allocate() returns (zeroed),
 * for sizes around that limit and about the size of a 5-entry session's token body. A batch's
 * garbage is collected in the batches that follow, so each side pays some of the other's: the
 * in-process effect on whole requests is in bench/session.ts, over HTTP in bench/http.ts.
 * Run: npx tsx bench/allocation.ts
 */
import { Buffer } from 'node:buffer';
import { timePairSync } from './harness.js';

function pooled(length: number): Uint8Array {
  const slice = Buffer.allocUnsafe(length);
  return new Uint8Array(slice.buffer, slice.byteOffset, length).fill(0);
}

console.log(`µs per array, median of alternating batches; node ${process.version}`);
for (const length of [64, 65, 250]) {
  const [plain, view] = timePairSync(
    `new Uint8Array(${length})`,
    () => new Uint8Array(length),
    `pooled view of ${length}`,
    () => pooled(length),
  );
  console.log(
    `  ${String(length).padStart(3)} bytes: new Uint8Array ${plain.microseconds.toFixed(3)}, pooled ${view.microseconds.toFixed(3)}` +
      ` (${(plain.microseconds / view.microseconds).toFixed(1)}x)`,
  );
}
