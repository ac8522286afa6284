import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  commitSession,
  defineSession,
  readSession,
  type SessionConfig,
  type SessionInvalidReason,
  type SessionStore,
} from '../../src/index.js';
import { precomputedOf, configFor, COOKIE_BUDGET, MAX_CHUNKS, type SessionOptions } from '../../src/session/options.js';
import { PLAIN, sessionCookies } from '../../src/session/chunks.js';
import { parseCookie } from '../../src/session/cookie.js';
import { assertError, clock, deletedNames, Jar, keys, setNames } from './helpers.js';

/**
 * A test store whose cookie value is the session's `v` entry itself, so a test can ask for a value
 * of any exact length. Unauthenticated: for layout tests only.
 */
const rawStore: SessionStore = {
  save: (data) => data.get('v') ?? 'empty',
  load: (value) => ({ ok: true, data: new Map([['v', value]]) }),
};

/**
 * Layout tests run as on a server whose request-head limit is 32 KiB (node --max-http-header-size=32768),
 * so that five full chunks (20 KiB) are a valid configuration; the limit itself is tested in options.test.ts.
 */
const LARGE_HEAD = () => 32768;
const LARGE_MAX_SIZE = 32768 - 4096;

function rawConfig(extra: Partial<SessionOptions> = {}) {
  const reasons: SessionInvalidReason[] = [];
  const config = configFor(
    {
      name: '__Host-s',
      store: rawStore,
      rolling: false,
      maxSize: LARGE_MAX_SIZE,
      onInvalid: (r) => void reasons.push(r),
      ...extra,
    },
    undefined,
    LARGE_HEAD,
  );
  return { config, reasons };
}

/**
 * The largest value `config` can carry (within maxChunks and maxSize), and the one-cookie capacity.
 * `fits` restates the documented rule: `Set-Cookie: ` + line + CRLF for every cookie, within maxSize.
 */
function limits(config: SessionConfig) {
  const { plainCapacity, chunkCapacity, lineBytes } = precomputedOf(config);
  const fits = (length: number) => {
    if (length <= plainCapacity) return length + lineBytes <= config.maxSize;
    const count = Math.ceil((length + 2) / chunkCapacity);
    return count <= config.maxChunks && length + 2 + count * (lineBytes + 2) <= config.maxSize;
  };
  let limit = 0;
  for (let step = 1 << 15; step > 0; step >>= 1) if (fits(limit + step)) limit += step;
  return { plainCapacity, chunkCapacity, limit };
}

/** Commits `value` as the session into `jar` (which may hold an older layout) and checks the browser's rules. */
async function write(config: SessionConfig, jar: Jar, value: string): Promise<string[]> {
  const state = await readSession(jar.header(['a=1', 'b=2']), config);
  state.session.set('v', value);
  const lines = await commitSession(state, config);
  for (const line of lines) assert.ok(line.length <= COOKIE_BUDGET, `a Set-Cookie line of ${line.length} characters`);
  jar.apply(lines);
  assert.equal(jar.dropped, 0, 'the browser dropped a cookie');
  return lines;
}

const value = (length: number, seed = 0) =>
  Array.from(
    { length },
    (_, i) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[(i * 7 + seed) % 64],
  ).join('');

