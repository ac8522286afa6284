// docs/frameworks/nextjs.md shows this app's files verbatim: each "### `path`" heading is followed
// by `<!-- file: integration/nextjs/path -->` and a fenced block that equals the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const app = new URL('../', import.meta.url);
const doc = readFileSync(new URL('../../docs/frameworks/nextjs.md', app), 'utf8');
const FILES = ['lib/session.ts', 'app/actions.ts', 'app/page.tsx', 'app/dashboard/page.tsx', 'app/api/me/route.ts', 'proxy.ts'];

test('docs/frameworks/nextjs.md shows every file of the app verbatim', () => {
  for (const file of FILES) {
    const block = new RegExp(`### \`${file.replaceAll('.', '\\.')}\`\\n\\n<!-- file: integration/nextjs/${file.replaceAll('.', '\\.')} -->\\n\`\`\`tsx?\\n([\\s\\S]*?)\\n\`\`\`\\n`).exec(doc)?.[1];
    assert.ok(block !== undefined, `no block for ${file}`);
    assert.equal(block, readFileSync(new URL(file, app), 'utf8').trimEnd(), `${file} differs from its block`);
  }
});
