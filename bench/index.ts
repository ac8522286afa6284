/**
 * `npm run bench`: every benchmark in turn, each in its own process so one
 * cannot warm up or disturb another. Prints µs/op and ratios to the floors.
 * The library is imported by package name, so the benchmarks measure the built
 * dist/ as users run it (npm run bench builds first), not tsx-transpiled
 * sources, whose helpers add cost to every closure.
 */
import { spawnSync } from 'node:child_process';

// bench/http.ts is apart (npm run bench:http): it needs wrk and runs for about three minutes.
const scripts = ['core.ts', 'web.ts', 'session.ts', 'cookie.ts'];
for (const script of scripts) {
  const url = new URL(script, import.meta.url);
  console.log(`\n=== bench/${script} ===`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', url.pathname], { stdio: 'inherit' });
  if (result.status !== 0) process.exitCode = 1;
}
console.log('\nHTTP, servers under wrk against the peers: npm run bench:http (docs/performance.md)');
