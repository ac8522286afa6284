/**
 * What users install: the tarball `npm pack` makes from a clean checkout (prepack builds dist/),
 * checked with publint and @arethetypeswrong/cli, and type-checked by consumer projects under both
 * module resolutions TypeScript offers for ESM (nodenext, bundler), with the repository's
 * TypeScript and with the oldest one we support. See docs/package.md.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import {
  makeConsumer,
  packFromCleanCheckout,
  ROOT,
  ROOT_MODULES,
  run,
  subpathSpecifiers,
  toolEnv,
  type Packed,
} from './tarball.js';

const execFileAsync = promisify(execFile);

/** Conditions a resolver may meet in our maps; anything else would be a private one leaking out. */
const KNOWN_CONDITIONS = new Set(['types', 'deno', 'node', 'default']);

let packed: Packed;
before(() => {
  packed = packFromCleanCheckout();
});
after(() => packed?.remove());

/** Every string target in an exports/imports map, with the conditions leading to it. */
function targets(map: unknown, path: string[] = []): { conditions: string[]; target: string }[] {
  if (typeof map === 'string') return [{ conditions: path, target: map }];
  return Object.entries(map as Record<string, unknown>).flatMap(([key, value]) => targets(value, [...path, key]));
}

describe('the tarball npm pack makes from a clean checkout', () => {
  test('holds the build (prepack ran) and nothing of the sources, tests or tooling', () => {
    assert.ok(packed.files.includes('dist/index.js'), packed.files.join('\n'));
    const outside = packed.files.filter((file) => !file.startsWith('dist/'));
    assert.deepEqual(outside, ['LICENSE', 'README.md', 'SECURITY.md', 'package.json']);
    assert.deepEqual(
      packed.files.filter((file) => !/\.(js|d\.ts)$/.test(file) && file.startsWith('dist/')),
      [],
    );
  });

  test('every exports and imports target is a file in the tarball, under known conditions only', () => {
    const all = [
      ...Object.entries(packed.manifest.exports).flatMap(([key, map]) => targets(map, [key])),
      ...Object.entries(packed.manifest.imports).flatMap(([key, map]) => targets(map, [key])),
    ];
    assert.ok(all.length >= 20);
    for (const { conditions, target } of all) {
      assert.ok(packed.files.includes(target.slice(2)), `${conditions.join(' > ')} -> ${target} is not shipped`);
      for (const condition of conditions.slice(1))
        assert.ok(KNOWN_CONDITIONS.has(condition), `${conditions.join(' > ')}: condition ${condition}`);
    }
  });

  test('no shipped file names an outside project in its API docs', () => {
    for (const file of packed.files)
      assert.doesNotMatch(readFileSync(join(packed.extracted, file), 'utf8'), /\bKocha\b/i, file);
  });

  test('no shipped file points at a source map (none are emitted)', () => {
    for (const file of packed.files.filter((name) => name.endsWith('.js') || name.endsWith('.d.ts'))) {
      assert.doesNotMatch(readFileSync(join(packed.extracted, file), 'utf8'), /sourceMappingURL/, file);
    }
  });

  test('publint finds nothing, suggestions included', async () => {
    const tarball = readFileSync(packed.tarball);
    const { messages, pkg } = await publint({
      pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) },
      level: 'suggestion',
      strict: true,
    });
    assert.deepEqual(
      messages.map((message) => `${message.type} ${message.code}: ${formatMessage(message, pkg)}`),
      [],
    );
  });

  test('@arethetypeswrong/cli finds no problem for ESM consumers, every subpath resolving under node16 and bundler', () => {
    // The esm-only profile ignores the node10 and node16-from-CJS resolutions: this package is ESM
    // only by design, and docs/package.md says so. Everything else must be clean (exit code 0).
    const cli = join(ROOT_MODULES, '@arethetypeswrong/cli/dist/index.js');
    const report = JSON.parse(
      run(process.execPath, [cli, packed.tarball, '--profile', 'esm-only', '--format', 'json']),
    ) as {
      analysis: { entrypoints: Record<string, { resolutions: Record<string, { resolution?: { fileName: string } }> }> };
      problems?: Record<string, { resolutionKind?: string }[]>;
    };
    const problems = Object.values(report.problems ?? {})
      .flat()
      .filter((problem) => problem.resolutionKind !== 'node10' && problem.resolutionKind !== 'node16-cjs');
    assert.deepEqual(problems, []);
    const entrypoints = report.analysis.entrypoints;
    assert.deepEqual(Object.keys(entrypoints).sort(), Object.keys(packed.manifest.exports).sort());
    for (const [subpath, { resolutions }] of Object.entries(entrypoints)) {
      for (const kind of ['node16-esm', 'bundler']) {
        assert.match(
          resolutions[kind]?.resolution?.fileName ?? '',
          /\/dist\/.*\.d\.ts$|package\.json$/,
          `${subpath} under ${kind}`,
        );
      }
    }
  });
});

