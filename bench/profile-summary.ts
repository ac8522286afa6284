/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, as bench/http.ts writes with
 * BENCH_HTTP_PROFILE): the functions with the most self time, and the self time by where the code
 * lives (this library's dist/, each package under node_modules, Node's internals, native/GC).
 * Run: node bench/profile-summary.ts <file.cpuprofile> [top=25]   (or tsx on Node 20)
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (file === undefined) throw new TypeError('usage: profile-summary <file.cpuprofile> [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

function place(url: string): string {
  if (url === '') return '(native, GC, idle)';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg !== null) return pkg[1]!;
  if (url.includes('/dist/')) return 'sealed-session (dist)';
  return url.replace(/^file:\/\/.*\//, '');
}

const byFunction = new Map<string, number>();
const byPlace = new Map<string, number>();
for (const [id, us] of selfUs) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const key = `${functionName || '(anonymous)'} ${place(url)}${url === '' ? '' : `:${lineNumber + 1}`}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  byPlace.set(place(url), (byPlace.get(place(url)) ?? 0) + us);
}
const percent = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled`);
console.log('self time by place:');
for (const [name, us] of [...byPlace].sort((a, b) => b[1] - a[1]).slice(0, 12))
  console.log(`  ${percent(us)}  ${name}`);
console.log('hottest functions (self time):');
for (const [name, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 25)))
  console.log(`  ${percent(us)}  ${name}`);
