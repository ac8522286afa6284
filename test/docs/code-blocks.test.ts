/**
 * Every code block in README.md and docs/**\/*.md is checked as a user would meet it: each fenced
 * block tagged ts, typescript, mts, tsx, js, javascript, mjs or jsx becomes one module of a
 * throwaway consumer project whose node_modules holds this package (its built dist/, through its
 * `exports`, exactly as a user's import resolves it) beside the frameworks it shows, and the whole
 * project is type-checked by tsc with `strict`. A page needs no registration: every *.md under
 * docs/ is found. Blocks tagged anything else (sh, text, json, nginx, …) are not code.
 *
 * A failure names the Markdown file and the line in it, e.g. `docs/api.md:42:7 TS2304: Cannot find
 * name 'keys'`: a block must be complete code, with its imports.
 *
 * One exception: a block that shows a file of an app the tests build and run (an integration
 * suite's Next.js or SvelteKit app, whose imports resolve only inside that suite) is preceded by
 * `<!-- file: integration/<suite>/<path> -->`, with only blank lines or headings between it and
 * the fence. It is then not type-checked here: it must equal that file, which its own suite
 * compiles and runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

const CODE_LANGUAGES: Readonly<Record<string, string>> = {
  ts: '.ts',
  typescript: '.ts',
  mts: '.ts',
  tsx: '.tsx',
  js: '.js',
  javascript: '.js',
  mjs: '.js',
  jsx: '.jsx',
};

interface CodeBlock {
  /** The Markdown file, relative to the repository root. */
  readonly file: string;
  /** 1-based line of the block's first code line in that file. */
  readonly line: number;
  /** Columns of indentation removed from every line (a block inside a list item). */
  readonly indent: number;
  readonly language: string;
  readonly code: string;
  /** The repository file this block shows verbatim, from a `<!-- file: path -->` line before the fence. */
  readonly shows?: string;
}

/** The Markdown files whose code is checked: README.md and every *.md under docs/, sorted. */
function markdownFiles(): string[] {
  const files = ['README.md'];
  const walk = (dir: string): void => {
    if (!existsSync(join(root, dir))) return;
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) files.push(path);
    }
  };
  walk('docs');
  return files.sort();
}

/**
 * The fenced blocks of a Markdown text (CommonMark: ``` or ~~~, three or more, possibly indented
 * inside a list item; the indentation of the opening fence is removed from every line). A
 * `<!-- file: path -->` line applies to the next fence when only blank lines and headings
 * (such as "### `app/page.tsx`") stand between them.
 */
function extractBlocks(file: string, markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  let shows: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]!);
    if (open === null) {
      const marker = /^\s*<!--\s*file:\s*(\S+)\s*-->\s*$/.exec(lines[i]!)?.[1];
      if (marker !== undefined) shows = marker;
      else if (lines[i]!.trim() !== '' && !/^#{1,6}\s/.test(lines[i]!)) shows = undefined;
      continue;
    }
    const [, indent, fence, info] = open as unknown as [string, string, string, string];
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      if (line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, '') === '') break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
    }
    const block = { file, line: i + 2, indent: indent.length, language: info.toLowerCase(), code: body.join('\n') };
    blocks.push(shows === undefined ? block : { ...block, shows });
    shows = undefined;
    i = j;
  }
  return blocks;
}

const allBlocks = markdownFiles().flatMap((file) => extractBlocks(file, readFileSync(join(root, file), 'utf8')));
const codeBlocks = allBlocks.filter((block) => block.language in CODE_LANGUAGES && block.shows === undefined);
const fileBlocks = allBlocks.filter((block) => block.shows !== undefined);

test('the extractor finds fences with their lines, indented ones included, and no other text', () => {
  const markdown = [
    '# t',
    '```ts',
    'const a = 1;',
    '```',
    'text',
    '- item',
    '',
    '  ```sh',
    '  echo hi',
    '  ```',
    '````js',
    'x()',
    '````',
  ].join('\n');
  assert.deepEqual(extractBlocks('x.md', markdown), [
    { file: 'x.md', line: 3, indent: 0, language: 'ts', code: 'const a = 1;' },
    { file: 'x.md', line: 9, indent: 2, language: 'sh', code: 'echo hi' },
    { file: 'x.md', line: 12, indent: 0, language: 'js', code: 'x()' },
  ]);
});

