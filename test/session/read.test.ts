import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  createKeyring,
  defineSession,
  generateKey,
  memoryStore,
  readSession,
  commitSession,
  seal,
  sign,
  type SessionInvalidReason,
  type SessionStore,
} from '../../src/index.js';
import { clock, Jar, keys, otherKeys, T0, untyped } from './helpers.js';

const NAME = 'kocha_session';

/** A config whose onInvalid records into `reasons`, on a clock at T0. */
function recorded(extra: Record<string, unknown> = {}) {
  const reasons: SessionInvalidReason[] = [];
  const time = clock();
  const config = defineSession({
    name: NAME,
    keys,
    clockSkew: 0,
    now: time.now,
    onInvalid: (reason) => void reasons.push(reason),
    ...extra,
  });
  return { config, reasons, time };
}

const sealAt = (data: Map<string, string>, now: number, ttl: number, ring = keys, context = NAME) =>
  seal(data, { keys: ring, ttl, context, now });

describe('readSession (Kocha TestSessionMiddlewareBefore, ported)', () => {
  test('no cookie: a new, empty session and no onInvalid', async () => {
    const { config, reasons } = recorded();
    for (const header of [undefined, null, '', 'other=1; theme=dark']) {
      const { session } = await readSession(header, config);
      assert.equal(session.size, 0);
      assert.equal(session.isNew, true);
      assert.equal(session.keyId, null);
      assert.equal(session.issuedAt, null);
      assert.equal(session.expiresAt, null);
    }
    assert.deepEqual(reasons, []);
  });

  test('data the store did not make (signed, not sealed): empty session, onInvalid("invalid")', async () => {
    // Kocha's "expires value not found": a cookie whose data lacks what the store puts in it.
    const { config, reasons } = recorded();
    const token = await sign(new Map([['brown fox', 'lazy dog']]), { keys, context: NAME, now: T0 });
    const { session } = await readSession(`${NAME}=${token}`, config);
    assert.equal(session.size, 0);
    assert.equal(session.isNew, true);
    assert.deepEqual(reasons, ['invalid']);
  });

  test('a value that is not a token at all: empty session, onInvalid("malformed")', async () => {
    // Kocha's "expires invalid time format".
    const { config, reasons } = recorded();
    const { session } = await readSession(`${NAME}=invalid-format`, config);
    assert.equal(session.size, 0);
    assert.deepEqual(reasons, ['malformed']);
  });

  test('expired data (expiry one second before now): empty session, onInvalid("expired")', async () => {
    const { config, reasons } = recorded();
    const token = await sealAt(new Map([['brown fox', 'lazy dog']]), T0 - 2000, 1);
    const { session } = await readSession(`${NAME}=${token}`, config);
    assert.equal(session.size, 0);
    assert.deepEqual(reasons, ['expired']);
  });

  test("valid data is loaded, with the expiry equal to now still valid (Kocha's boundary)", async () => {
    const { config, reasons } = recorded();
    const token = await sealAt(new Map([['brown fox', 'lazy dog']]), T0 - 1000, 1);
    const { session } = await readSession(`a=1; ${NAME}=${token}; b=2`, config);
    assert.deepEqual([...session], [['brown fox', 'lazy dog']]);
    assert.equal(session.isNew, false);
    assert.equal(session.keyId, keys.currentKeyId);
    assert.equal(session.issuedAt, T0 - 1000);
    assert.equal(session.expiresAt, T0);
    assert.deepEqual(reasons, []);
  });
});