describe('CommonJS consumers', () => {
  test(`require() loads every subpath on this Node (${process.version}): require(esm), Node 20.19+ and 22.12+`, () => {
    // Would fail with ERR_REQUIRE_ASYNC_MODULE if a module used top-level await, and with
    // ERR_REQUIRE_ESM on Node before 20.19 (docs/package.md states the versions).
    const specifiers = subpathSpecifiers(packed.manifest);
    const consumer = makeConsumer(packed, 'require', {
      'main.cjs': `
        const loaded = ${JSON.stringify(specifiers)}.map((specifier) => Object.keys(require(specifier)).length);
        const { createKeyring, generateKey } = require('sealed-session');
        const { sealSync, unsealSync } = require('sealed-session/sync');
        const keys = createKeyring(generateKey());
        const opened = unsealSync(sealSync(new Map([['userId', '12345']]), { keys }), { keys });
        console.log(JSON.stringify({ loaded, userId: opened.ok && opened.data.get('userId') }));
      `,
    });
    const result = JSON.parse(run(process.execPath, ['main.cjs'], { cwd: consumer })) as {
      loaded: number[];
      userId: string;
    };
    assert.equal(result.userId, '12345');
    assert.equal(result.loaded.length, specifiers.length);
    for (const count of result.loaded) assert.ok(count > 0);
  });
});

test("a CommonJS TypeScript file may import the package with the repository's TypeScript (5.8+ understands require(esm))", async () => {
  const consumer = makeConsumer(packed, 'cts', {
    'src/main.cts':
      "import { createKeyring, generateKey } from 'sealed-session';\nimport { sealSync } from 'sealed-session/sync';\nexport const token: string = sealSync(new Map([['a', 'b']]), { keys: createKeyring(generateKey()) });\n",
    'tsconfig.json': JSON.stringify({
      compilerOptions: { ...TSCONFIG_BASE, ...RESOLUTIONS.nodenext },
      include: ['src'],
    }),
  });
  const diagnostics = (await runTsc(COMPILERS.repository, consumer))
    .split('\n')
    .filter((line) => line.startsWith('src/'));
  assert.deepEqual(diagnostics, []);
});

/** Uses of every subpath's declarations, so a consumer's tsc must resolve and check all of them. */
function consumerSources(): Record<string, string> {
  const specifiers = subpathSpecifiers(packed.manifest);
  const namespaces = specifiers.map((specifier, i) => `import * as subpath${i} from '${specifier}';`).join('\n');
  // docs/package.md's examples are consumer code too: each ```ts block is a module of its own.
  const docs = readFileSync(join(ROOT, 'docs/package.md'), 'utf8');
  const examples = Object.fromEntries(
    [...docs.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match, i) => [`src/docs-package-${i}.ts`, match[1]!]),
  );
  assert.ok(Object.keys(examples).length >= 2, 'docs/package.md has its examples');
  return {
    ...examples,
    'src/all-subpaths.ts': `${namespaces}\nexport const subpaths = [${specifiers.map((_, i) => `subpath${i}`).join(', ')}] as const;\n`,
    // A typical program: types must come through as written, not as any.
    'src/app.ts': `import { createKeyring, generateKey, seal, unseal, defineSession, readSession, commitSession, type UnsealResult, type SessionConfig } from 'sealed-session';
import { sealSync, unsealSync } from 'sealed-session/sync';
import * as web from 'sealed-session/web';
import { storeConformance } from 'sealed-session/testing';
import { withSession } from 'sealed-session/fetch';

const keys = createKeyring(generateKey());
export async function roundTrip(): Promise<string | undefined> {
  const token: string = await seal(new Map([['userId', '12345']]), { keys });
  const result: UnsealResult = await web.unseal(token, { keys });
  const again = unsealSync(sealSync(new Map([['a', 'b']]), { keys }), { keys });
  if (!again.ok) return again.reason;
  return result.ok ? result.data.get('userId') : result.reason;
}
export const config: SessionConfig = defineSession({ name: '__Host-sid', keys });
export async function handle(cookie: string | null): Promise<string[]> {
  const state = await readSession(cookie, config);
  state.session.set('seen', 'yes');
  // @ts-expect-error: session values are strings
  state.session.set('count', 1);
  return commitSession(state, config);
}
export const checks: readonly { readonly name: string }[] = storeConformance(() => web.memoryStore({ keys }));
export const handler: (request: Request) => Promise<Response> = withSession(async (_request, session) => new Response(session.get('seen') ?? 'no'), config);
await unseal('ss1.x', { keys });
`,
  };
}