describe('chunking: the layout', () => {
  test('the size rule: every line, attributes included, within 4096 characters, at every boundary', async () => {
    const { config } = rawConfig({ maxChunks: MAX_CHUNKS });
    const { plainCapacity, chunkCapacity, limit } = limits(config);
    const boundaries = [1, plainCapacity - 1, plainCapacity, plainCapacity + 1];
    for (let k = 2; k <= MAX_CHUNKS; k++)
      boundaries.push(k * chunkCapacity - 3, k * chunkCapacity - 2, k * chunkCapacity - 1);
    for (const length of boundaries.filter((n) => n <= limit)) {
      const jar = new Jar();
      const lines = await write(config, jar, value(length));
      const expected = length <= plainCapacity ? 1 : Math.ceil((length + 2) / chunkCapacity);
      assert.equal(lines.length, expected, `length ${length}`);
      assert.equal(Math.max(...lines.map((l) => l.length)) <= COOKIE_BUDGET, true);
      assert.equal((await readSession(jar.header(), config)).session.get('v'), value(length));
    }
    // The full plain cookie is exactly 4096 characters: the budget is used, not guessed.
    assert.equal((await write(config, new Jar(), value(plainCapacity)))[0]!.length, COOKIE_BUDGET);
  });

  test('a value too large for one cookie becomes name.0 … name.N-1 and no plain cookie', async () => {
    const { config } = rawConfig();
    const { plainCapacity } = limits(config);
    const jar = new Jar();
    const lines = await write(config, jar, value(plainCapacity + 1));
    assert.deepEqual(setNames(lines), ['__Host-s.0', '__Host-s.1']);
    assert.match(lines[0]!, /^__Host-s\.0=2\./);
    assert.match(lines[1]!, /; Path=\/; Secure; HttpOnly; SameSite=Lax$/);
    assert.deepEqual([...jar.cookies.keys()], ['__Host-s.0', '__Host-s.1']);
  });

  test('(fast-check) sealed sessions of every size up to the bound round-trip through a browser jar', async () => {
    const time = clock();
    const config = defineSession({ name: 'sid', keys, rolling: false, now: time.now, maxSize: 12288 });
    const { limit } = limits(config);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: limit }), fc.integer({ min: 0, max: 63 }), async (target, seed) => {
        const state = await readSession(undefined, config);
        // A sealed token is "ss1." + base64url(61 bytes of envelope + the value): aim just below target.
        state.session.set('blob', value(Math.max(0, Math.floor(((target - 4) * 3) / 4) - 64), seed));
        const lines = await commitSession(state, config);
        const sent = lines.reduce((n, line) => n + line.slice(line.indexOf('=') + 1, line.indexOf(';')).length, 0);
        assert.ok(
          sent <= Math.max(target, 100) && sent >= target - 100,
          `a value of ${sent} characters for a target of ${target}`,
        );
        const jar = new Jar().apply(lines);
        assert.equal(jar.dropped, 0);
        for (const line of lines) assert.ok(line.length <= COOKIE_BUDGET);
        const reread = await readSession(jar.header(['theme=dark', 'csrf=abc']), config);
        assert.deepEqual([...reread.session], [...state.session]);
      }),
      { numRuns: 120 },
    );
  });

  test('(fast-check) raw values of every exact length: fit and round-trip, or a RangeError past the bound', async () => {
    const { config } = rawConfig();
    const { limit } = limits(config);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: limit + 500 }), async (length) => {
        const jar = new Jar();
        if (length > limit) {
          await assertError(
            () => write(config, jar, value(length)),
            RangeError,
            `expected a stored value of at most ${limit} characters`,
          );
          return;
        }
        await write(config, jar, value(length));
        assert.equal((await readSession(jar.header(), config)).session.get('v'), value(length));
      }),
      { numRuns: 200 },
    );
  });

  test('past the bound, commitSession throws a RangeError naming the size and the limit', async () => {
    const { config } = rawConfig();
    const { limit } = limits(config);
    await assertError(
      () => write(config, new Jar(), value(limit + 1)),
      RangeError,
      new RegExp(
        `^session cookie: expected a stored value of at most ${limit} characters \\(maxChunks 3 × 4096-character cookies\\), got ${limit + 1}; `,
      ),
    );
    const single = rawConfig({ maxChunks: 1 }).config;
    const { plainCapacity } = limits(single);
    await assertError(
      () => write(single, new Jar(), value(plainCapacity + 1)),
      RangeError,
      `at most ${plainCapacity} characters (maxChunks 1`,
    );
  });

  test('a sealed session past the bound: RangeError, and the cookies already set stay as they were', async () => {
    const config = defineSession({ name: 'sid', keys, maxChunks: 2, maxSize: 12288 });
    const jar = new Jar();
    const state = await readSession(undefined, config);
    state.session.set('small', 'x');
    jar.apply(await commitSession(state, config));
    const before = [...jar.cookies];
    const big = await readSession(jar.header(), config);
    big.session.set('blob', value(9000));
    await assertError(() => commitSession(big, config), RangeError, 'raise options.maxChunks (at most 5)');
    assert.deepEqual([...jar.cookies], before);
  });
});

