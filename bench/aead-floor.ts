/**
 * Why one row of the HTTP benchmark cannot reach 1.00x (issue 13): Fastify, "write, new cookie",
 * against @fastify/secure-session. Each such request opens a token it has not seen (so the cache of
 * verified tokens cannot help) and seals a new one. In one process, in alternating batches of CPU
 * time (process.cpuUsage), this times per request:
 *   floor   the AES-256-GCM calls alone, bare node:crypto: one encryption and one decryption of the
 *           sample session's payload (createCipheriv/createDecipheriv, setAAD, update, final, tag):
 *           what any AES-GCM cookie pays on Node, before any encoding, checking or HTTP
 *   peer    @fastify/secure-session's whole library work: decodeSecureSession, a change,
 *           encodeSecureSession and the cookie serialization (libsodium's secretbox, one native
 *           call each way)
 *   ours    sealed-session's whole library work: readSession of a fresh token, a change,
 *           commitSession (XAES-256-GCM: the floor's two AES-GCM calls plus everything else)
 * and prints floor ÷ peer and ours ÷ peer. While floor ÷ peer is above 1.00, no token built on
 * node:crypto's AES-GCM can cost that request less than the peer does, whatever the rest of it.
 * Run: npm run bench:floor
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import fastifySecureSession from '@fastify/secure-session';
import { commitSession, createKeyring, defineSession, generateKey, readSession } from 'sealed-session';
import { SAMPLE_SESSION } from './fixtures.js';
import { check } from './harness.js';

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
  const iv = ivs[next++ & 255]!;
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  cipher.setAAD(aad);
  const sealed = Buffer.concat([cipher.update(payload), cipher.final()]);
  const tag = cipher.getAuthTag();
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  decipher.setAuthTag(tag);
  decipher.setAAD(aad);
  decipher.update(sealed);
  decipher.final();
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
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const ratio = (a: readonly number[], b: readonly number[]) => median(a.map((value, i) => value / b[i]!));
console.log(`CPU µs per request, median of ${ROUNDS} alternating batches of ${PER_BATCH}; node ${process.version}`);
console.log(`  floor: AES-256-GCM encrypt + decrypt (node:crypto)      ${median(samples.floor).toFixed(2)}`);
console.log(`  @fastify/secure-session: open, change, seal, serialize  ${median(samples.peer).toFixed(2)}`);
console.log(`  sealed-session: readSession (fresh token), commitSession ${median(samples.ours).toFixed(2)}`);
console.log(
  `  floor / peer: ${ratio(samples.floor, samples.peer).toFixed(2)}x   ours / peer: ${ratio(samples.ours, samples.peer).toFixed(2)}x`,
);
await fastify.close();