const TSCONFIG_BASE = {
  target: 'es2022',
  lib: ['es2022'],
  types: ['node'],
  strict: true,
  noEmit: true,
  // Our declarations must pass a full check; errors in other packages' are filtered out below
  // (those packages pick their own supported TypeScript versions).
  skipLibCheck: false,
};

const RESOLUTIONS = {
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
} as const;

const COMPILERS = {
  repository: join(ROOT_MODULES, 'typescript/bin/tsc'),
  oldest: join(ROOT_MODULES, 'typescript-oldest/bin/tsc'),
} as const;

/** The version string a compiler reports, for the test names. */
function versionOf(compiler: string): string {
  return run(process.execPath, [compiler, '--version'])
    .trim()
    .replace(/^Version /, '');
}

// Concurrent: each check is a separate compiler process, mostly waiting on its own CPU.
describe('consumers type-check every subpath, /sync included', { concurrency: true }, () => {
  for (const [compilerName, compiler] of Object.entries(COMPILERS)) {
    for (const [mode, options] of Object.entries(RESOLUTIONS)) {
      test(`TypeScript ${versionOf(compiler)} (${compilerName}), moduleResolution ${mode}`, async () => {
        const consumer = makeConsumer(packed, `${compilerName}-${mode}`, {
          ...consumerSources(),
          'tsconfig.json': JSON.stringify({ compilerOptions: { ...TSCONFIG_BASE, ...options }, include: ['src'] }),
        });
        const result = await runTsc(compiler, consumer);
        // tsc prints one `path(line,col): error TSnnnn` line per diagnostic (continuation lines
        // indented). Ours: in the consumer's code or our declarations; the linked packages' files
        // show as paths out of the consumer.
        const ours = result
          .split('\n')
          .filter((line) => /^\S.*error TS\d+/.test(line))
          .filter((line) => line.startsWith('src/') || line.startsWith('node_modules/sealed-session/'));
        assert.deepEqual(ours, []);
      });
    }
  }
});

/** tsc's diagnostics (its standard output), whether or not it exits with an error. */
async function runTsc(compiler: string, cwd: string): Promise<string> {
  const { stdout } = await execFileAsync(process.execPath, [compiler, '-p', 'tsconfig.json', '--pretty', 'false'], {
    cwd,
    env: toolEnv(),
    timeout: 300_000,
  }).catch((error: { stdout?: string; code?: unknown }) => {
    // Exit codes 1 and 2 are tsc's "errors reported" (outputs skipped or not); a crash or a
    // timeout is a failure of its own.
    if ((error.code !== 1 && error.code !== 2) || typeof error.stdout !== 'string' || !/error TS\d+/.test(error.stdout))
      throw error;
    return { stdout: error.stdout };
  });
  return stdout;
}

test('the tests resolve sealed-session to src/ by tsconfig paths, one path per exports entry (nothing published maps src/)', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  // tsconfig.json is JSON with comments: strip line comments before parsing.
  const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  const expected: Record<string, string[]> = { '#core': ['./src/index.ts'] };
  for (const [key, map] of Object.entries(manifest.exports)) {
    if (key === './package.json') continue;
    // The Node build's file: the one the tests run.
    const js = targets(map).find(
      ({ conditions, target }) =>
        !conditions.includes('deno') && !conditions.includes('types') && target.endsWith('.js'),
    )!.target;
    expected[`sealed-session${key.slice(1)}`] = [js.replace('./dist/', './src/').replace(/\.js$/, '.ts')];
  }
  assert.deepEqual(tsconfig.compilerOptions.paths, expected);
});