describe('chunking: stale cookies are expired, so the Cookie header stays bounded', () => {
  test('shrinking from chunks to one cookie expires every chunk', async () => {
    const { config } = rawConfig();
    const { chunkCapacity } = limits(config);
    const jar = new Jar();
    await write(config, jar, value(3 * chunkCapacity - 2));
    assert.deepEqual([...jar.cookies.keys()], ['__Host-s.0', '__Host-s.1', '__Host-s.2']);
    const lines = await write(config, jar, 'small');
    assert.deepEqual(setNames(lines), ['__Host-s']);
    assert.deepEqual(deletedNames(lines), ['__Host-s.0', '__Host-s.1', '__Host-s.2']);
    assert.deepEqual([...jar.cookies.keys()], ['__Host-s']);
  });

  test('growing from one cookie to chunks expires the plain cookie', async () => {
    const { config } = rawConfig();
    const jar = new Jar();
    await write(config, jar, 'small');
    const lines = await write(config, jar, value(5000));
    assert.deepEqual(deletedNames(lines), ['__Host-s']);
    assert.deepEqual([...jar.cookies.keys()].sort(), ['__Host-s.0', '__Host-s.1']);
  });

  test('three chunks to two expires the third', async () => {
    const { config } = rawConfig();
    const { chunkCapacity } = limits(config);
    const jar = new Jar();
    await write(config, jar, value(2 * chunkCapacity + 10));
    const lines = await write(config, jar, value(chunkCapacity + 10));
    assert.deepEqual(deletedNames(lines), ['__Host-s.2']);
    assert.deepEqual([...jar.cookies.keys()], ['__Host-s.0', '__Host-s.1']);
  });

  test('clearing a chunked session expires every chunk', async () => {
    const { config } = rawConfig();
    const jar = new Jar();
    await write(config, jar, value(6000));
    const state = await readSession(jar.header(), config);
    state.session.clear();
    assert.deepEqual(deletedNames(await commitSession(state, config)), ['__Host-s.0', '__Host-s.1']);
  });

  test('leftovers of an earlier layout are expired even when the session is unchanged', async () => {
    const { config, reasons } = rawConfig();
    const state = await readSession('__Host-s=small; __Host-s.0=2.stale; __Host-s.1=stale', config);
    assert.equal(state.session.get('v'), 'small');
    assert.deepEqual(await commitSession(state, config), [
      '__Host-s.0=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax',
      '__Host-s.1=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax',
    ]);
    assert.deepEqual(reasons, []);
  });

  test('chunks beyond the count name.0 announces are ignored on read and expired', async () => {
    const { config } = rawConfig();
    const state = await readSession('__Host-s.0=2.ab; __Host-s.1=cd; __Host-s.2=old', config);
    assert.equal(state.session.get('v'), 'abcd');
    assert.deepEqual(deletedNames(await commitSession(state, config)), ['__Host-s.2']);
  });
});