describe('readSession: onInvalid reasons', () => {
  const data = new Map([['userId', '12345']]);
  const cases: ReadonlyArray<readonly [SessionInvalidReason, () => Promise<string>]> = [
    ['malformed', async () => 'not-a-token'],
    ['malformed', async () => `ss1.${'A'.repeat(5000)}`],
    ['unsupported-version', async () => 'ss2.AAAA'],
    ['unknown-key', async () => sealAt(data, T0, 60, createKeyring([{ id: 'retired', secret: generateKey() }]))],
    ['invalid', async () => sealAt(data, T0, 60, otherKeys)],
    ['invalid', async () => sealAt(data, T0, 60, keys, 'another_cookie')],
    [
      'invalid',
      async () => {
        const token = await sealAt(data, T0, 60);
        return token.slice(0, -3) + (token.endsWith('AAA') ? 'BBB' : 'AAA');
      },
    ],
    ['expired', async () => sealAt(data, T0 - 61_000, 60)],
  ];
  for (const [reason, make] of cases) {
    test(`${reason}: empty session, onInvalid called once with it`, async () => {
      const { config, reasons } = recorded();
      const { session } = await readSession(`${NAME}=${await make()}`, config);
      assert.equal(session.size, 0);
      assert.equal(session.isNew, true);
      assert.deepEqual(reasons, [reason]);
    });
  }

  test('revoked: issuedAfter as a number and as a function read on every request', async () => {
    const token = await sealAt(data, T0 - 10_000, 60);
    let cutoff: number | undefined = T0 - 5000;
    const { config, reasons } = recorded({ issuedAfter: () => cutoff });
    assert.equal((await readSession(`${NAME}=${token}`, config)).session.size, 0);
    cutoff = undefined;
    assert.equal((await readSession(`${NAME}=${token}`, config)).session.size, 1);
    const fixed = recorded({ issuedAfter: T0 - 5000 });
    assert.equal((await readSession(`${NAME}=${token}`, fixed.config)).session.size, 0);
    assert.deepEqual([...reasons, ...fixed.reasons], ['revoked', 'revoked']);
  });

  test('not-found: an authentic id whose memoryStore entry is gone', async () => {
    const store = memoryStore({ keys });
    const { config, reasons, time } = recorded({ keys: undefined, store });
    const state = await readSession(undefined, config);
    state.session.set('userId', '12345');
    const jar = new Jar().apply(await commitSession(state, config));
    const loaded = await readSession(jar.header(), config);
    loaded.session.destroy();
    await commitSession(loaded, config);
    time.advance(1000);
    // The browser kept the old cookie (say, a replay): the id is authentic but has no entry.
    const replay = await readSession(`${NAME}=${[...jar.cookies.values()][0]}`, config);
    assert.equal(replay.session.size, 0);
    assert.deepEqual(reasons, ['not-found']);
  });

  test('an empty cookie value counts as no cookie, not as an invalid one', async () => {
    const { config, reasons } = recorded();
    assert.equal((await readSession(`${NAME}=`, config)).session.isNew, true);
    assert.deepEqual(reasons, []);
  });

  test('the first of duplicate cookies wins (the most specific path, RFC 6265 §5.4)', async () => {
    const { config, reasons } = recorded();
    const first = await sealAt(new Map([['which', 'first']]), T0, 60);
    const second = await sealAt(new Map([['which', 'second']]), T0, 60);
    const { session } = await readSession(`${NAME}=${first}; ${NAME}=${second}`, config);
    assert.equal(session.get('which'), 'first');
    assert.deepEqual(reasons, []);
  });
});

describe('readSession: never throws for client input', () => {
  test('non-string headers give an empty session', async () => {
    const { config } = recorded();
    for (const header of [42, ['a=b'], { cookie: 'x' }, Symbol('h'), new String(`${NAME}=x`)]) {
      assert.equal((await readSession(untyped(header), config)).session.size, 0);
    }
  });

  test('arbitrary Cookie headers (fast-check): no exception, an empty new session, a known reason if any', async () => {
    const { config, reasons } = recorded();
    const names = fc.constantFrom(NAME, `${NAME}.0`, `${NAME}.1`, `${NAME}.2`, `${NAME}.4`, `${NAME}.9`, 'other', ' ');
    const values = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.constantFrom('2.', '3.ss1.AAAA', '9.x', '1.x', '2.ss1.', 'ss1.', 'ss1.AQEB', '""', '"ss1."'),
      fc.stringMatching(/^[2-5]\.ss1\.[A-Za-z0-9_-]{0,200}$/),
    );
    const structured = fc
      .array(fc.tuple(names, values), { maxLength: 8 })
      .map((pairs) => pairs.map(([n, v]) => `${n}=${v}`).join('; '));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), structured), async (header) => {
        reasons.length = 0;
        const { session } = await readSession(header, config);
        assert.equal(session.size, 0);
        assert.equal(session.isNew, true);
        assert.ok(reasons.length <= 1);
        for (const reason of reasons)
          assert.ok(['malformed', 'unsupported-version', 'invalid', 'unknown-key'].includes(reason), reason);
      }),
      { numRuns: 500 },
    );
  });

  test('hostile headers: 100k semicolons, a megabyte value, thousands of chunk names', async () => {
    const { config, reasons } = recorded();
    const headers = [
      ';'.repeat(100_000),
      `${NAME}=${'A'.repeat(1 << 20)}`,
      `${NAME}.0=2.${'A'.repeat(1 << 20)}; ${NAME}.1=${'A'.repeat(1 << 20)}`,
      Array.from({ length: 5000 }, (_, i) => `${NAME}.${i}=x`).join('; '),
    ];
    for (const header of headers) assert.equal((await readSession(header, config)).session.size, 0);
    assert.deepEqual(reasons, ['malformed', 'malformed', 'malformed']);
  });
});

