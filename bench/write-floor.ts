/**
 * The library's own work in one Fastify "write" (bench/http.ts), in one process, beside
 * @fastify/secure-session's and beside the cipher calls any AES-GCM cookie pays on Node (issue 13,
 * docs/performance.md). A browser sends back the cookie it was last sent, so ours reads a token the
 * cache of issued tokens holds and seals one; the peer opens its token and seals one. In alternating
 * batches of CPU time (process.cpuUsage), per request:
 *   floor   one AES-256-GCM encryption of the sample session's payload with bare node:crypto
 *           (createCipheriv, setAAD, update, final, getAuthTag), before any encoding, checking or HTTP
 *   peer    @fastify/secure-session's whole library work: decodeSecureSession, a change,
 *           encodeSecureSession and the cookie serialization (libsodium's secretbox, one native
 *           call each way)
 *   ours    sealed-session's whole library work: readSession of the last token, a change,
 *           commitSession (XAES-256-GCM: the floor's encryption plus its key derivation and the rest)
 * and prints each ÷ peer.
 * Run: npm run build && npx tsx --tsconfig tsconfig.bench.json bench/write-floor.ts
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import fastifySecureSession from '@fastify/secure-session';
import { commitSession, createKeyring, defineSession, generateKey, readSession } from 'sealed-session';
import { SAMPLE_SESSION } from './fixtures.js';
import { check, median } from './harness.js';

const ROUNDS = 15;
const PER_BATCH = 5000;

// The floor: the sample's payload (sealed-session's encoding is about as long) under AES-256-GCM.
const key = randomBytes(32);
const aad = randomBytes(22); // the token header and the cookie name, as sealed-session binds them
const payload = Buffer.from(JSON.stringify(Object.fromEntries(SAMPLE_SESSION)));
// IVs drawn ahead (sealed-session draws from a pool too): the floor is the cipher calls alone.
const ivs = Array.from({ length: 256 }, () => randomBytes(12));
let next = 0;
function floor(): void {
  const cipher = createCipheriv('aes-256-gcm', key, ivs[next++ & 255]!, { authTagLength: 16 });
  cipher.setAAD(aad);
  cipher.update(payload);
  cipher.final();
  cipher.getAuthTag();
}

// The peer, as its plugin does per request (its onRequest and onSend hooks).
const fastify = Fastify();
await fastify.register(fastifySecureSession, { key: randomBytes(32), cookieName: 'sid', cookie: { path: '/' } });
await fastify.ready();
let peerToken = fastify.encodeSecureSession(fastify.createSecureSession(Object.fromEntries(SAMPLE_SESSION)));
let lastSeen = 1;
function peer(): void {
  const session = fastify.decodeSecureSession(peerToken);
  check(session !== null, 'the peer opens its own token');
  // Its SessionData type is declared by module augmentation, which this file does not do.
  (session as unknown as { set(key: string, value: string): void }).set('lastSeen', String(lastSeen++));
  peerToken = fastify.encodeSecureSession(session);
  fastify.serializeCookie('sid', peerToken, { path: '/', httpOnly: true, sameSite: 'lax' });
}

// Ours: every request carries the cookie the previous one was sent.
const config = defineSession({ name: 'sid', keys: createKeyring(generateKey()) });
const first = await readSession(undefined, config);
for (const [name, value] of SAMPLE_SESSION) first.session.set(name, value);
let cookie = (await commitSession(first, config))[0]!.split(';')[0]!;
async function ours(): Promise<void> {
  const state = await readSession(cookie, config);
  check(state.session.get('userId') === '12345', 'ours opens its own token');
  state.session.set('lastSeen', String(lastSeen++));
  const line = (await commitSession(state, config))[0]!;
  cookie = line.slice(0, line.indexOf(';'));
}

const subjects = { floor, peer, ours } as const;
const samples: Record<keyof typeof subjects, number[]> = { floor: [], peer: [], ours: [] };
for (let round = 0; round < ROUNDS + 2; round++) {
  for (const name of Object.keys(subjects) as (keyof typeof subjects)[]) {
    const run = subjects[name];
    const start = process.cpuUsage();
    for (let i = 0; i < PER_BATCH; i++) await run();
    const spent = process.cpuUsage(start);
    if (round >= 2) samples[name].push((spent.user + spent.system) / PER_BATCH); // two rounds of warm-up
  }
}
const ratio = (a: readonly number[], b: readonly number[]) => median(a.map((value, i) => value / b[i]!));
console.log(`CPU µs per request, median of ${ROUNDS} alternating batches of ${PER_BATCH}; node ${process.version}`);
console.log(`  floor: one AES-256-GCM encryption (node:crypto)           ${median(samples.floor).toFixed(2)}`);
console.log(`  @fastify/secure-session: open, change, seal, serialize   ${median(samples.peer).toFixed(2)}`);
console.log(`  sealed-session: readSession (last token), commitSession   ${median(samples.ours).toFixed(2)}`);
console.log(
  `  floor / peer: ${ratio(samples.floor, samples.peer).toFixed(2)}x   ours / peer: ${ratio(samples.ours, samples.peer).toFixed(2)}x`,
);
await fastify.close();
