/**
 * The checks every runtime runs, written once and free of any runtime's API: only ECMAScript and
 * WebCrypto-era globals (TextEncoder, performance). Each runtime's entry (run-cli.mjs for Node, Bun
 * and Deno, worker.mjs for workerd, browser.mjs for Chromium) imports the library by its package
 * name, as users do, and hands it in with the vectors; a failed check throws with what differed.
 *
 * The known-answer checks of sealed tokens need a fixed nonce, which the public API never takes
 * (STYLE.md §9: randomness is pinned only through an internal parameter). They reach the packed
 * library's internal `sealWith` by its file path, with the primitives of the build the runtime
 * resolved, exactly as that build composes them.
 */
import { sealWith } from './node_modules/sealed-session/dist/core/seal.js';
import { hkdfExpand, hkdfExtract } from './node_modules/sealed-session/dist/crypto/hkdf.js';
import { xaesKey, xaesOpen, xaesSeal } from './node_modules/sealed-session/dist/crypto/xaes.js';

export const hex = (text) => Uint8Array.from(text.match(/../g) ?? [], (pair) => parseInt(pair, 16));
export const toHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const utf8 = new TextEncoder();

function check(condition, message) {
  if (!condition) throw new Error(message);
}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** Which build `sealed-session` resolved to: the WebCrypto one is the module `sealed-session/web` is. */
export function buildOf(lib, web) {
  return lib.seal === web.seal ? 'WebCrypto' : 'node:crypto';
}

// ---------------------------------------------------------------------------------------------
// Format vectors (test/vectors/tokens.json)
// ---------------------------------------------------------------------------------------------

const ring = (lib, specs) => lib.createKeyring(specs.map(({ id, secret }) => ({ id, secret: hex(secret) })));
const openOptions = (lib, c) => ({
  keys: ring(lib, c.keys),
  now: c.now,
  context: c.context,
  ...(c.clockSkew !== undefined ? { clockSkew: c.clockSkew } : {}),
  ...(c.issuedAfter !== undefined ? { issuedAfter: c.issuedAfter } : {}),
});

async function formatVectors(lib, primitives, tokens) {
  for (const c of tokens.generate) {
    const options = { keys: ring(lib, c.keys), now: c.now, ttl: c.ttl ?? Infinity, context: c.context };
    const data = new Map(c.data);
    // Signed tokens are deterministic, so the public `sign` must give the vector itself.
    const token = c.kind === 'sealed' ? await sealWith(primitives, data, options, hex(c.nonce)) : await lib.sign(data, options);
    check(token === c.token, `generate "${c.name}": got ${token}`);
  }
  for (const c of tokens.verify) {
    const result = await (c.kind === 'sealed' ? lib.unseal : lib.verify)(c.token, openOptions(lib, c));
    const got = result.ok && { data: [...result.data], keyId: result.keyId, issuedAt: result.issuedAt, expiresAt: result.expiresAt, rotated: result.rotated };
    check(same(got, c.expect), `verify "${c.name}": got ${JSON.stringify(got)}`);
  }
  for (const c of tokens.invalid) {
    const result = await (c.kind === 'sealed' ? lib.unseal : lib.verify)(c.token, openOptions(lib, c));
    check(same(result, { ok: false, reason: c.reason }), `invalid "${c.name}": got ${JSON.stringify(result)}`);
  }
  return tokens.generate.length + tokens.verify.length + tokens.invalid.length;
}

// ---------------------------------------------------------------------------------------------
// Wycheproof and C2SP vectors, through the primitives of the resolved build
// ---------------------------------------------------------------------------------------------

async function aesGcmVectors(primitives, file) {
  let count = 0;
  for (const group of file.testGroups) {
    // The build composes AES-256-GCM with 96-bit IVs and 128-bit tags only.
    if (group.keySize !== 256 || group.ivSize !== 96 || group.tagSize !== 128) continue;
    for (const c of group.tests) {
      const key = await primitives.importAesGcmKey(hex(c.key));
      const opened = await primitives.aesGcmDecrypt(key, hex(c.iv), hex(c.ct + c.tag), hex(c.aad));
      if (c.result === 'invalid') {
        check(opened === null, `AES-GCM tcId ${c.tcId}: an invalid case opened`);
      } else {
        check(opened !== null && toHex(opened) === c.msg, `AES-GCM tcId ${c.tcId}: wrong plaintext`);
        const sealed = await primitives.aesGcmEncrypt(key, hex(c.iv), hex(c.msg), hex(c.aad));
        check(toHex(sealed) === c.ct + c.tag, `AES-GCM tcId ${c.tcId}: wrong ciphertext`);
      }
      count++;
    }
  }
  check(count > 50, `AES-GCM: only ${count} cases ran`);
  return count;
}