describe('readSession: failures of the application, not of the client, propagate', () => {
  test('a store whose load rejects (the database is down) rejects readSession with that error', async () => {
    const down = new Error('ECONNREFUSED');
    const store: SessionStore = { save: () => 'x', load: async () => Promise.reject(down) };
    const config = defineSession({ name: NAME, store });
    await assert.rejects(readSession(`${NAME}=abc`, config), (error) => error === down);
    // No cookie, no load: a request without a session never touches the store.
    assert.equal((await readSession(undefined, config)).session.isNew, true);
  });

  test('a store returning a malformed result is a TypeError naming the store', async () => {
    const bad: ReadonlyArray<readonly [unknown, RegExp]> = [
      [undefined, /store\.load: expected \{ ok: true, data \}/],
      [{ ok: 'yes' }, /expected ok to be true or false/],
      [{ ok: false, reason: 'nope' }, /expected a reason among malformed/],
      [{ ok: true, data: { a: 'b' } }, /expected data to be a Map/],
      [{ ok: true, data: new Map([['a', 1]]) }, /expected data of string keys and values/],
      [{ ok: true, data: new Map(), id: 7 }, /expected id to be a string/],
      [{ ok: true, data: new Map(), issuedAt: 'today' }, /expected issuedAt to be ms/],
      [{ ok: true, data: new Map(), expiresAt: NaN }, /expected expiresAt to be ms/],
      [{ ok: true, data: new Map(), keyId: 1 }, /expected keyId to be a string/],
      [{ ok: true, data: new Map(), rotated: 'no' }, /expected rotated to be a boolean/],
    ];
    for (const [result, message] of bad) {
      const config = defineSession({ name: NAME, store: { save: () => 'x', load: () => untyped(result) } });
      await assert.rejects(
        readSession(`${NAME}=abc`, config),
        (error: Error) => error instanceof TypeError && message.test(error.message),
      );
    }
  });

  test('onInvalid that throws propagates (it is application code)', async () => {
    const config = defineSession({
      name: NAME,
      keys,
      onInvalid: () => {
        throw new Error('logger broke');
      },
    });
    await assert.rejects(readSession(`${NAME}=garbage`, config), /logger broke/);
  });

  test('a clock or issuedAfter function returning garbage is a TypeError', async () => {
    await assert.rejects(
      readSession(`${NAME}=x`, defineSession({ name: NAME, keys, now: () => untyped('now') })),
      /options\.now: expected a function returning ms since the epoch, got one returning a string of length 3/,
    );
    await assert.rejects(
      readSession(`${NAME}=x`, defineSession({ name: NAME, keys, issuedAfter: () => untyped('x') })),
      /options\.issuedAfter: expected a function returning ms/,
    );
  });
});

test('clock steps: a session from a server whose clock runs ahead survives up to clockSkew (default 30 s), then is invalid', async () => {
  const sealer = defineSession({ name: 'sid', keys, now: () => T0 });
  const state = await readSession(undefined, sealer);
  state.session.set('user', 'ada');
  const header = new Jar().apply(await commitSession(state, sealer)).header();
  const readAt = async (offsetMs: number, clockSkew?: number) => {
    const reasons: string[] = [];
    const reader = defineSession({
      name: 'sid',
      keys,
      now: () => T0 + offsetMs,
      onInvalid: (r) => void reasons.push(r),
      ...(clockSkew === undefined ? {} : { clockSkew }),
    });
    const read = await readSession(header, reader);
    return read.session.get('user') ?? reasons.join();
  };
  // The reading server's clock is behind (a backward NTP step, or two servers that disagree).
  assert.equal(await readAt(-30_000), 'ada');
  assert.equal(await readAt(-31_000), 'invalid');
  // The core's 5 s, which the issue measured: a 7 s step lost the session.
  assert.equal(await readAt(-5_000, 5), 'ada');
  assert.equal(await readAt(-7_000, 5), 'invalid');
});

test("rolling deploy: a key added as 'accept-only' everywhere first, then made active, resets no session; adding it active at once does", async () => {
  const k1 = { id: 'k1', secret: generateKey() };
  const k2 = { id: 'k2', secret: generateKey() };
  const stages = {
    before: createKeyring([k1]),
    step1: createKeyring([{ ...k2, state: 'accept-only' }, k1]),
    step2: createKeyring([k2, k1]),
  };
  /** Alternates writes between two servers with these keyrings; counts writes that found the session gone. */
  const resets = async (a: ReturnType<typeof createKeyring>, b: ReturnType<typeof createKeyring>) => {
    const servers = [defineSession({ name: 'sid', keys: a }), defineSession({ name: 'sid', keys: b })];
    const jar = new Jar();
    let lost = 0;
    for (let i = 0; i < 20; i++) {
      const server = servers[i % 2]!;
      const state = await readSession(jar.header(), server);
      if (i > 0 && state.session.get('n') !== String(i - 1)) lost++;
      state.session.set('n', String(i));
      jar.apply(await commitSession(state, server));
    }
    return lost;
  };
  // The two-step rollout: during each step, old and new servers serve alternate requests.
  assert.equal(await resets(stages.before, stages.step1), 0);
  assert.equal(await resets(stages.step1, stages.step2), 0);
  // The one-step rollout the old runbook described: every other write lands on a server that
  // cannot open the new key's tokens.
  assert.equal(await resets(stages.before, stages.step2), 9);
});
