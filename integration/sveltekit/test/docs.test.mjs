// docs/frameworks/sveltekit.md shows this app's files verbatim: each "### `path`" heading is
// followed by a fenced block that equals the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const app = new URL('../', import.meta.url);
const doc = readFileSync(new URL('../../docs/frameworks/sveltekit.md', app), 'utf8');
const FILES = ['src/lib/server/session.js', 'src/routes/+page.server.js', 'src/routes/+page.svelte', 'src/routes/dashboard/+page.server.js'];

test('docs/frameworks/sveltekit.md shows every file of the app verbatim', () => {
  for (const file of FILES) {
    const heading = `### \`${file}\`\n\n<!-- file: integration/sveltekit/${file} -->\n`;
    const at = doc.indexOf(heading);
    assert.ok(at !== -1, `no heading for ${file}`);
    const block = /^(?:<!-- file: [^\n]* -->\n)?```(?:js|svelte)\n([\s\S]*?)\n```\n/.exec(doc.slice(at + heading.length))?.[1];
    assert.equal(block, readFileSync(new URL(file, app), 'utf8').trimEnd(), `${file} differs from its block`);
  }
});
