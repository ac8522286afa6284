/**
 * A tiny benchmark harness: warm up, then time batches and report the median
 * µs per operation (the median resists the odd GC pause or scheduler hiccup).
 * No timing thresholds live anywhere near the tests; this only prints.
 */

export interface Timing {
  readonly name: string;
  /** The median over batches. */
  readonly microseconds: number;
  /** µs/op of each batch, in the order batches ran (absent for derived rows). */
  readonly batches?: readonly number[];
}

const BATCHES = 21;
const BATCH_MS = Number(process.env.BENCH_BATCH_MS ?? 40);

export function timeSync(name: string, fn: () => unknown): Timing {
  const perBatch = calibrate(fn);
  const samples: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const start = performance.now();
    for (let i = 0; i < perBatch; i++) fn();
    samples.push(((performance.now() - start) * 1000) / perBatch);
  }
  return { name, microseconds: median(samples) };
}

export async function timeAsync(name: string, fn: () => Promise<unknown>): Promise<Timing> {
  const [timing] = await timeAlternatingAsync([[name, fn]]);
  return timing!;
}

/**
 * Times a subject and its floor in alternating batches, so that both see the same
 * machine state (frequency scaling, other processes) and their ratio is stable.
 */
export function timePairSync(
  floorName: string,
  floor: () => unknown,
  name: string,
  fn: () => unknown,
): [Timing, Timing] {
  const floorPerBatch = calibrate(floor);
  const perBatch = calibrate(fn);
  const floorSamples: number[] = [];
  const samples: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    let start = performance.now();
    for (let i = 0; i < floorPerBatch; i++) floor();
    floorSamples.push(((performance.now() - start) * 1000) / floorPerBatch);
    start = performance.now();
    for (let i = 0; i < perBatch; i++) fn();
    samples.push(((performance.now() - start) * 1000) / perBatch);
  }
  return [
    { name: floorName, microseconds: median(floorSamples), batches: floorSamples },
    { name, microseconds: median(samples), batches: samples },
  ];
}

function calibrate(fn: () => unknown): number {
  let n = 1;
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < n; i++) fn();
    if (performance.now() - start >= BATCH_MS / 4) return n * 4;
    n *= 2;
  }
}

/**
 * A subject's cost relative to its floor: the median of the ratios of batches run side by side.
 * This machine's speed drifts by a third over seconds; each pair of batches ran within the same
 * 100 ms, so their ratio cancels the drift that a ratio of two medians would keep.
 */
export function ratioTo(timing: Timing, floor: Timing): number {
  const subject = timing.batches;
  const base = floor.batches;
  if (subject === undefined || base === undefined || subject.length !== base.length)
    return timing.microseconds / floor.microseconds;
  return median(subject.map((us, i) => us / base[i]!));
}

/** The middle value (the upper one of an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

/** Prints a table: µs/op and, for each row, the ratio to its floor. */
export function report(title: string, rows: ReadonlyArray<{ timing: Timing; floor?: Timing; target?: number }>): void {
  console.log(`\n${title}`);
  for (const { timing, floor, target } of rows) {
    const us = timing.microseconds.toFixed(2).padStart(9);
    let line = `  ${timing.name.padEnd(44)} ${us} µs/op`;
    if (floor !== undefined) {
      const ratio = ratioTo(timing, floor);
      line += `   ${ratio.toFixed(2)}x floor`;
      if (target !== undefined) line += ` (target <= ${target.toFixed(1)}x: ${ratio <= target ? 'met' : 'NOT met'})`;
    }
    console.log(line);
  }
}

/** Throws unless `condition`: benchmarks cross-check their outputs before timing anything. */
export function check(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(`benchmark self-check failed: ${what}`);
}

/**
 * timePairSync for asynchronous operations, and for more than two: every function
 * in turn, batch after batch, each call awaited before the next (latency per
 * operation, as a request sees it). Ratios between the results are stable because
 * all of them see the same machine state.
 */
export async function timeAlternatingAsync<
  const S extends ReadonlyArray<readonly [name: string, fn: () => Promise<unknown>]>,
>(subjects: S): Promise<{ -readonly [K in keyof S]: Timing }> {
  const perBatch: number[] = [];
  for (const [, fn] of subjects) perBatch.push(await calibrateAsync(fn));
  const samples: number[][] = subjects.map(() => []);
  for (let b = 0; b < BATCHES; b++) {
    for (let s = 0; s < subjects.length; s++) {
      const fn = subjects[s]![1];
      const n = perBatch[s]!;
      const start = performance.now();
      for (let i = 0; i < n; i++) await fn();
      samples[s]!.push(((performance.now() - start) * 1000) / n);
    }
  }
  // One timing per subject, in order: a tuple of subjects gives a tuple of timings.
  return subjects.map(([name], s) => ({ name, microseconds: median(samples[s]!), batches: samples[s]! })) as {
    -readonly [K in keyof S]: Timing;
  };
}

async function calibrateAsync(fn: () => Promise<unknown>): Promise<number> {
  let n = 1;
  for (;;) {
    const start = performance.now();
    for (let i = 0; i < n; i++) await fn();
    if (performance.now() - start >= BATCH_MS / 4) return n * 4;
    n *= 2;
  }
}
