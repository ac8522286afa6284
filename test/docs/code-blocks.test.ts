/**
 * The ```ts blocks of docs/features.md and docs/migration/*.md are complete consumer code that
 * type-checks: each is written out as its own module inside the package (so 'sealed-session'
 * resolves to the source) and compiled with tsc. A block that augments SessionData is compiled on
 * its own: its declaration would type every other block's sessions.
 * (docs/frameworks/*.md are the integration apps' files, compiled by their own builds.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const tsc = new URL('node_modules/typescript/bin/tsc', root).pathname;
const PAGES = ['docs/features.md', ...readdirSync(new URL('docs/migration/', root)).map((file) => `docs/migration/${file}`)];

function blocksOf(page: string): string[] {
  const text = readFileSync(new URL(page, root), 'utf8');
  return [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
}

test('every docs page of this folder set has ts blocks, and each type-checks', () => {
  const dir = new URL(`test/docs/.blocks-${process.pid}/`, root);
  mkdirSync(dir, { recursive: true });
  try {
    const groups: string[][] = [[]];
    for (const page of PAGES) {
      const blocks = blocksOf(page);
      assert.ok(blocks.length > 0, `${page} has no ts block`);
      blocks.forEach((block, i) => {
        const file = `${page.replace(/[/.]/g, '_')}_${i}.ts`;
        writeFileSync(new URL(file, dir), block);
        if (block.includes("declare module 'sealed-session'")) groups.push([file]);
        else groups[0]!.push(file);
      });
    }
    groups.forEach((files, i) => {
      const project = new URL(`tsconfig.${i}.json`, dir);
      writeFileSync(project, JSON.stringify({ extends: '../../../tsconfig.json', compilerOptions: { noEmit: true, rootDir: '../../..' }, files }));
      const result = spawnSync(process.execPath, [tsc, '-p', project.pathname], { encoding: 'utf8' });
      assert.equal(result.status, 0, `${files.join(', ')}:\n${result.stdout}${result.stderr}`);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
