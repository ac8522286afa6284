/**
 * The WebCrypto build works where Node built-ins do not exist (issue 3).
 *
 * - Statically: nothing reachable from dist/web.js imports a `node:` module or a
 *   package, or names a Node global in its code.
 * - At run time: the BUILT dist/web.js runs in a child `node` whose module hook
 *   (fixtures/edge-runtime.mjs) rejects every Node built-in and drops the `node`
 *   export condition, and whose `Buffer`, `process`, ... are deleted; there it
 *   seals, unseals, signs, verifies and generates keys, and `sealed-session`
 *   resolves to the WebCrypto build.
 * - The edge example of the README, run with real Requests.
 *
 * `npm test` builds dist/ first; on its own, run `npm run build` before this file.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as node from '../../src/index.js';
import { createKeyring, seal, unseal, type Keyring } from '../../src/web.js';

const ROOT = new URL('../../', import.meta.url);
const DIST_WEB = new URL('dist/web.js', ROOT);
const HOOK = new URL('fixtures/edge-runtime.mjs', import.meta.url);

function requireBuild(): void {
  assert.ok(existsSync(DIST_WEB), 'dist/web.js is missing: run `npm run build` first (npm test does)');
}

// ---------------------------------------------------------------------------------------------
// Static: the import graph of dist/web.js
// ---------------------------------------------------------------------------------------------

/** Block and line comments removed, so that prose mentioning `Buffer` or `import ... from` is not read as code. */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"\\])\/\/.*$/gm, '$1');
}