async function hmacVectors(primitives, file) {
  let count = 0;
  for (const group of file.testGroups) {
    for (const c of group.tests) {
      const key = await primitives.importHmacKey(hex(c.key));
      const mac = await primitives.hmac(key, hex(c.msg));
      const tagBytes = group.tagSize / 8;
      check((toHex(mac.subarray(0, tagBytes)) === c.tag) === (c.result === 'valid'), `HMAC tcId ${c.tcId}`);
      if (tagBytes === 32) check((await primitives.hmacVerify(key, hex(c.msg), hex(c.tag))) === (c.result === 'valid'), `HMAC verify tcId ${c.tcId}`);
      count++;
    }
  }
  check(count > 100, `HMAC: only ${count} cases ran`);
  return count;
}

/** Full HKDF (RFC 5869 §2) from the library's two steps, as crypto/keys.ts composes them. */
async function hkdf(primitives, ikm, salt, info, length) {
  const prk = await hkdfExtract(primitives, salt, ikm);
  return hkdfExpand(primitives, await primitives.importHmacKey(prk), info, length);
}

async function hkdfVectors(primitives, file) {
  let count = 0;
  for (const group of file.testGroups) {
    for (const c of group.tests) {
      if (c.result === 'valid') {
        const okm = await hkdf(primitives, hex(c.ikm), hex(c.salt), hex(c.info), c.size);
        check(toHex(okm) === c.okm, `HKDF tcId ${c.tcId}: wrong output`);
      } else {
        let threw = false;
        try {
          await hkdf(primitives, hex(c.ikm), hex(c.salt), hex(c.info), c.size);
        } catch (error) {
          threw = error instanceof RangeError;
        }
        check(threw, `HKDF tcId ${c.tcId}: an invalid size did not throw a RangeError`);
      }
      count++;
    }
  }
  check(count > 50, `HKDF: only ${count} cases ran`);
  return count;
}

async function xaesVectors(primitives, file) {
  for (const v of file.vectors) {
    const key = await xaesKey(primitives, hex(v.key));
    const nonce = utf8.encode(v.nonceText);
    const aad = utf8.encode(v.aadText);
    const sealed = await xaesSeal(primitives, key, nonce, utf8.encode(v.plaintextText), aad);
    check(toHex(sealed) === v.ciphertext, `XAES "${v.name}": got ${toHex(sealed)}`);
    const opened = await xaesOpen(primitives, key, nonce, sealed, aad);
    check(opened !== null && new TextDecoder().decode(opened) === v.plaintextText, `XAES "${v.name}": did not open`);
  }
  return file.vectors.length;
}

// ---------------------------------------------------------------------------------------------
// Parity: fixed inputs every runtime seals and signs, and opens from every other runtime
// ---------------------------------------------------------------------------------------------

export const PARITY = Object.freeze({
  secret: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
  nonce: '404142434445464748494a4b4c4d4e4f5051525354555657',
  now: 1_750_000_000_000,
  ttl: 604_800,
  context: 'sid',
  data: [['userId', '12345'], ['name', 'alice'], ['emoji', '😀𝄞'], ['nul', 'a\u0000b'], ['empty', '']],
});
const parityOptions = (lib) => ({ keys: lib.createKeyring([{ id: 'p1', secret: hex(PARITY.secret) }]), now: PARITY.now, ttl: PARITY.ttl, context: PARITY.context });

/** Tokens of the fixed inputs: `sealed` with a random nonce, `sealedFixed` with the fixed one, `signed`. */
export async function parityTokens(lib, primitives) {
  const options = parityOptions(lib);
  const data = new Map(PARITY.data);
  return {
    sealed: await lib.seal(data, options),
    sealedFixed: await sealWith(primitives, data, options, hex(PARITY.nonce)),
    signed: await lib.sign(data, options),
  };
}

/** Opens every other runtime's tokens; throws on the first one that does not give the fixed data. */
export async function openParityTokens(lib, others) {
  const options = parityOptions(lib);
  let count = 0;
  for (const { runtime, tokens } of others) {
    for (const [kind, token] of Object.entries(tokens)) {
      const result = await (kind === 'signed' ? lib.verify : lib.unseal)(token, options);
      check(result.ok && same([...result.data], PARITY.data), `the ${kind} token of ${runtime} did not open: ${JSON.stringify(result)}`);
      count++;
    }
  }
  return count;
}

// ---------------------------------------------------------------------------------------------
// The session layer, with chunking
// ---------------------------------------------------------------------------------------------

