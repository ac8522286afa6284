/**
 * sealed-session beside the libraries people compare it with, on the same samples in the same
 * run: token size (characters, and characters once the library's own cookie encoding is applied)
 * and µs per seal and per unseal, with the ratio of each peer to sealed-session's `seal`/`unseal`.
 *
 * Every peer runs with the options stated in its row (its defaults unless said otherwise), is
 * given its native input (a plain object; sealed-session takes a Map), and every token is opened
 * again and compared with the sample before anything is timed. Timings alternate between all
 * subjects batch after batch, so every row sees the same machine state; each call is awaited,
 * synchronous ones included, so all rows carry the same per-call overhead. Each row shows CPU time
 * per operation (the whole process, WebCrypto's worker threads included), which the load of other
 * processes on a shared machine disturbs far less than wall-clock time, and the wall-clock time.
 *
 * The peers are pinned devDependencies used only here; the published package depends on none.
 * Run: npm run bench:peers (add `-- --markdown` for Markdown tables)
 */
import { loadavg } from 'node:os';
import { check } from './harness.js';
import { SAMPLES, closePeers, entryBytes, sameEntries, subjects, type Subject } from './peer-subjects.js';

const pad = (text: string, width: number) => text.padEnd(width);
/** `npm run bench:peers -- --markdown` prints the tables as Markdown, as docs/comparison.md quotes them. */
const markdown = process.argv.includes('--markdown');

const BATCHES = 21;
const BATCH_MS = Number(process.env.BENCH_BATCH_MS ?? 40);

interface Measured {
  /** Median wall-clock µs per operation: the latency a request sees. */
  readonly wall: number;
  /** Median CPU µs per operation, of every thread of the process (WebCrypto's thread pool included). */
  readonly cpu: number;
  /** CPU µs per operation of each batch, in the order batches ran. */
  readonly cpuBatches: readonly number[];
}

/**
 * Every subject in turn, batch after batch, each call awaited. Besides wall-clock time it reads the
 * process's CPU time (process.cpuUsage: user + system, all threads), which other processes on a
 * shared machine disturb far less than the wall clock: that is the figure the ratios use.
 */
async function measure(fns: ReadonlyArray<() => Promise<unknown>>): Promise<Measured[]> {
  const perBatch: number[] = [];
  for (const fn of fns) {
    let n = 1;
    for (;;) {
      const start = performance.now();
      for (let i = 0; i < n; i++) await fn();
      if (performance.now() - start >= BATCH_MS / 4) break;
      n *= 2;
    }
    perBatch.push(n * 4);
  }
  const wall: number[][] = fns.map(() => []);
  const cpu: number[][] = fns.map(() => []);
  for (let b = 0; b < BATCHES; b++) {
    for (let s = 0; s < fns.length; s++) {
      const fn = fns[s]!;
      const n = perBatch[s]!;
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      for (let i = 0; i < n; i++) await fn();
      const elapsed = performance.now() - start;
      const used = process.cpuUsage(cpuStart);
      wall[s]!.push((elapsed * 1000) / n);
      cpu[s]!.push((used.user + used.system) / n);
    }
  }
  return fns.map((_, s) => ({ wall: median(wall[s]!), cpu: median(cpu[s]!), cpuBatches: cpu[s]! }));
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
/** The median of the batch-by-batch ratios: each pair of batches ran within the same ~100 ms. */
const ratio = (subject: Measured, base: Measured) =>
  median(subject.cpuBatches.map((us, i) => us / base.cpuBatches[i]!));

console.log(
  `Peers, same samples, same run. Node ${process.version} on ${process.platform}/${process.arch}, load average ${loadavg()[0]!.toFixed(1)} at the start.`,
);
console.log(
  "Token: characters of the value; cookie: characters after the library's own cookie encoding (encodeURIComponent).",
);
console.log(
  'CPU µs: CPU time of the whole process per operation (all threads); wall µs: elapsed time. Medians of 21 batches, each call awaited.',
);
console.log(
  'Ratios are to sealed-session seal/unseal (first row): size, and CPU µs (median of the batch-by-batch ratios).\n',
);
for (const subject of subjects) console.log(`  ${pad(subject.name, 40)} ${subject.options}`);

for (const [sampleName, data] of SAMPLES) {
  const entries = Object.fromEntries(data);
  console.log(
    `\n=== sample: ${sampleName}: ${data.size} entries, ${entryBytes(data)} bytes of names and values, ${JSON.stringify(entries).length} characters as JSON ===`,
  );

  // Cross-check before timing: every subject's token opens to the sample, and a tampered one does not.
  const tokens = new Map<Subject, string>();
  for (const subject of subjects) {
    const token = await subject.seal(data, { ...entries });
    check(sameEntries(data, await subject.unseal(token)), `${subject.name}: round trip on ${sampleName}`);
    const flipped = token.slice(0, 20) + (token[20] === 'A' ? 'B' : 'A') + token.slice(21);
    const tampered = await subject.unseal(flipped).catch(() => null);
    check(!sameEntries(data, tampered), `${subject.name}: a modified token still opened`);
    tokens.set(subject, token);
  }

  const sealTimes = await measure(subjects.map((s) => () => s.seal(data, { ...entries })));
  const unsealTimes = await measure(subjects.map((s) => () => s.unseal(tokens.get(s)!)));
  const ours = tokens.get(subjects[0]!)!;

  const rows = subjects.map((subject, i) => {
    const token = tokens.get(subject)!;
    const sealT = sealTimes[i]!;
    const unsealT = unsealTimes[i]!;
    return [
      subject.name,
      String(token.length),
      String(encodeURIComponent(token).length),
      `${(token.length / ours.length).toFixed(2)}x`,
      sealT.cpu.toFixed(1),
      `${ratio(sealT, sealTimes[0]!).toFixed(2)}x`,
      sealT.wall.toFixed(1),
      unsealT.cpu.toFixed(1),
      `${ratio(unsealT, unsealTimes[0]!).toFixed(2)}x`,
      unsealT.wall.toFixed(1),
    ];
  });
  const header = [
    '',
    'token',
    'cookie',
    'size',
    'seal CPU µs',
    'ratio',
    'seal wall µs',
    'unseal CPU µs',
    'ratio',
    'unseal wall µs',
  ];
  if (markdown) {
    console.log(
      `\n| ${['library (options above)', ...header.slice(1)].join(' | ')} |\n|${header.map((_, i) => (i === 0 ? '---' : '--:')).join('|')}|`,
    );
    for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  } else {
    const widths = [40, 6, 6, 6, 11, 6, 12, 13, 6, 14];
    for (const row of [header, ...rows])
      console.log(
        `  ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}`,
      );
  }
}

console.log(`\nLoad average ${loadavg()[0]!.toFixed(1)} at the end.`);
await closePeers();
