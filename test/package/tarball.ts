/**
 * The package as `npm pack` makes it from a clean checkout, for the tests that check what users
 * install: the tarball's contents, publint and attw, consumers' type-checks, bundle sizes.
 *
 * The checkout is a copy of the repository without `dist/`, `node_modules/` (linked back for the
 * build tools) or git metadata, packed in a temporary directory: so `prepack` must build `dist/`
 * itself, and the repository's own `dist/` (which other test files read meanwhile) is never touched.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ROOT_MODULES = join(ROOT, 'node_modules');

/** Folders a fresh clone does not have (or that are not the package's business). */
const NOT_IN_A_CHECKOUT = new Set(['node_modules', 'dist', '.git', 'coverage', '.pack']);

/**
 * The environment for the tools the tests start: no coverage collection (c8 sets
 * NODE_V8_COVERAGE; a compiler writing its coverage would only slow the run) and no NODE_OPTIONS
 * (tsx's hooks are for the tests, not for npm or tsc).
 */
export function toolEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_V8_COVERAGE;
  delete env.NODE_OPTIONS;
  return env;
}

/** Runs a command to completion; throws with its output if it fails. */
export function run(command: string, args: readonly string[], options: SpawnSyncOptions = {}): string {
  const result = spawnSync(command, args, { encoding: 'utf8', env: toolEnv(), timeout: 180_000, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${result.status}:\n${String(result.stdout)}\n${String(result.stderr)}`,
    );
  }
  return String(result.stdout);
}

export interface Packed {
  /** A scratch directory the caller removes with {@link Packed.remove}. */
  readonly dir: string;
  /** The `.tgz` that `npm pack` wrote. */
  readonly tarball: string;
  /** The paths in the tarball, relative to the package root, sorted. */
  readonly files: readonly string[];
  /** The package.json inside the tarball. */
  readonly manifest: PackageManifest;
  /** The package extracted as a consumer's `node_modules/sealed-session` would hold it. */
  readonly extracted: string;
  remove(): void;
}

export interface PackageManifest {
  readonly name: string;
  readonly exports: Record<string, unknown>;
  readonly imports: Record<string, unknown>;
  readonly [field: string]: unknown;
}

/** Copies the checkout, packs it (running `prepack`), and extracts the tarball. */
export function packFromCleanCheckout(): Packed {
  const dir = mkdtempSync(join(tmpdir(), 'sealed-session-pack-'));
  const checkout = join(dir, 'checkout');
  cpSync(ROOT, checkout, {
    recursive: true,
    filter: (source) => !NOT_IN_A_CHECKOUT.has(basename(source)),
  });
  symlinkSync(ROOT_MODULES, join(checkout, 'node_modules'), 'dir');
  const out = join(dir, 'out');
  mkdirSync(out);
  const [report] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', out], { cwd: checkout })) as [
    { filename: string; files: { path: string }[] },
  ];
  const tarball = join(out, basename(report.filename));
  const extracted = join(dir, 'extracted');
  mkdirSync(extracted);
  run('tar', ['-xzf', tarball, '-C', extracted]);
  const root = join(extracted, 'package');
  return {
    dir,
    tarball,
    files: report.files.map((file) => file.path).sort(),
    manifest: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageManifest,
    extracted: root,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A consumer project in `dir/consumer-<name>`: the extracted package in its node_modules, and
 * every other package it may need (framework types, @types/node) linked from this repository's.
 */
export function makeConsumer(packed: Packed, name: string, files: Record<string, string>): string {
  const consumer = join(packed.dir, `consumer-${name}`);
  const modules = join(consumer, 'node_modules');
  mkdirSync(modules, { recursive: true });
  cpSync(packed.extracted, join(modules, 'sealed-session'), { recursive: true });
  for (const entry of readdirSync(ROOT_MODULES)) {
    if (entry === 'sealed-session' || entry.startsWith('.')) continue;
    symlinkSync(join(ROOT_MODULES, entry), join(modules, entry), 'dir');
  }
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: `consumer-${name}`, private: true, type: 'module' }),
  );
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(consumer, file, '..'), { recursive: true });
    writeFileSync(join(consumer, file), text);
  }
  return consumer;
}

/** The package's subpaths as users import them: 'sealed-session', 'sealed-session/web', ... */
export function subpathSpecifiers(manifest: PackageManifest): string[] {
  return Object.keys(manifest.exports)
    .filter((key) => key !== './package.json')
    .map((key) => manifest.name + key.slice(1));
}