describe('chunking: missing or mismatched chunks make the session invalid', () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['a missing last chunk', '__Host-s.0=3.ab; __Host-s.1=cd'],
    ['a missing middle chunk', '__Host-s.0=3.ab; __Host-s.2=ef'],
    ['chunks without name.0', '__Host-s.1=cd; __Host-s.2=ef'],
    ['an empty chunk', '__Host-s.0=2.ab; __Host-s.1='],
    ['name.0 without a count', '__Host-s.0=abcd; __Host-s.1=ef'],
    ['a count of 1', '__Host-s.0=1.abcd'],
    ['a count above 5', '__Host-s.0=6.ab; __Host-s.1=a; __Host-s.2=a; __Host-s.3=a; __Host-s.4=a'],
    ['an empty first part', '__Host-s.0=2.; __Host-s.1=ef'],
    ['a chunk longer than any cookie', `__Host-s.0=2.ab; __Host-s.1=${'x'.repeat(COOKIE_BUDGET + 1)}`],
    ['a plain cookie longer than any cookie', `__Host-s=${'x'.repeat(COOKIE_BUDGET + 1)}`],
  ];
  for (const [label, header] of cases) {
    test(`${label}: empty session, onInvalid('malformed')`, async () => {
      const { config, reasons } = rawConfig();
      const { session } = await readSession(header, config);
      assert.equal(session.size, 0);
      assert.deepEqual(reasons, ['malformed']);
    });
  }

  test('chunks from two different sealed sessions fail authentication: onInvalid("invalid")', async () => {
    const reasons: SessionInvalidReason[] = [];
    const config = defineSession({ name: 'sid', keys, maxSize: 12288, onInvalid: (r) => void reasons.push(r) });
    const jars = await Promise.all(
      [1, 2].map(async (seed) => {
        const state = await readSession(undefined, config);
        state.session.set('blob', value(4000, seed));
        return new Jar().apply(await commitSession(state, config));
      }),
    );
    const torn = `sid.0=${jars[0]!.cookies.get('sid.0')}; sid.1=${jars[1]!.cookies.get('sid.1')}`;
    assert.equal((await readSession(torn, config)).session.size, 0);
    assert.deepEqual(reasons, ['invalid']);
  });

  test('a plain cookie wins over chunks, and the chunks go on the next write', async () => {
    const { config } = rawConfig();
    const state = await readSession('__Host-s.0=2.ab; __Host-s.1=cd; __Host-s=plain', config);
    assert.equal(state.session.get('v'), 'plain');
    state.session.set('v', 'next');
    const lines = await commitSession(state, config);
    assert.deepEqual(setNames(lines), ['__Host-s']);
    assert.deepEqual(deletedNames(lines), ['__Host-s.0', '__Host-s.1']);
  });
});

/** sessionCookies' answer as parseCookie would give it: the session's names and their values. */
function asParsed(header: string, name: string): Map<string, string> {
  const found = sessionCookies(header, name);
  const parsed = new Map<string, string>();
  if (found.mask & PLAIN) parsed.set(name, found.plain!);
  for (let i = 0; i < MAX_CHUNKS; i++) if (found.mask & (1 << i)) parsed.set(`${name}.${i}`, found.chunks![i]!);
  return parsed;
}

