/**
 * The README tells the same story as the code: it shows every framework example
 * exactly as the adapter suite runs it, its quick-start example runs as written,
 * and it gives the two commands of a fresh clone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');

test('the README shows every framework example verbatim', () => {
  const examples = readdirSync(new URL('examples/', root)).filter((file) => file.endsWith('.ts'));
  assert.ok(examples.length >= 6, examples.join(', '));
  for (const file of examples) {
    const code = readFileSync(new URL(`examples/${file}`, root), 'utf8').trimEnd();
    assert.ok(readme.includes(code), `README.md does not contain examples/${file} verbatim`);
  }
});

test('the README gives the two commands of a fresh clone, and .ci/run runs the same test command', () => {
  assert.match(readme, /npm ci && npm test/);
  assert.match(readme, /npm start/);
  const ci = readFileSync(new URL('.ci/run', root), 'utf8');
  assert.match(ci, /^npm ci$/m);
  assert.match(ci, /^npm test$/m);
});

test('the quick-start example runs as written', () => {
  const block = /## Example\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, 'no ts block under "## Example"');
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
