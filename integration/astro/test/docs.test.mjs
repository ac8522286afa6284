// docs/frameworks/astro.md shows this app's files verbatim: each "### `path`" heading is
// followed by a fenced block that equals the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const app = new URL('../', import.meta.url);
const doc = readFileSync(new URL('../../docs/frameworks/astro.md', app), 'utf8');
const FILES = ['astro.config.mjs', 'src/lib/session.ts', 'src/pages/index.astro', 'src/pages/dashboard.astro'];

test('docs/frameworks/astro.md shows every file of the app verbatim', () => {
  for (const file of FILES) {
    const heading = `### \`${file}\`\n\n<!-- file: integration/astro/${file} -->\n`;
    const at = doc.indexOf(heading);
    assert.ok(at !== -1, `no heading for ${file}`);
    const block = /^(?:<!-- file: [^\n]* -->\n)?```(?:js|ts|astro)\n([\s\S]*?)\n```\n/.exec(doc.slice(at + heading.length))?.[1];
    assert.equal(block, readFileSync(new URL(file, app), 'utf8').trimEnd(), `${file} differs from its block`);
  }
});
