/**
 * The layers of src/, each importing only the ones below it (STYLE.md "What that means here", 2):
 * async → text → format → keys → crypto → core → session → stores → adapters. The entries at the top of src/ (index.ts,
 * web.ts, sync.ts, …) bind a runtime and may import any layer; nothing imports an entry except
 * through the package's own `#core` import, which only stores and adapters may use.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const src = fileURLToPath(new URL('../src/', import.meta.url));

const LAYERS = ['async', 'text', 'format', 'keys', 'crypto', 'core', 'session', 'stores', 'adapters'] as const;
type Layer = (typeof LAYERS)[number];

/** What a layer may import besides its own folder and the layers below it. */
const OUTSIDE: Readonly<Record<Layer, RegExp>> = {
  async: /^$/, // composing values that may be promises (node:crypto answers at once, WebCrypto later): pure
  text: /^$/, // UTF-8 and how values are named in error messages: pure
  format: /^$/, // the token layout, codec and base64url: pure, no runtime, no platform module
  keys: /^$/, // keyrings and their secrets: pure
  crypto: /^node:(crypto|v8)$/, // node.ts is the one file on node:crypto (web.ts uses globalThis.crypto)
  core: /^$/,
  session: /^$/, // no HTTP, no framework, no runtime
  stores: /^#core$/,
  adapters: /^(#core|node:http|fastify|hono|koa)$/, // frameworks as types only (checked below)
};

/** The import and re-export specifiers of a file's code (comments hold examples, not code). */
function importsOf(path: string): { specifier: string; typeOnly: boolean }[] {
  const code = readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');
  return [...code.matchAll(/^\s*(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gm)].map((match) => ({
    specifier: match[3]!,
    typeOnly: match[1] === 'import' && match[2] !== undefined,
  }));
}

test('src/ holds the entries and exactly the known layer folders', () => {
  const folders = readdirSync(src).filter((entry) => statSync(src + entry).isDirectory());
  assert.deepEqual(folders.sort(), [...LAYERS].sort());
});

for (const layer of LAYERS) {
  test(`src/${layer} imports only itself, the layers below it and what it is allowed from outside`, () => {
    const below = LAYERS.slice(0, LAYERS.indexOf(layer));
    const files = readdirSync(src + layer).filter((file) => file.endsWith('.ts'));
    assert.ok(files.length > 0);
    for (const file of files) {
      for (const { specifier, typeOnly } of importsOf(`${src}${layer}/${file}`)) {
        const where = `src/${layer}/${file} imports ${specifier}`;
        if (specifier.startsWith('./')) continue;
        const up = /^\.\.\/(\w+)\//.exec(specifier);
        if (up !== null) {
          assert.ok((below as readonly string[]).includes(up[1]!), `${where}: a layer at or above ${layer}`);
          continue;
        }
        assert.match(specifier, OUTSIDE[layer], where);
        // A framework is never loaded by the library: adapters take its types only.
        if (/^(fastify|hono|koa)$/.test(specifier))
          assert.ok(typeOnly, `${where}: only \`import type\` from a framework`);
      }
    }
  });
}

/** Whether a module under src/ loads src/crypto/ through its value imports, directly or through other modules. */
function loadsCrypto(path: string, seen = new Set<string>()): boolean {
  if (path.startsWith(`${src}crypto/`)) return true;
  if (seen.has(path)) return false;
  seen.add(path);
  return importsOf(path).some(
    ({ specifier, typeOnly }) =>
      !typeOnly &&
      specifier.startsWith('.') &&
      loadsCrypto(fileURLToPath(new URL(specifier.replace(/\.js$/, '.ts'), pathToFileURL(path))), seen),
  );
}

test('the session layer loads no cryptography: it arrives through the build entries', () => {
  const files = readdirSync(src + 'session').filter((name) => name.endsWith('.ts'));
  let fromCore = 0;
  for (const file of files) {
    for (const { specifier, typeOnly } of importsOf(`${src}session/${file}`)) {
      if (typeOnly || !specifier.startsWith('.')) continue;
      // The core's pure parts (its failure reasons, its option checks) are shared; its cryptography is not.
      if (specifier.startsWith('../core/')) fromCore++;
      const target = fileURLToPath(new URL(specifier.replace(/\.js$/, '.ts'), pathToFileURL(`${src}session/${file}`)));
      assert.ok(!loadsCrypto(target), `src/session/${file} imports ${specifier}, which loads src/crypto/`);
    }
  }
  // The check above has something to judge: the session layer does take values from the core.
  assert.ok(fromCore > 0);
});

test('a module that loads src/crypto/ is recognised as one', () => {
  assert.ok(loadsCrypto(`${src}core/seal.ts`));
  assert.ok(!loadsCrypto(`${src}core/result.ts`));
});