describe("sessionCookies: parseCookie's answer for the session's names, in one scan", () => {
  test("(fast-check) agrees with parseCookie on the session's names for arbitrary headers", () => {
    const name = 'sid';
    const own = ['sid', 'sid.0', 'sid.1', 'sid.2', 'sid.3', 'sid.4'];
    const piece = fc.oneof(
      fc.constantFrom(
        ...own,
        'xsid',
        'sid.5',
        'sid.',
        'sid.00',
        ' sid',
        'sid ',
        'sid.0 ',
        '=',
        ';',
        '"',
        ' ',
        '\t',
        'a',
        'sid=',
        '=sid',
        'sid="v"',
      ),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 24 }).map((parts) => parts.join('')),
        (header) => {
          const all = parseCookie(header);
          const expected = new Map(own.filter((key) => all.has(key)).map((key) => [key, all.get(key)!]));
          assert.deepEqual(asParsed(header, name), expected, JSON.stringify(header));
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('examples: duplicates, whitespace, quotes, look-alike names', () => {
    assert.deepEqual(
      asParsed('sid=a; sid=b; sid.1 = "c" ;xsid=d; sid.7=e; a=sid=f', 'sid'),
      new Map([
        ['sid', 'a'],
        ['sid.1', 'c'],
      ]),
    );
    assert.deepEqual(
      asParsed('\tsid.0=2.x;sid.1=y', 'sid'),
      new Map([
        ['sid.0', '2.x'],
        ['sid.1', 'y'],
      ]),
    );
    assert.equal(sessionCookies('other=1', 'sid').mask, 0);
    assert.equal(sessionCookies('sidney=1; sid', 'sid').mask, 0);
    assert.equal(sessionCookies(undefined, 'sid').mask, 0);
  });

  test('linear on hostile headers: the name repeated 100k times, a megabyte value', () => {
    assert.equal(sessionCookies('sid;'.repeat(100_000) + 'sid=v', 'sid').plain, 'v');
    assert.equal(sessionCookies(`a=${'sid'.repeat(300_000)}; sid=w`, 'sid').plain, 'w');
    assert.equal(sessionCookies(`${' '.repeat(1 << 20)}x sid; sid=z`, 'sid').plain, 'z');
  });
});

describe('repair, not lock-out: cookies of an earlier, larger configuration', () => {
  // The earlier configuration: 3 chunks and a raised budget. The current one: the defaults.
  const earlier = defineSession({ name: 'sid', keys, maxSize: 12288 });
  const current = defineSession({ name: 'sid', keys, onInvalid: () => {} });

  async function earlierJar(size: number): Promise<Jar> {
    const state = await readSession(undefined, earlier);
    state.session.set('blob', value(size));
    return new Jar().apply(await commitSession(state, earlier));
  }

  test('chunks the current config cannot write are rejected and expired on any request, even one that changes nothing', async () => {
    const jar = await earlierJar(5000);
    assert.deepEqual([...jar.cookies.keys()].sort(), ['sid.0', 'sid.1']);
    const reasons: string[] = [];
    const config = defineSession({ name: 'sid', keys, onInvalid: (r) => void reasons.push(r) });
    const state = await readSession(jar.header(['theme=dark']), config);
    assert.equal(state.session.size, 0);
    assert.deepEqual(reasons, ['malformed']);
    const lines = await commitSession(state, config);
    assert.deepEqual(deletedNames(lines).sort(), ['sid.0', 'sid.1']);
    assert.deepEqual(setNames(lines), []);
    jar.apply(lines);
    assert.equal(jar.header(), '');
  });

  test('a new sign-in over them writes one cookie and expires every chunk', async () => {
    const jar = await earlierJar(5000);
    const state = await readSession(jar.header(), current);
    state.session.set('user', 'ada');
    const lines = await commitSession(state, current);
    assert.deepEqual(setNames(lines), ['sid']);
    assert.deepEqual(deletedNames(lines).sort(), ['sid.0', 'sid.1']);
    jar.apply(lines);
    assert.deepEqual([...jar.cookies.keys()], ['sid']);
    assert.equal((await readSession(jar.header(), current)).session.get('user'), 'ada');
  });

  test('a plain cookie over the current maxSize is rejected (its re-issue could only fail), then replaced by the next write', async () => {
    const jar = await earlierJar(2500); // one cookie of about 3.5 KB: within 12288, over 2048
    assert.deepEqual([...jar.cookies.keys()], ['sid']);
    const reasons: string[] = [];
    const config = defineSession({ name: 'sid', keys, onInvalid: (r) => void reasons.push(r) });
    const state = await readSession(jar.header(), config);
    assert.equal(state.session.size, 0);
    assert.deepEqual(reasons, ['malformed']);
    // The plain cookie is one this config writes: left for the next write (a rolling deploy may still
    // have servers with the larger budget), which replaces it.
    assert.deepEqual(await commitSession(state, config), []);
  });

  test('a session over maxSize: commit throws a RangeError, and the previous session stays loadable', async () => {
    const jar = new Jar();
    const first = await readSession(undefined, current);
    first.session.set('user', 'ada');
    jar.apply(await commitSession(first, current));
    const state = await readSession(jar.header(), current);
    state.session.set('blob', value(3000));
    await assertError(
      () => commitSession(state, current),
      RangeError,
      /^session cookie "sid": expected at most 2048 bytes of Set-Cookie headers \(options\.maxSize\), got \d+; the previous session is kept\. .*server-side store/,
    );
    const after = await readSession(jar.header(), current);
    assert.deepEqual([...after.session], [['user', 'ada']]);
  });
});
