/**
 * Bundle-size budgets: typical imports of the packed package, bundled and minified by esbuild the
 * way an edge or browser build would (WebCrypto build, `worker`/`browser` conditions). A budget
 * failing means a change made users pay for code they did not import (tree shaking broke) or made
 * the code itself larger: docs/package.md gives the budgets and why each is what it is.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { makeConsumer, packFromCleanCheckout, type Packed } from './tarball.js';

const KiB = 1024;

interface Budget {
  /** The entry module, as a program would write it. */
  readonly source: string;
  /** Most minified bytes allowed. */
  readonly budget: number;
  /** Text that must not be in the bundle: code of a layer the import does not use. */
  readonly absent: readonly string[];
}

/**
 * docs/package.md gives the measured figures and the reasons. Each budget leaves room for modest
 * growth, not for a layer coming back (the `absent` markers catch that first). `unseal` alone is
 * held to 10 KiB.
 */
const BUDGETS: Record<string, Budget> = {
  'unseal alone (sealed-session/web)': {
    source: "export { unseal } from 'sealed-session/web';",
    budget: 10 * KiB,
    // The session layer (cookie grammar, stores) and the sealing side have no business here.
    absent: ['SameSite', 'Max-Age', 'maxEntries'],
  },
  'session layer: defineSession + readSession + commitSession (sealed-session/web)': {
    source: "export { defineSession, readSession, commitSession } from 'sealed-session/web';",
    budget: 42 * KiB,
    // memoryStore is a separate import.
    absent: ['maxEntries'],
  },
  'Hono adapter on an edge runtime (sealed-session/hono, hono external)': {
    source: "export { session } from 'sealed-session/hono';",
    budget: 43 * KiB,
    absent: ['maxEntries', 'node:crypto'],
  },
};

let packed: Packed;
let consumer: string;
before(() => {
  packed = packFromCleanCheckout();
  consumer = makeConsumer(packed, 'size', {});
});
after(() => packed?.remove());

describe('bundle-size budgets (esbuild, minified, WebCrypto build)', () => {
  for (const [name, { source, budget, absent }] of Object.entries(BUDGETS)) {
    test(name, async (t) => {
      const result = await build({
        stdin: { contents: source, resolveDir: consumer, loader: 'js', sourcefile: 'entry.js' },
        absWorkingDir: consumer,
        bundle: true,
        minify: true,
        format: 'esm',
        platform: 'neutral',
        // What Cloudflare's wrangler asks for; the package's default condition is the WebCrypto build.
        conditions: ['workerd', 'worker', 'browser'],
        external: ['hono', 'hono/*'],
        write: false,
        logLevel: 'silent',
      });
      const code = result.outputFiles[0]!.contents;
      const text = result.outputFiles[0]!.text;
      const gzip = gzipSync(code, { level: 9 }).length;
      t.diagnostic(
        `${code.length} B minified (${(code.length / KiB).toFixed(1)} KiB), ${gzip} B gzipped; budget ${budget} B`,
      );
      for (const marker of absent)
        assert.ok(!text.includes(marker), `the bundle holds ${JSON.stringify(marker)}: code it does not need`);
      assert.ok(code.length <= budget, `${code.length} B minified is over the budget of ${budget} B`);
    });
  }
});
