/**
 * A V8 startup snapshot (`node --build-snapshot`) saves the whole heap: a random pool that was filled
 * while the snapshot was built, and the XAES nonce prefix of a key that sealed once, would be the same
 * in every process started from the blob: the same nonces under the same key (GCM nonce reuse leaks
 * the XOR of plaintexts and the authentication key) and the same memoryStore ids. This builds a real
 * snapshot of an app that used the library while it was built, starts two processes from it, and
 * checks that everything random differs between them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const run = promisify(execFile);
const src = (file: string): string => fileURLToPath(new URL(`../../src/${file}`, import.meta.url));

/**
 * The app: it generates a key while the snapshot is built (so the random pool is filled and live in
 * the saved heap), then in each process started from the blob generates a key, seals and stores a
 * session, and prints what came out of the CSPRNG. (It cannot seal or sign while building: Node
 * refuses to snapshot the node:crypto key objects that creates. crypto/xaes.ts forgets nonce batches
 * on deserialization anyway, tested in xaes.test.ts.)
 */
const ENTRY = `
import { startupSnapshot } from 'node:v8';
import { createKeyring, generateKey, memoryStore } from ${JSON.stringify(src('index.ts'))};
import { sealSync } from ${JSON.stringify(src('sync.ts'))};
import { nodeRuntime } from ${JSON.stringify(src('crypto/node.ts'))};
import { parseToken } from ${JSON.stringify(src('format/token.ts'))};

// A fixed key: the processes must share it, as instances of one app share their SESSION_KEY.
const keys = createKeyring('snapshot-test-key-0123456789abcdefghijklmnop');
const store = memoryStore({ keys });
const hex = (bytes) => Buffer.from(bytes).toString('hex');
const nonceOf = (token) => hex(parseToken(nodeRuntime, token).rest.subarray(0, 24));
const draw = async () => ({
  key: generateKey(),
  nonce: nonceOf(sealSync(new Map([['user', 'a']]), { keys })),
  // The signed cookie value that carries the new id: equal values mean equal ids.
  id: await store.save(new Map([['user', 'a']]), { id: undefined, name: 'sid', ttl: 60, now: Date.now(), clockSkew: 5, issuedAfter: undefined }),
});

generateKey(); // while the snapshot is being built
startupSnapshot.setDeserializeMainFunction(async () => {
  process.stdout.write(JSON.stringify(await draw()));
});
`;

test('processes started from one V8 startup snapshot draw different keys, nonces, nonce prefixes and store ids', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sealed-session-snapshot-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const entry = join(dir, 'entry.mjs');
  const bundle = join(dir, 'bundle.cjs');
  const blob = join(dir, 'app.blob');
  writeFileSync(entry, ENTRY);
  // The snapshot entry must be one script that requires only built-in modules (Node's
  // documentation of --build-snapshot), so the app is bundled first.
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: bundle,
    logLevel: 'silent',
  });
  await run(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', bundle], { cwd: dir });
  const start = async (): Promise<{ key: string; nonce: string; id: string }> =>
    JSON.parse((await run(process.execPath, ['--snapshot-blob', blob], { cwd: dir })).stdout) as {
      key: string;
      nonce: string;
      id: string;
    };
  const [a, b] = await Promise.all([start(), start()]);
  assert.match(a.key, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a.key, b.key, 'generateKey() repeated across processes');
  assert.notEqual(a.id, b.id, 'memoryStore ids repeated across processes');
  assert.notEqual(a.nonce.slice(24), b.nonce.slice(24), 'the random half of the nonce repeated');
  assert.notEqual(
    a.nonce.slice(0, 24),
    b.nonce.slice(0, 24),
    'the XAES nonce prefix (the subkey) is shared across processes',
  );
});
