/**
 * The subjects of bench/peers.ts: sealed-session, the bare-primitive floor and each peer library,
 * with the options each runs with, and the two samples. Kept apart from the timing so that
 * test/docs/figures.test.ts can check the token sizes the README quotes against these very subjects.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import fastifySecureSession from '@fastify/secure-session';
import * as HapiIron from '@hapi/iron';
import * as IronWebcrypto from 'iron-webcrypto';
import { sealData, unsealData } from 'iron-session';
import { CompactEncrypt, EncryptJWT, compactDecrypt, jwtDecrypt } from 'jose';
import { createKeyring, generateKey, seal, unseal } from 'sealed-session';
import { sealSync, unsealSync } from 'sealed-session/sync';
import * as web from 'sealed-session/web';
import { SAMPLE_SESSION } from './fixtures.js';

export type Entries = Record<string, string>;

/**
 * "realistic ~1 KB": what a signed-in user of a shop might carry: ids, profile, CSRF token,
 * preferences, an OAuth access token, a small cart serialized as JSON, a flash message.
 */
export const REALISTIC_SESSION: ReadonlyMap<string, string> = new Map([
  ['userId', '8f14e45f-ceea-467f-a0e6-3f5c2b1d9a71'],
  ['email', 'alice.johnson@example.com'],
  ['name', 'Alice Johnson'],
  ['roles', 'customer,newsletter,beta-tester'],
  ['csrf', 'Q3JzZl9Ub2tlbl9mb3JfdGhlX2N1cnJlbnRfc2Vzc2lvbg'],
  ['locale', 'en-US'],
  ['timezone', 'Europe/Berlin'],
  ['theme', 'dark'],
  ['oauthProvider', 'github'],
  ['oauthAccessToken', 'gho_16C7e42F292c6912E7710c838347Ae178B4a'],
  ['oauthExpiresAt', '1750003600'],
  [
    'cart',
    JSON.stringify([
      { sku: 'SKU-10442', qty: 2, price: 1999, title: 'Merino wool socks, charcoal' },
      { sku: 'SKU-20817', qty: 1, price: 8900, title: 'Waterproof trail jacket, size M' },
      { sku: 'SKU-33105', qty: 1, price: 2450, title: 'Stainless steel bottle, 750 ml' },
    ]),
  ],
  ['couponCode', 'SUMMER-2025-FREESHIP'],
  ['shippingCountry', 'DE'],
  ['flash', 'Your profile was updated. A confirmation email is on its way to alice.johnson@example.com.'],
  ['returnTo', '/account/orders?status=open&page=2'],
  ['lastSeen', '2025-06-15T15:06:40.000Z'],
  ['featureFlags', 'new-checkout,beta-search,one-click-reorder,dark-mode-v2'],
  ['abTests', 'pricing-page:variant-b;onboarding:control;search-ranking:variant-c'],
]);

export const SAMPLES = [
  ['the 5-entry sample (README)', SAMPLE_SESSION],
  ['realistic ~1 KB', REALISTIC_SESSION],
] as const;

export const entryBytes = (data: ReadonlyMap<string, string>) =>
  [...data].reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);

export interface Subject {
  readonly name: string;
  readonly options: string;
  readonly seal: (data: ReadonlyMap<string, string>, entries: Entries) => Promise<string>;
  readonly unseal: (token: string) => Promise<Entries | ReadonlyMap<string, string> | null>;
}

/** The installed version of a peer, so that every row names what actually ran. */
function installed(name: string): string {
  const manifest = new URL(`../node_modules/${name}/package.json`, import.meta.url);
  return `${name} ${(JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version}`;
}

// --- keys: one 32-byte secret (or 32-character password) per library, made once -----------------
const ourKeys = createKeyring(generateKey());
const ourWebKeys = web.createKeyring(generateKey());
const CONTEXT = 'sid';
const ironPassword = generateKey(); // 43 characters: iron requires at least 32
const floorKey = randomBytes(32);
const joseDirKey = await crypto.subtle.importKey('raw', randomBytes(32), 'AES-GCM', false, ['encrypt', 'decrypt']);
const joseKwKey = await crypto.subtle.importKey('raw', randomBytes(32), 'AES-KW', false, ['wrapKey', 'unwrapKey']);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const fastify = Fastify();
await fastify.register(fastifySecureSession, { key: randomBytes(32) });
await fastify.ready();

