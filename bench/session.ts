/**
 * The session layer's cost over the core, for a typical request: a Cookie header holding the
 * session (the 5-entry sample, sealed) among 10 unrelated cookies.
 *   read-only request:  readSession + commitSession (sends nothing)   vs  core unseal
 *   read+write request: readSession + set + commitSession (one cookie) vs  core unseal + seal
 * Both builds. Each subject is timed in alternating batches with its floor, so the ratio is stable.
 * The cookie store answers a repeated cookie from its cache of verified tokens (src/session/token-cache.ts),
 * so the read-only figure is a cache hit; a third pair times reads that miss it (2048 different
 * tokens in turn, twice what the cache holds), against unseal of the same tokens.
 * Target: the layer adds at most 20% (ratio <= 1.2). Last, the layer alone, on a store that returns
 * a fixed result without any cryptography: its own cost, free of the crypto's timing noise.
 * Run: npx tsx bench/session.ts
 */
import * as node from 'sealed-session';
import * as web from 'sealed-session/web';
import { check, ratioTo, report, timeAlternatingAsync, timeAsync, type Timing } from './harness.js';
import { cookieHeader, SAMPLE_SESSION } from './fixtures.js';

const TARGET = 1.2;
const NAME = '__Host-session';

/** Floor and subject in alternating batches (bench/harness.ts); returns both and their ratio. */
async function timePairAsync(
  floorName: string,
  floor: () => Promise<unknown>,
  name: string,
  fn: () => Promise<unknown>,
): Promise<[Timing, Timing, number]> {
  const [floorTiming, timing] = await timeAlternatingAsync([
    [floorName, floor],
    [name, fn],
  ]);
  return [floorTiming!, timing!, ratioTo(timing!, floorTiming!)];
}

const same = (a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>) =>
  a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

for (const [build, api] of [
  ['node:crypto', node],
  ['WebCrypto', web],
] as const) {
  const keys = api.createKeyring(api.generateKey());
  const config = api.defineSession({ name: NAME, keys });
  const token = await api.seal(SAMPLE_SESSION, { keys, context: NAME });
  const header = cookieHeader(`${NAME}=${token}`);
  const written = new Map(SAMPLE_SESSION).set('lastSeen', '1735689600');

  const readOnly = async () => {
    const state = await api.readSession(header, config);
    state.session.get('userId');
    return api.commitSession(state, config);
  };
  const readWrite = async () => {
    const state = await api.readSession(header, config);
    state.session.set('lastSeen', '1735689600');
    return api.commitSession(state, config);
  };
  const coreRead = () => api.unseal(token, { keys, context: NAME });
  const coreReadWrite = async () => {
    const opened = await api.unseal(token, { keys, context: NAME });
    if (!opened.ok) throw new Error('unseal failed');
    opened.data.set('lastSeen', '1735689600');
    return api.seal(opened.data, { keys, context: NAME });
  };

  // Cross-check every output before timing anything.
  const state = await api.readSession(header, config);
  check(same(state.session, SAMPLE_SESSION), `${build}: readSession loads the sample`);
  check((await readOnly()).length === 0, `${build}: a read-only request sends nothing`);
  const lines = await readWrite();
  check(lines.length === 1 && lines[0]!.startsWith(`${NAME}=ss1.`), `${build}: a write sends one cookie`);
  const reread = await api.readSession(lines[0]!.slice(0, lines[0]!.indexOf(';')), config);
  check(same(reread.session, written), `${build}: the written cookie reads back`);
  const floorToken = await coreReadWrite();
  const floorOpened = await api.unseal(floorToken, { keys, context: NAME });
  check(floorOpened.ok && same(floorOpened.data, written), `${build}: the floor round-trips`);
  check((await coreRead()).ok, `${build}: the floor opens the token`);

  // Tokens the cache cannot all hold, read in turn: every read misses and opens its token.
  const rotating = await Promise.all(
    Array.from({ length: 2048 }, () => api.seal(SAMPLE_SESSION, { keys, context: NAME })),
  );
  const rotatingHeaders = rotating.map((each) => cookieHeader(`${NAME}=${each}`));
  let turn = 0;
  const readOnlyMiss = async () => {
    const state = await api.readSession(rotatingHeaders[turn++ & 2047], config);
    state.session.get('userId');
    return api.commitSession(state, config);
  };
  let floorTurn = 0;
  const coreReadMiss = () => api.unseal(rotating[floorTurn++ & 2047]!, { keys, context: NAME });
  check(
    same((await api.readSession(rotatingHeaders[5], config)).session, SAMPLE_SESSION),
    `${build}: every rotating token opens`,
  );

  const [missFloor, missTime, missRatio] = await timePairAsync(
    'core: unseal, 2048 tokens in turn',
    coreReadMiss,
    'readSession + commitSession, not cached',
    readOnlyMiss,
  );
  const [readFloor, readTime, readRatio] = await timePairAsync(
    'core: unseal',
    coreRead,
    'readSession + commitSession (read-only)',
    readOnly,
  );
  const [writeFloor, writeTime, writeRatio] = await timePairAsync(
    'core: unseal + seal',
    coreReadWrite,
    'readSession + set + commitSession',
    readWrite,
  );
  report(`${build}, 5-entry session (${token.length} chars) among 10 other cookies (header ${header.length} chars)`, [
    { timing: readFloor },
    { timing: readTime, floor: readFloor, target: TARGET },
    { timing: writeFloor },
    { timing: writeTime, floor: writeFloor, target: TARGET },
    { timing: missFloor },
    { timing: missTime, floor: missFloor, target: TARGET },
  ]);
  for (const [label, ratio, subject, floor] of [
    ['read-only', readRatio, readTime, readFloor],
    ['read+write', writeRatio, writeTime, writeFloor],
    ['read, miss', missRatio, missTime, missFloor],
  ] as const) {
    const added = subject.microseconds - floor.microseconds;
    console.log(
      `  ${label.padEnd(10)} layer overhead: ratio ${ratio.toFixed(2)}x (${added >= 0 ? '+' : ''}${added.toFixed(2)} µs/op)` +
        ` (target <= ${TARGET.toFixed(1)}x: ${ratio <= TARGET ? 'met' : 'NOT met'})`,
    );
  }
}

{
  // The layer's own cost: the same requests on a store that does no cryptography.
  const keys = node.createKeyring(node.generateKey());
  const token = await node.seal(SAMPLE_SESSION, { keys, context: NAME });
  const opened = await node.unseal(token, { keys, context: NAME });
  check(opened.ok, 'fixed store: the token opens');
  const fixed: node.SessionStore = { save: async () => token, load: async () => opened };
  const config = node.defineSession({ name: NAME, store: fixed });
  const header = cookieHeader(`${NAME}=${token}`);
  const readOnly = async () => node.commitSession(await node.readSession(header, config), config);
  const readWrite = async () => {
    const state = await node.readSession(header, config);
    state.session.set('lastSeen', '1735689600');
    return node.commitSession(state, config);
  };
  check(
    (await readOnly()).length === 0 && (await readWrite()).length === 1,
    'fixed store: read-only sends nothing, a write one cookie',
  );
  report('the session layer alone (a store returning a fixed result, no cryptography)', [
    { timing: await timeAsync('readSession + commitSession (read-only)', readOnly) },
    { timing: await timeAsync('readSession + set + commitSession', readWrite) },
  ]);
}