/** Static imports, re-exports and literal dynamic imports. */
const IMPORT =
  /\b(?:import|export)\b[^'"`;]*?\bfrom\s*(['"])([^'"]+)\1|\bimport\s*\(\s*(['"])([^'"]+)\3\s*\)|\bimport\s*(['"])([^'"]+)\5/g;

/** Every file reachable from `entry` through relative imports, with each file's code and specifiers. */
function importGraph(entry: URL): Map<string, { code: string; specifiers: string[] }> {
  const graph = new Map<string, { code: string; specifiers: string[] }>();
  const pending = [entry];
  while (pending.length > 0) {
    const url = pending.pop()!;
    if (graph.has(url.href)) continue;
    const code = stripComments(readFileSync(url, 'utf8'));
    const specifiers = [...code.matchAll(IMPORT)].map((m) => (m[2] ?? m[4] ?? m[6])!);
    graph.set(url.href, { code, specifiers });
    for (const specifier of specifiers) {
      if (specifier.startsWith('./') || specifier.startsWith('../')) pending.push(new URL(specifier, url));
    }
  }
  return graph;
}

const relative = (href: string): string => href.slice(ROOT.href.length);

describe('statically, dist/web.js reaches no Node module', () => {
  test('every import reachable from dist/web.js is a relative file in dist/, none a node: module or a package', () => {
    requireBuild();
    const graph = importGraph(DIST_WEB);
    const files = [...graph.keys()].map(relative);
    for (const expected of [
      'dist/web.js',
      'dist/crypto/web.js',
      'dist/core/api.js',
      'dist/format/base64url.js',
      'dist/crypto/xaes.js',
    ]) {
      assert.ok(files.includes(expected), `expected ${expected} in the graph, got ${files.join(', ')}`);
    }
    assert.ok(!files.includes('dist/crypto/node.js'), 'the Node runtime must not be reachable from the web build');
    for (const [href, { specifiers }] of graph) {
      assert.ok(existsSync(new URL(href)), `${relative(href)} does not exist`);
      for (const specifier of specifiers) {
        assert.ok(!specifier.startsWith('node:') && !isBuiltin(specifier), `${relative(href)} imports ${specifier}`);
        assert.match(
          specifier,
          /^\.\.?\/.*\.js$/,
          `${relative(href)} imports ${specifier}: expected a relative .js file`,
        );
        assert.ok(
          new URL(specifier, href).href.startsWith(new URL('dist/', ROOT).href),
          `${relative(href)} reaches outside dist/`,
        );
      }
    }
  });

  test('no code reachable from dist/web.js names a Node-only global', () => {
    requireBuild();
    for (const [href, { code }] of importGraph(DIST_WEB)) {
      const found = /\b(Buffer|process|require|__dirname|__filename|setImmediate)\b/.exec(code);
      assert.equal(found, null, `${relative(href)} uses ${found?.[1]}`);
    }
  });

  test('the walk does find Node imports where they exist: dist/index.js and dist/sync.js reach node:crypto', () => {
    requireBuild();
    for (const entry of ['dist/index.js', 'dist/sync.js']) {
      const specifiers = [...importGraph(new URL(entry, ROOT)).values()].flatMap((file) => file.specifiers);
      assert.ok(specifiers.includes('node:crypto'), `${entry}: ${specifiers.join(', ')}`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// At run time: dist/web.js in a process without Node built-ins
// ---------------------------------------------------------------------------------------------

interface ChildReport {
  globals: Record<string, string>;
  blocked: Record<string, string>;
  syncImport: string;
  resolved: { root: string; web: string };
  sameModule: boolean;
  secret: string;
  sealed: string;
  signed: string;
  unsealed: unknown;
  verified: unknown;
  wrongContext: unknown;
  tampered: unknown;
  fromNode: unknown;
}

/** Runs `code` as an ES module in a child node that looks like an edge runtime; returns what it printed as JSON. */
function runAtTheEdge(code: string): ChildReport {
  requireBuild();
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // a bare node: no tsx, no inherited loaders
  const child = spawnSync(process.execPath, ['--import', HOOK.href, '--input-type=module', '--eval', code], {
    cwd: fileURLToPath(ROOT), // the eval'd module lives in the package, so `sealed-session` resolves to it
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(child.status, 0, `the child failed:\n${child.stderr}`);
  return JSON.parse(child.stdout) as ChildReport;
}

describe('at run time, the built web build works without Node built-ins', () => {
  test('no Buffer, no process, no node: import; sealed-session resolves to the web build; every operation works', async () => {
    const data: Array<[string, string]> = [
      ['userId', '12345'],
      ['emoji', '\u{1F600}'],
      ['nul', 'a\u0000b'],
      ['', 'é'],
    ];
    const nodeKeys = node.createKeyring('shared-secret-shared-secret-shared-secret');
    const fromNode = await node.seal(new Map(data), { keys: nodeKeys, context: 'sid' });
    const report = runAtTheEdge(`
      const outcome = (promise) => promise.then(() => 'imported', (error) => error.code ?? error.message);
      const plain = (result) => (result.ok ? { ...result, data: [...result.data] } : result);
      const report = {
        globals: Object.fromEntries(['Buffer', 'process', 'require', 'global', 'setImmediate', 'crypto', 'TextEncoder']
          .map((name) => [name, typeof globalThis[name]])),
        blocked: {
          'node:crypto': await outcome(import('node:crypto')),
          crypto: await outcome(import('crypto')),
          'node:buffer': await outcome(import('node:buffer')),
        },
        syncImport: await outcome(import('sealed-session/sync')),
        resolved: { root: import.meta.resolve('sealed-session'), web: import.meta.resolve('sealed-session/web') },
      };
      const web = await import(${JSON.stringify(DIST_WEB.href)});
      const root = await import('sealed-session');
      report.sameModule = root.seal === web.seal && root.unseal === web.unseal && root.verify === web.verify;
      const data = new Map(${JSON.stringify(data)});
      report.secret = web.generateKey();
      const keys = web.createKeyring(report.secret);
      report.sealed = await web.seal(data, { keys, context: 'sid' });
      report.signed = await web.sign(data, { keys, context: 'sid' });
      report.unsealed = plain(await web.unseal(report.sealed, { keys, context: 'sid' }));
      report.verified = plain(await web.verify(report.signed, { keys, context: 'sid' }));
      report.wrongContext = plain(await web.unseal(report.sealed, { keys, context: 'other' }));
      const middle = report.signed.length >> 1;
      const swapped = report.signed[middle] === 'A' ? 'B' : 'A';
      report.tampered = plain(await web.verify(report.signed.slice(0, middle) + swapped + report.signed.slice(middle + 1), { keys, context: 'sid' }));
      const nodeKeys = web.createKeyring('shared-secret-shared-secret-shared-secret');
      report.fromNode = plain(await web.unseal(${JSON.stringify(fromNode)}, { keys: nodeKeys, context: 'sid' }));
      console.log(JSON.stringify(report));
    `);

    // The environment really lacks Node: the hook is active and the globals are gone.
    assert.deepEqual(report.globals, {
      Buffer: 'undefined',
      process: 'undefined',
      require: 'undefined',
      global: 'undefined',
      setImmediate: 'undefined',
      crypto: 'object',
      TextEncoder: 'function',
    });
    for (const [specifier, outcome] of Object.entries(report.blocked)) {
      assert.match(outcome, /Node built-in .* is unavailable/, `import('${specifier}') should fail`);
    }
    // Without the node condition the package resolves as on workerd or Deno: the root is the web build, ./sync is absent.
    assert.equal(report.syncImport, 'ERR_PACKAGE_PATH_NOT_EXPORTED');
    assert.equal(report.resolved.root, DIST_WEB.href);
    assert.equal(report.resolved.web, DIST_WEB.href);
    assert.equal(report.sameModule, true);

    // Every operation works there.
    assert.match(report.secret, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual((report.unsealed as { data: unknown }).data, data);
    assert.deepEqual((report.verified as { data: unknown }).data, data);
    assert.equal((report.unsealed as { ok: boolean; rotated: boolean }).rotated, false);
    assert.deepEqual(report.wrongContext, { ok: false, reason: 'invalid' });
    assert.equal((report.tampered as { ok: boolean }).ok, false);
    // And tokens cross between the edge and Node, both ways.
    assert.deepEqual((report.fromNode as { data: unknown }).data, data);
    const keys = node.createKeyring(report.secret);
    const opened = await node.unseal(report.sealed, { keys, context: 'sid' });
    assert.deepEqual(opened.ok && [...opened.data], data);
    const verified = await node.verify(report.signed, { keys, context: 'sid' });
    assert.deepEqual(verified.ok && [...verified.data], data);
    assert.equal(
      await node.sign(new Map(data), { keys, context: 'sid', now: (verified.ok && verified.issuedAt) || 0 }),
      report.signed,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The README's edge example, run with real Requests
// ---------------------------------------------------------------------------------------------

// docs:edge-example:start
let keys: Keyring | undefined; // one keyring per isolate: its derived keys are cached

const worker = {
  async fetch(request: Request, env: { SESSION_SECRET: string }): Promise<Response> {
    keys ??= createKeyring(env.SESSION_SECRET);
    const cookie = request.headers.get('Cookie') ?? '';
    const token = /(?:^|;\s*)sid=([^;]*)/.exec(cookie)?.[1] ?? '';
    const opened = await unseal(token, { keys, context: 'sid' });
    const session = opened.ok ? opened.data : new Map<string, string>();
    const visits = Number(session.get('visits') ?? 0) + 1;
    session.set('visits', String(visits));
    const sealed = await seal(session, { keys, context: 'sid', ttl: 86400 });
    return new Response(`visit ${visits}\n`, {
      headers: { 'Set-Cookie': `sid=${sealed}; Path=/; Max-Age=86400; HttpOnly; Secure; SameSite=Lax` },
    });
  },
};
// docs:edge-example:end

/** The example as the docs print it: the package import, then the marked code with `export default`. */
function documentedExample(): string {
  const source = readFileSync(new URL(import.meta.url), 'utf8');
  const marked = /\/\/ docs:edge-example:start\n([\s\S]*?)\/\/ docs:edge-example:end\n/.exec(source)![1]!;
  return `import { createKeyring, seal, unseal, type Keyring } from 'sealed-session';\n\n${marked.replace('const worker = {', 'export default {')}`;
}

describe('the edge example of the README', () => {
  const env = { SESSION_SECRET: 'edge-example-secret-of-at-least-32-bytes' };
  const SET_COOKIE = /^sid=(ss1\.[A-Za-z0-9_-]+); Path=\/; Max-Age=86400; HttpOnly; Secure; SameSite=Lax$/;

  test('the docs print exactly the code this test runs', () => {
    const example = documentedExample();
    const places = ['README.md', 'docs/api.md', 'docs/runtimes.md']
      .map((path) => new URL(path, ROOT))
      .filter((url) => existsSync(url));
    assert.ok(
      places.some((url) => readFileSync(url, 'utf8').includes(example)),
      `neither README.md nor docs/api.md nor docs/runtimes.md contains the edge example verbatim:\n${example}`,
    );
  });

  test('a first request gets a sealed session cookie; sending it back counts on; a forged one starts over', async () => {
    const first = await worker.fetch(new Request('https://example.com/'), env);
    assert.equal(first.status, 200);
    assert.equal(await first.text(), 'visit 1\n');
    const token = SET_COOKIE.exec(first.headers.get('Set-Cookie') ?? '')?.[1];
    assert.ok(token, `unexpected Set-Cookie: ${first.headers.get('Set-Cookie')}`);
    // The cookie is a real token: the Node build opens it with the same secret.
    const opened = await node.unseal(token, { keys: node.createKeyring(env.SESSION_SECRET), context: 'sid' });
    assert.deepEqual(opened.ok && [...opened.data], [['visits', '1']]);

    const second = await worker.fetch(
      new Request('https://example.com/', { headers: { Cookie: `theme=dark; sid=${token}; lang=en` } }),
      env,
    );
    assert.equal(await second.text(), 'visit 2\n');
    const secondToken = SET_COOKIE.exec(second.headers.get('Set-Cookie') ?? '')?.[1];
    assert.ok(secondToken && secondToken !== token);
    const third = await worker.fetch(
      new Request('https://example.com/', { headers: { Cookie: `sid=${secondToken}` } }),
      env,
    );
    assert.equal(await third.text(), 'visit 3\n');

    // A changed token, or one sealed for another purpose, is not a session: the count starts over.
    const forged = token.slice(0, -3) + (token.endsWith('AAA') ? 'BBB' : 'AAA');
    const afterForgery = await worker.fetch(
      new Request('https://example.com/', { headers: { Cookie: `sid=${forged}` } }),
      env,
    );
    assert.equal(await afterForgery.text(), 'visit 1\n');
    const otherContext = await seal(new Map([['visits', '41']]), {
      keys: createKeyring(env.SESSION_SECRET),
      context: 'prefs',
    });
    const afterSwap = await worker.fetch(
      new Request('https://example.com/', { headers: { Cookie: `sid=${otherContext}` } }),
      env,
    );
    assert.equal(await afterSwap.text(), 'visit 1\n');
  });
});
