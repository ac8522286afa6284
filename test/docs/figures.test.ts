/**
 * The token sizes the README and docs/comparison.md quote are the ones bench/peers.ts measures:
 * this seals each sample with the very subjects of that benchmark (sealed-session and each pinned
 * peer, with the options stated there) and looks for each size in the row that names the subject.
 * Sizes are exact for a given sample (every random part of every format has a fixed length), so
 * this never depends on the machine; the µs figures are not checked, only printed by the script.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SAMPLES, closePeers, sameEntries, subjects } from '../../bench/peer-subjects.js';

after(closePeers);

const root = new URL('../../', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');

/** The token length of every subject for every sample, after a round trip proves the token. */
async function measure(): Promise<Map<string, Map<string, number>>> {
  const sizes = new Map<string, Map<string, number>>();
  for (const [sample, data] of SAMPLES) {
    const bySubject = new Map<string, number>();
    for (const subject of subjects) {
      const token = await subject.seal(data, Object.fromEntries(data));
      assert.ok(sameEntries(data, await subject.unseal(token)), `${subject.name} does not round-trip ${sample}`);
      bySubject.set(subject.name, token.length);
    }
    sizes.set(sample, bySubject);
  }
  return sizes;
}

/** The cells of the first table row, after `from`, whose first cell starts with `name`. */
function row(markdown: string, name: string, from = 0): string[] {
  const line = markdown
    .slice(from)
    .split('\n')
    .find((text) => text.startsWith(`| ${name}`));
  assert.ok(line !== undefined, `no table row for ${name}`);
  return line
    .split('|')
    .slice(1, -1)
    .map((cell) => cell.trim());
}

test('the README quotes the token sizes bench/peers.ts measures on the 5-entry sample', async () => {
  const readme = read('README.md');
  const sizes = (await measure()).get(SAMPLES[0][0])!;
  for (const [name, size] of sizes) assert.equal(row(readme, name)[1], String(size), `README row "${name}"`);

  const ours = sizes.get(subjects[0]!.name)!;
  const peers = [...sizes]
    .filter(([name]) => !name.startsWith('sealed-session') && !name.startsWith('floor'))
    .map(([, size]) => size);
  assert.match(readme, new RegExp(`seals to ${ours} characters`));
  assert.match(readme, new RegExp(`need ${Math.min(...peers)} to ${Math.max(...peers)} for the same data`));
});

test('the README and docs/comparison.md quote the sizes of the realistic ~1 KB sample', async () => {
  const measured = await measure();
  const [sampleName] = SAMPLES[1];
  const sizes = measured.get(sampleName)!;
  const ours = sizes.get(subjects[0]!.name)!;
  const ratios = [...sizes]
    .filter(([name]) => !name.startsWith('sealed-session') && !name.startsWith('floor'))
    .map(([, size]) => size / ours);
  const readme = read('README.md');
  assert.match(
    readme,
    new RegExp(
      `${Math.min(...ratios).toFixed(2)}x to ${Math.max(...ratios).toFixed(2)}x the size of sealed-session's ${ours}`,
    ),
  );

  const comparison = read('docs/comparison.md');
  for (const [sample, bySubject] of measured) {
    const section = comparison.indexOf(`sample: ${sample}`);
    assert.ok(section >= 0, `docs/comparison.md has no section for "${sample}"`);
    for (const [name, size] of bySubject)
      assert.equal(row(comparison, name, section)[1], String(size), `docs/comparison.md, ${sample}, row "${name}"`);
  }
});
