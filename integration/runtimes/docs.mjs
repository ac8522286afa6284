/**
 * docs/runtimes.md's runtime table, from what runtimes.test.mjs ran (.results/runtimes.json).
 *
 *   node docs.mjs      rewrites the table from the last run (`npm run docs`)
 *
 * The test checks the table against its own run: the same runtimes, versions, builds and adapters
 * (the system's Node and Debian's Chromium by major version, as they are not pinned here). The µs
 * figures are this machine's and change from run to run, so they are written, not compared.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const RESULTS_FILE = fileURLToPath(new URL('.results/runtimes.json', import.meta.url));
export const DOCS_FILE = fileURLToPath(new URL('../../docs/runtimes.md', import.meta.url));
const START = '<!-- runtimes:start (written by integration/runtimes: npm run docs) -->';
const END = '<!-- runtimes:end -->';
/** Not pinned by this suite's lockfile: the machine's own. */
const SYSTEM = new Set(['node-system', 'chromium']);
const ORDER = ['node-system', 'node22', 'node24', 'bun', 'deno', 'workerd', 'chromium'];

const major = (version) => String(version).split('.')[0];
const cells = (row) => [row.runtime, row.version, row.build, row.adapter];

function tableRows(markdown) {
  const start = markdown.indexOf(START);
  const end = markdown.indexOf(END);
  if (start === -1 || end < start) return null;
  return markdown
    .slice(start + START.length, end)
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| runtime ') && !line.startsWith('|-'))
    .map((line) => line.slice(2, -2).split(' | ').map((cell) => cell.replaceAll('`', '')));
}

/** What differs between docs/runtimes.md and a run's rows; empty when they agree. */
export function checkDocs(rows) {
  const documented = tableRows(readFileSync(DOCS_FILE, 'utf8'));
  if (documented === null) return [`${DOCS_FILE} has no ${START} … ${END} table`];
  const problems = [];
  const keys = ORDER.filter((key) => rows[key]);
  if (documented.length !== keys.length) problems.push(`the table has ${documented.length} rows, the run tested ${keys.length} runtimes`);
  for (const key of keys) {
    const [runtime, version, build, adapter] = cells(rows[key]);
    const row = documented.find((r) => r[0] === runtime && major(r[1]) === major(version));
    if (!row) problems.push(`no row for ${runtime} ${version}`);
    else if ((!SYSTEM.has(key) && row[1] !== version) || row[2] !== build || row[3] !== adapter) {
      problems.push(`${runtime}: documented ${row.slice(0, 4).join(' / ')}, ran ${[runtime, version, build, adapter].join(' / ')}`);
    }
  }
  return problems;
}

const us = (value) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));

export function renderTable({ measuredAt, runs, batches, rows }) {
  const lines = [
    START,
    '| runtime | version | build | end-to-end adapter | seal µs | unseal µs |',
    '|---|---|---|---|---:|---:|',
    ...ORDER.filter((key) => rows[key]).map((key) => {
      const row = rows[key];
      return `| ${row.runtime} | ${row.version} | \`${row.build}\` | ${row.adapter} | ${us(row.sealUs)} | ${us(row.unsealUs)} |`;
    }),
    '',
    `This machine's figures: measured by the last run of the suite, on ${measuredAt.slice(0, 10)}, on a 2-core machine shared with other jobs, so compare rows only roughly. The typical 5-entry session through the public async \`seal\`/\`unseal\`, in the same run as the checks: the fastest of ${batches} batches of ${runs} operations, after a warm-up. workerd's figure is timed from outside the Worker (its clock stands still between I/O): a batch's request less an empty request's.`,
    END,
  ];
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = JSON.parse(readFileSync(RESULTS_FILE, 'utf8'));
  const markdown = readFileSync(DOCS_FILE, 'utf8');
  const start = markdown.indexOf(START);
  const end = markdown.indexOf(END);
  if (start === -1 || end < start) throw new Error(`${DOCS_FILE} has no ${START} … ${END} table`);
  writeFileSync(DOCS_FILE, markdown.slice(0, start) + renderTable(results) + markdown.slice(end + END.length));
  console.log(`wrote the runtime table of ${DOCS_FILE}`);
}
