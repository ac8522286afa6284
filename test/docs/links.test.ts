/**
 * Every relative link in the user-facing Markdown (README.md, CONTRIBUTING.md, CHANGELOG.md and
 * docs/**\/*.md) leads somewhere: the file or folder exists, and a `#fragment` names a heading of
 * the page it points to (GitHub's heading ids: lower case, punctuation dropped, spaces as hyphens).
 * And no page names Kocha: issue 10 keeps the docs free of a project users never meet.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

function pages(): string[] {
  const files = ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md'];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) files.push(path);
    }
  };
  if (existsSync(join(root, 'docs'))) walk('docs');
  return files;
}

/** Markdown without fenced blocks and inline code, where link syntax is not a link. */
function prose(markdown: string): string {
  return markdown.replace(/^(\s*)(`{3,}|~{3,})[\s\S]*?^\1\2[`~]*\s*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's id for a heading. */
function slug(heading: string): string {
  return heading
    .replace(/`/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(file: string): Set<string> {
  const text = readFileSync(join(root, file), 'utf8').replace(/^(\s*)(`{3,}|~{3,})[\s\S]*?^\1\2[`~]*\s*$/gm, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)].map((m) => slug(m[1]!)));
}

test('GitHub heading ids as the link check computes them', () => {
  assert.equal(slug('The core by hand, in a Worker'), 'the-core-by-hand-in-a-worker');
  assert.equal(slug('`attachSession`: for a router of your own'), 'attachsession-for-a-router-of-your-own');
  assert.equal(slug('Fetch API: Workers, Deno, Bun'), 'fetch-api-workers-deno-bun');
});

test('every relative link in README.md, CONTRIBUTING.md, CHANGELOG.md and docs/ resolves', () => {
  const broken: string[] = [];
  for (const page of pages()) {
    const text = prose(readFileSync(join(root, page), 'utf8'));
    for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const href = match[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(href)) continue; // https:, mailto:
      const [path, fragment] = href.split('#') as [string, string | undefined];
      const target = path === '' ? page : normalize(join(dirname(page), path)).replace(/\/$/, '');
      if (relative(root, join(root, target)).startsWith('..')) {
        broken.push(`${page}: ${href} leaves the repository`);
        continue;
      }
      if (!existsSync(join(root, target))) {
        broken.push(`${page}: ${href} (${target} does not exist)`);
        continue;
      }
      if (
        fragment !== undefined &&
        target.endsWith('.md') &&
        statSync(join(root, target)).isFile() &&
        !anchors(target).has(fragment)
      ) {
        broken.push(`${page}: ${href} (no heading #${fragment} in ${target})`);
      }
    }
  }
  assert.deepEqual(broken, []);
});

test('no user-facing page names Kocha, the internal model the design started from (users never need it)', () => {
  const named = pages().filter((page) => /kocha/i.test(readFileSync(join(root, page), 'utf8')));
  assert.deepEqual(named, []);
});