test('the extractor reads a `<!-- file: path -->` line as the file the next block shows, across blank lines and headings only', () => {
  const markdown = [
    '<!-- file: integration/app/page.ts -->',
    '### `page.ts`',
    '',
    '```ts',
    'export {};',
    '```',
    '<!-- file: a.ts -->',
    'Some prose.',
    '```ts',
    'x;',
    '```',
    '```ts',
    'y;',
    '```',
  ].join('\n');
  assert.deepEqual(extractBlocks('x.md', markdown), [
    { file: 'x.md', line: 5, indent: 0, language: 'ts', code: 'export {};', shows: 'integration/app/page.ts' },
    { file: 'x.md', line: 10, indent: 0, language: 'ts', code: 'x;' },
    { file: 'x.md', line: 13, indent: 0, language: 'ts', code: 'y;' },
  ]);
});

test('every block marked `<!-- file: path -->` equals that file', () => {
  for (const block of fileBlocks) {
    const where = `${block.file}:${block.line}`;
    const path = join(root, block.shows!);
    assert.ok(!relative(root, path).startsWith('..'), `${where}: ${block.shows} is outside the repository`);
    assert.ok(existsSync(path), `${where}: the block shows ${block.shows}, which does not exist`);
    assert.equal(
      block.code.trimEnd(),
      readFileSync(path, 'utf8').trimEnd(),
      `${where}: the block differs from ${block.shows}`,
    );
  }
});

test('README.md and the docs pages hold code blocks to check', () => {
  assert.ok(
    codeBlocks.some((block) => block.file === 'README.md'),
    'no ts block in README.md',
  );
  assert.ok(
    codeBlocks.some((block) => block.file.startsWith('docs/')),
    'no ts block under docs/',
  );
});

/**
 * Type-checks `blocks` as the modules of one throwaway consumer project; returns tsc's diagnostics
 * mapped back to the Markdown (file.md:line:col), or '' when the project type-checks.
 */
function typeCheck(blocks: readonly CodeBlock[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'docs-code-blocks-'));
  try {
    // node_modules: this package under its own name (resolved through its `exports`, as a user's
    // import is), beside every installed package the pages may show (frameworks, @types).
    const modules = join(dir, 'node_modules');
    mkdirSync(modules);
    symlinkSync(root, join(modules, 'sealed-session'), 'dir');
    for (const entry of readdirSync(join(root, 'node_modules'))) {
      if (entry.startsWith('.') || entry === 'sealed-session') continue;
      symlinkSync(join(root, 'node_modules', entry), join(modules, entry), 'dir');
    }
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'docs-consumer', private: true, type: 'module' }));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          moduleDetection: 'force', // each block is its own module: names never clash across blocks
          strict: true,
          noEmit: true,
          allowJs: true,
          checkJs: true,
          jsx: 'preserve',
          skipLibCheck: true,
          types: ['node'],
        },
        include: ['blocks'],
      }),
    );
    mkdirSync(join(dir, 'blocks'));
    const sources = new Map<string, CodeBlock>();
    blocks.forEach((block, index) => {
      const name = `block${String(index).padStart(3, '0')}${CODE_LANGUAGES[block.language]!}`;
      sources.set(name, block);
      writeFileSync(join(dir, 'blocks', name), block.code);
    });

    // The project's own TypeScript, by path: node_modules/.bin/tsc may be another installed copy.
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], { encoding: 'utf8', cwd: dir });
    if (result.status === 0) return '';
    const output = `${result.stdout}${result.stderr}`;
    // Map every diagnostic back to the Markdown: blocks/blockNNN.ts(line,col) -> file.md:line:col.
    return (
      output
        .replace(
          /(?:^|\n)blocks\/(block\d{3}\.[jt]sx?)\((\d+),(\d+)\)/g,
          (whole, name: string, line: string, col: string) => {
            const block = sources.get(name);
            if (block === undefined) return whole;
            return `\n${block.file}:${block.line + Number(line) - 1}:${block.indent + Number(col)} (${block.language} block at line ${block.line})`;
          },
        )
        .trim() || `tsc exited with ${result.status}`
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// A block that declares the app's session keys (`declare module 'sealed-session'`, docs/features.md)
// would type every other block's sessions in a shared project: each such block is checked alone.
const declaresKeys = (block: CodeBlock): boolean => /declare module ['"]sealed-session['"]/.test(block.code);

test('every code block in README.md and docs/**/*.md type-checks as consumer code', () => {
  assert.ok(existsSync(join(root, 'dist/index.d.ts')), 'dist/ is missing: run `npm run build` (npm test does)');
  const failures = [
    typeCheck(codeBlocks.filter((block) => !declaresKeys(block))),
    ...codeBlocks.filter(declaresKeys).map((block) => typeCheck([block])),
  ];
  assert.equal(failures.filter(Boolean).join('\n'), '', 'code blocks that do not type-check');
});
