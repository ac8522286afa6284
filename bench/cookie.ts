/**
 * Cookie grammar benchmark: `npx tsx bench/cookie.ts`
 *
 * Fixed inputs: a typical 11-cookie header, 100k ";" and a 1 MB value (the pathological cases that
 * expose quadratic scanning), and a Set-Cookie with every attribute. Outputs are checked before any
 * timing. The floor is one `indexOf(';')` pass over the same header: the least any parser must do.
 * No dependencies; numbers are indicative only (no warm-up control beyond a fixed warm-up loop).
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { parseCookie, serializeSetCookie, type SetCookieAttributes } from '../dist/session/cookie.js';

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

const SESSION = 'djEuZXlKMklqb3hmUS5hR1ZzYkc4LWQyOXliR1JmWDE5ZlgxOWZYMTlmWDE5ZlgxOWZYMTlm';
const TYPICAL = [
  `__Host-sid=${SESSION}`,
  '_ga=GA1.2.1234567890.1700000000',
  '_gid=GA1.2.987654321.1700000000',
  'theme=dark',
  'lang=en-GB',
  'consent="analytics:1|ads:0"',
  'csrf=Zm9vYmFyYmF6cXV4',
  'ab_test=variant-b',
  'tz=Europe%2FLondon',
  'seen_banner=1',
  'last_visit=1700000000',
].join('; ');
const SEMICOLONS = ';'.repeat(100_000);
// With a pair at the end, every ";" is a (skipped) pair: the case that is quadratic in naive parsers.
const SEMICOLONS_THEN_PAIR = `${SEMICOLONS}a=b`;
const MB_VALUE = 'v'.repeat(1 << 20);
const MB_HEADER = `big=${MB_VALUE}; after=1`;
const ALL_ATTRIBUTES: SetCookieAttributes = Object.freeze({
  maxAge: 3600,
  expires: new Date(Date.UTC(2030, 0, 2, 3, 4, 5)),
  domain: 'example.com',
  path: '/app',
  secure: true,
  httpOnly: true,
  sameSite: 'none',
  partitioned: true,
});

// ---------------------------------------------------------------------------------------------
// Cross-check outputs before timing
// ---------------------------------------------------------------------------------------------

{
  const typical = parseCookie(TYPICAL);
  assert.equal(typical.size, 11);
  assert.equal(typical.get('__Host-sid'), SESSION);
  assert.equal(typical.get('consent'), 'analytics:1|ads:0');
  assert.equal(typical.get('tz'), 'Europe%2FLondon');

  assert.equal(parseCookie(SEMICOLONS).size, 0);
  assert.deepEqual([...parseCookie(SEMICOLONS_THEN_PAIR)], [['a', 'b']]);

  const big = parseCookie(MB_HEADER);
  assert.equal(big.get('big'), MB_VALUE);
  assert.equal(big.get('after'), '1');

  assert.equal(
    serializeSetCookie('__Secure-sid', SESSION, ALL_ATTRIBUTES),
    `__Secure-sid=${SESSION}; Max-Age=3600; Expires=Wed, 02 Jan 2030 03:04:05 GMT; Domain=example.com; ` +
      'Path=/app; Secure; HttpOnly; SameSite=None; Partitioned',
  );
}

// ---------------------------------------------------------------------------------------------
// Timing
// ---------------------------------------------------------------------------------------------

/** Keeps results observable so the work is not optimized away. */
let sink = 0;

/** Microseconds per call of `fn`, measured over at least `minMs` after a short warm-up. */
function time(fn: () => number, minMs = 300): number {
  for (let i = 0; i < 20; i++) sink += fn();
  let iterations = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < 10; i++) sink += fn();
    iterations += 10;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  return (elapsed * 1000) / iterations;
}

/** The floor: one linear scan for ";" over the header. */
function countSemicolons(header: string): number {
  let count = 0;
  for (let i = header.indexOf(';'); i !== -1; i = header.indexOf(';', i + 1)) count++;
  return count;
}

const rows: Array<[string, number, number | undefined]> = [];
const parseCase = (label: string, header: string) => {
  const parse = time(() => parseCookie(header).size);
  const floor = time(() => countSemicolons(header));
  rows.push([`parseCookie: ${label}`, parse, floor]);
};

parseCase(`typical, 11 cookies (${TYPICAL.length} chars)`, TYPICAL);
parseCase('100,000 ";"', SEMICOLONS);
parseCase('100,000 ";" then a=b', SEMICOLONS_THEN_PAIR);
parseCase('1 MB value', MB_HEADER);
rows.push([
  'serializeSetCookie: all attributes',
  time(() => serializeSetCookie('__Secure-sid', SESSION, ALL_ATTRIBUTES).length),
  undefined,
]);

const width = Math.max(...rows.map(([label]) => label.length));
console.log(`${'case'.padEnd(width)}  ${'µs/op'.padStart(10)}  ${'floor µs/op'.padStart(12)}  ratio`);
for (const [label, us, floor] of rows) {
  const floorText = floor === undefined ? '' : floor.toFixed(3).padStart(12);
  const ratio = floor === undefined ? '' : `${(us / floor).toFixed(1)}x`;
  console.log(`${label.padEnd(width)}  ${us.toFixed(3).padStart(10)}  ${floorText.padStart(12)}  ${ratio}`);
}
if (sink === -1) console.log(sink); // never true; keeps `sink` live
