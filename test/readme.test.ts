/**
 * The README tells the same story as the code: it stays within 15 KB, its quick start runs as
 * written, every figure it quotes is printed by a script it names, and the contributor commands it
 * no longer carries are in CONTRIBUTING.md. (Every code block in it, and in docs/, is type-checked
 * by test/docs/code-blocks.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');

test('the README is at most 15 KB', () => {
  const bytes = Buffer.byteLength(readme);
  assert.ok(bytes <= 15 * 1024, `README.md is ${bytes} bytes; move detail to docs/`);
});

test('CONTRIBUTING.md gives the commands of a fresh clone, and .ci/run runs the same test command', () => {
  const contributing = readFileSync(new URL('CONTRIBUTING.md', root), 'utf8');
  assert.match(contributing, /npm ci && npm test/);
  assert.match(contributing, /npm start/);
  assert.match(contributing, /npm run test:integration/);
  const ci = readFileSync(new URL('.ci/run', root), 'utf8');
  assert.match(ci, /^npm ci$/m);
  assert.match(ci, /^npm test$/m);
});

test('the quick start is at most 10 lines and runs as written', () => {
  const block = /## Quick start\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, 'no ts block under "## Quick start"');
  assert.ok(
    block.trimEnd().split('\n').length <= 10,
    `the quick start has ${block.trimEnd().split('\n').length} lines`,
  );
  const source = block.replace("from 'sealed-session'", `from ${JSON.stringify(new URL('src/index.ts', root).href)}`);
  const dir = mkdtempSync(join(tmpdir(), 'readme-example-'));
  try {
    const file = join(dir, 'example.mts');
    writeFileSync(file, source);
    const env = { ...process.env };
    delete env['SESSION_KEY']; // the example then generates a key
    const result = spawnSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', env });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^12345 \d{4}-\d{2}-\d{2}T/); // console.log shows a Date in ISO form
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
