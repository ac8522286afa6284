/**
 * One write request's library work on this build beside another build's, in one process: a
 * readSession of the Cookie header a browser sends (the sample session among 10 other cookies), a
 * change, and a commitSession. In alternating batches of CPU time (process.cpuUsage), it prints each
 * build's median µs per write and the median of the per-batch ratios, this build ÷ the other.
 *   follow  (the default) each request carries the cookie the last one was sent, as a browser does
 *   repeat  every request carries the first cookie (a client that keeps no cookies)
 * Beside itself (the other build a copy of this one) it measures this machine's noise.
 * Run: npm run build && npx tsx --tsconfig tsconfig.bench.json bench/write-ab.ts <other checkout, built> [follow|repeat]
 */
import { pathToFileURL } from 'node:url';
import * as here from 'sealed-session';
import { cookieHeader, SAMPLE_SESSION } from './fixtures.js';
import { check, median } from './harness.js';

const [otherDir, mode = 'follow'] = process.argv.slice(2);
if (otherDir === undefined || (mode !== 'follow' && mode !== 'repeat'))
  throw new TypeError('usage: write-ab.ts <other checkout, built> [follow|repeat]');
const ROUNDS = 120;
const WARM_UP = 6;
const PER_BATCH = 2000;

type Api = Pick<typeof here, 'createKeyring' | 'generateKey' | 'defineSession' | 'readSession' | 'commitSession'>;
const other = (await import(pathToFileURL(`${otherDir}/dist/index.js`).href)) as Api;
const headerWith = (line: string) => cookieHeader(line.split(';')[0]!);
// Values made up front: a number turned into a string per write would sit in V8's number-string cache.
const values = Array.from({ length: 1000 }, (_, i) => `v${i}`);

/** A batch of PER_BATCH writes on `api`, keeping its own cookie between batches. */
async function writer(api: Api): Promise<() => Promise<void>> {
  const config = api.defineSession({ name: 'sid', keys: api.createKeyring(api.generateKey()) });
  const first = await api.readSession(undefined, config);
  for (const [name, value] of SAMPLE_SESSION) first.session.set(name, value);
  const [line] = await api.commitSession(first, config);
  check(line !== undefined, 'the first write sends a cookie');
  let cookie = headerWith(line);
  let n = 0;
  return async () => {
    for (let i = 0; i < PER_BATCH; i++) {
      const state = await api.readSession(cookie, config);
      state.session.set('lastSeen', values[n++ % values.length]!);
      const [next] = await api.commitSession(state, config);
      if (mode === 'follow') cookie = headerWith(next!);
    }
  };
}

const batches = [await writer(here), await writer(other)] as const;
const times: [number[], number[]] = [[], []];
for (let round = 0; round < WARM_UP + ROUNDS; round++) {
  for (const which of round % 2 === 0 ? [0, 1] : [1, 0]) {
    const start = process.cpuUsage();
    await batches[which]!();
    const { user, system } = process.cpuUsage(start);
    if (round >= WARM_UP) times[which]!.push((user + system) / PER_BATCH);
  }
}
const ratios = times[0].map((time, i) => time / times[1][i]!);
console.log(
  `${mode}: this build ${median(times[0]).toFixed(2)} µs per write, the other ${median(times[1]).toFixed(2)} µs; ` +
    `this ÷ other ${median(ratios).toFixed(3)} (median of ${ROUNDS} batch pairs, ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`,
);