export const subjects: Subject[] = [
  {
    name: 'sealed-session seal/unseal',
    options: "node:crypto build, defaults (XAES-256-GCM, ttl 7 days), context 'sid'",
    seal: (data) => seal(data, { keys: ourKeys, context: CONTEXT }),
    unseal: async (token) => {
      const result = await unseal(token, { keys: ourKeys, context: CONTEXT });
      return result.ok ? result.data : null;
    },
  },
  {
    name: 'sealed-session sealSync/unsealSync',
    options: 'the same, synchronous (sealed-session/sync)',
    seal: async (data) => sealSync(data, { keys: ourKeys, context: CONTEXT }),
    unseal: async (token) => {
      const result = unsealSync(token, { keys: ourKeys, context: CONTEXT });
      return result.ok ? result.data : null;
    },
  },
  {
    name: 'sealed-session/web seal/unseal',
    options: 'the same on the WebCrypto build',
    seal: (data) => web.seal(data, { keys: ourWebKeys, context: CONTEXT }),
    unseal: async (token) => {
      const result = await web.unseal(token, { keys: ourWebKeys, context: CONTEXT });
      return result.ok ? result.data : null;
    },
  },
  {
    name: 'floor: JSON + AES-256-GCM + base64url',
    options: 'node:crypto, random 96-bit IV; no key id, expiry or context',
    seal: async (_data, entries) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', floorKey, iv);
      return Buffer.concat([
        iv,
        cipher.update(JSON.stringify(entries), 'utf8'),
        cipher.final(),
        cipher.getAuthTag(),
      ]).toString('base64url');
    },
    unseal: async (token) => {
      const bytes = Buffer.from(token, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', floorKey, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      return JSON.parse(
        Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8'),
      ) as Entries;
    },
  },
  {
    name: `${installed('iron-session')} sealData/unsealData`,
    options: 'defaults: ttl 14 days; iron Fe26.2 (AES-256-CBC + HMAC-SHA256, PBKDF2 1 iteration, 256-bit salts)',
    seal: (_data, entries) => sealData(entries, { password: ironPassword }),
    unseal: async (token) => {
      const data = await unsealData<Entries>(token, { password: ironPassword });
      return Object.keys(data).length === 0 ? null : data;
    },
  },
  {
    name: `${installed('@hapi/iron')} seal/unseal`,
    options: 'Iron.defaults: ttl 0 (no expiry), Fe26.2 as above',
    seal: (_data, entries) => HapiIron.seal(entries, ironPassword, HapiIron.defaults),
    unseal: async (token) => (await HapiIron.unseal(token, ironPassword, HapiIron.defaults)) as Entries,
  },
  {
    name: `${installed('iron-webcrypto')} seal/unseal`,
    options: 'defaults: ttl 0 (no expiry), Fe26.2 as above, on WebCrypto',
    seal: (_data, entries) => IronWebcrypto.seal(entries, { id: '1', secret: ironPassword }, IronWebcrypto.defaults),
    unseal: async (token) =>
      (await IronWebcrypto.unseal(token, { '1': ironPassword }, IronWebcrypto.defaults)) as Entries,
  },
  {
    name: `${installed('jose')} EncryptJWT dir`,
    options: "alg 'dir', enc 'A256GCM', iat + exp 7 days; key imported once",
    seal: (_data, entries) =>
      new EncryptJWT(entries)
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
        .setIssuedAt()
        .setExpirationTime('7d')
        .encrypt(joseDirKey),
    unseal: async (token) => {
      const { payload } = await jwtDecrypt(token, joseDirKey);
      delete payload.iat;
      delete payload.exp;
      return payload as Entries;
    },
  },
  {
    name: `${installed('jose')} EncryptJWT A256KW`,
    options: "alg 'A256KW', enc 'A256GCM', iat + exp 7 days; key imported once",
    seal: (_data, entries) =>
      new EncryptJWT(entries)
        .setProtectedHeader({ alg: 'A256KW', enc: 'A256GCM' })
        .setIssuedAt()
        .setExpirationTime('7d')
        .encrypt(joseKwKey),
    unseal: async (token) => {
      const { payload } = await jwtDecrypt(token, joseKwKey);
      delete payload.iat;
      delete payload.exp;
      return payload as Entries;
    },
  },
  {
    name: `${installed('jose')} CompactEncrypt dir`,
    options: "alg 'dir', enc 'A256GCM', JSON payload, no claims (no expiry); key imported once",
    seal: (_data, entries) =>
      new CompactEncrypt(encoder.encode(JSON.stringify(entries)))
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
        .encrypt(joseDirKey),
    unseal: async (token) => JSON.parse(decoder.decode((await compactDecrypt(token, joseDirKey)).plaintext)) as Entries,
  },
  {
    name: installed('@fastify/secure-session'),
    options:
      'encodeSecureSession/decodeSecureSession: sodium-native crypto_secretbox (XSalsa20-Poly1305), 32-byte key, expiry 1 day',
    seal: async (_data, entries) => fastify.encodeSecureSession(fastify.createSecureSession({ ...entries })),
    unseal: async (token) => (fastify.decodeSecureSession(token)?.data() as Entries | undefined) ?? null,
  },
];

export function sameEntries(
  expected: ReadonlyMap<string, string>,
  actual: Entries | ReadonlyMap<string, string> | null,
): boolean {
  if (actual === null) return false;
  const got = actual instanceof Map ? Object.fromEntries(actual) : (actual as Entries);
  return Object.keys(got).length === expected.size && [...expected].every(([k, v]) => got[k] === v);
}

/** Stops the Fastify instance that hosts @fastify/secure-session's sealing. */
export async function closePeers(): Promise<void> {
  await fastify.close();
}