/** A browser's cookie jar for one host: Max-Age=0 deletes, anything else stores. */
export class Jar {
  cookies = new Map();
  apply(lines) {
    for (const line of lines) {
      const pair = line.slice(0, line.indexOf(';') === -1 ? line.length : line.indexOf(';'));
      const name = pair.slice(0, pair.indexOf('='));
      if (/;\s*max-age=(0|-\d+)/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(pair.indexOf('=') + 1));
    }
    return this;
  }
  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** Entries too large for one 4 KB cookie, so that the session is split over several. */
export const bigSession = () => Array.from({ length: 40 }, (_, i) => [`key${i}`, `${i}`.padEnd(150, 'v')]);

async function sessionRoundTrip(lib) {
  const config = lib.defineSession({ name: 'sid', keys: lib.createKeyring([{ id: 's1', secret: hex(PARITY.secret) }]), maxSize: 12288 });
  const jar = new Jar();
  const first = await lib.readSession(null, config);
  check(first.session.size === 0, 'a new visitor has an empty session');
  for (const [key, value] of bigSession()) first.session.set(key, value);
  jar.apply(await lib.commitSession(first, config));
  check(jar.cookies.size >= 2, `a ${JSON.stringify(bigSession()).length}-byte session went into ${jar.cookies.size} cookie(s), expected chunks`);
  const chunks = jar.cookies.size;

  const second = await lib.readSession(jar.header(), config);
  check(same([...second.session], bigSession()), 'the chunked session read back differs');
  second.session.clear();
  second.session.set('user', 'alice');
  jar.apply(await lib.commitSession(second, config));
  check(jar.cookies.size === 1, `after shrinking, the stale chunks stay: ${[...jar.cookies.keys()]}`);

  const third = await lib.readSession(jar.header(), config);
  check(same([...third.session], [['user', 'alice']]), 'the shrunk session read back differs');
  third.session.clear();
  jar.apply(await lib.commitSession(third, config));
  check(jar.cookies.size === 0, 'clearing the session leaves cookies');
  return chunks;
}

// ---------------------------------------------------------------------------------------------
// Seal/unseal µs: the typical 5-entry session through the public API
// ---------------------------------------------------------------------------------------------

export const SAMPLE = [['userId', '12345'], ['name', 'alice'], ['role', 'admin'], ['csrf', '0123456789abcdef0123456789abcdef'], ['locale', 'en-US']];
/** Operations per timed batch, and batches: the fastest batch counts, as other jobs share the machine's cores. */
export const BENCH_RUNS = 500;
export const BENCH_BATCHES = 5;

/** Runs `op` ('seal' or 'unseal') `runs` times; checks the last result so the work is not dropped. */
export async function benchLoop(lib, op, runs) {
  const keys = lib.createKeyring([{ id: 'b1', secret: hex(PARITY.secret) }]);
  const data = new Map(SAMPLE);
  const token = await lib.seal(data, { keys });
  let last;
  if (op === 'seal') for (let i = 0; i < runs; i++) last = await lib.seal(data, { keys });
  else if (op === 'unseal') for (let i = 0; i < runs; i++) last = await lib.unseal(token, { keys });
  else throw new Error(`benchLoop: expected op 'seal' or 'unseal', got ${op}`);
  check(runs === 0 || (op === 'seal' ? typeof last === 'string' : last.ok === true), `${op} failed while timing`);
}

/** µs per operation measured with performance.now(): the fastest of BENCH_BATCHES batches, after a warm-up. */
export async function benchmark(lib) {
  const out = {};
  for (const op of ['seal', 'unseal']) {
    await benchLoop(lib, op, 200);
    let best = Infinity;
    for (let batch = 0; batch < BENCH_BATCHES; batch++) {
      const start = performance.now();
      await benchLoop(lib, op, BENCH_RUNS);
      best = Math.min(best, performance.now() - start);
    }
    out[`${op}Us`] = (best * 1000) / BENCH_RUNS;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Everything, in one call
// ---------------------------------------------------------------------------------------------

/**
 * @param {{ lib: object, web: object, primitives: object, vectors: object, bench?: boolean }} input
 *   `vectors`: { tokens, aesGcm, hmac, hkdf, xaes } as parsed JSON.
 */
export async function runChecks({ lib, web, primitives, vectors, bench = true }) {
  const counts = {};
  counts.format = await formatVectors(lib, primitives, vectors.tokens);
  counts.aesGcm = await aesGcmVectors(primitives, vectors.aesGcm);
  counts.hmac = await hmacVectors(primitives, vectors.hmac);
  counts.hkdf = await hkdfVectors(primitives, vectors.hkdf);
  counts.xaes = await xaesVectors(primitives, vectors.xaes);
  counts.sessionChunks = await sessionRoundTrip(lib);
  return {
    build: buildOf(lib, web),
    counts,
    parity: await parityTokens(lib, primitives),
    ...(bench ? { bench: await benchmark(lib) } : {}),
  };
}
