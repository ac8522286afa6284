/**
 * The WebCrypto build when the runtime's values come from another realm (issue 15). Next.js's
 * edge sandbox runs the library in a `vm` context while `crypto.subtle` belongs to the host, so
 * every promise, ArrayBuffer and CryptoKey the library receives fails `instanceof` against its own
 * globals. Here the roles are mirrored: the library runs in this realm and `globalThis.crypto` is
 * replaced by one whose every answer is made inside a `node:vm` context (its Promise, its
 * ArrayBuffer), backed by the real WebCrypto. Tokens made this way must equal, and open with, the
 * Node build's.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createContext, runInContext } from 'node:vm';
import * as node from '../../src/index.js';
import * as web from '../../src/web.js';
import { isThenable, continueWith, whenSettled } from '../../src/async/maybe-promise.js';
import { webRuntime } from '../../src/crypto/web.js';
import { xaesSeal, xaesKey, type XaesKey } from '../../src/crypto/xaes.js';
import { SAMPLE_SESSION, SECRET_A, hex, toHex } from '../helpers.js';

/** The other realm, holding a WebCrypto facade whose answers are all of its own making. */
const realm = createContext({ hostSubtle: crypto.subtle, hostRandom: crypto.getRandomValues.bind(crypto) });
const foreignCrypto = runInContext(
  `
  // Copies an answer into this realm's ArrayBuffer; async functions here return this realm's Promise.
  const own = (value) => {
    if (!(value && typeof value === 'object' && 'byteLength' in value && !ArrayBuffer.isView(value))) return value;
    const copy = new ArrayBuffer(value.byteLength);
    new Uint8Array(copy).set(new Uint8Array(value));
    return copy;
  };
  const subtle = {};
  for (const name of ['importKey', 'sign', 'verify', 'encrypt', 'decrypt']) {
    subtle[name] = async (...args) => own(await hostSubtle[name](...args));
  }
  ({ subtle, getRandomValues: hostRandom });
  `,
  realm,
) as { subtle: SubtleCrypto; getRandomValues: (view: Uint8Array) => Uint8Array };

const ForeignPromise = runInContext('Promise', realm) as PromiseConstructor;
/** ASCII text as a Uint8Array of the other realm (a vm context has no TextEncoder). */
const foreignBytes = (ascii: string): Uint8Array =>
  runInContext(`Uint8Array.from(${JSON.stringify(ascii)}, (c) => c.charCodeAt(0))`, realm) as Uint8Array;

const hostCrypto = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
function useForeignCrypto(): void {
  Object.defineProperty(globalThis, 'crypto', {
    value: foreignCrypto,
    configurable: true,
    enumerable: true,
    writable: false,
  });
}
function restoreCrypto(): void {
  Object.defineProperty(globalThis, 'crypto', hostCrypto);
}

test('the harness really crosses realms: promises and buffers from the facade fail instanceof here', async () => {
  const pending = foreignCrypto.subtle.importKey('raw', new Uint8Array(32), 'AES-GCM', false, ['encrypt']);
  assert.equal(pending instanceof Promise, false);
  assert.equal(pending instanceof ForeignPromise, true);
  const key = await pending;
  const sealed = await foreignCrypto.subtle.encrypt(
    { name: 'AES-GCM', iv: new Uint8Array(12) },
    key,
    new Uint8Array(0),
  );
  assert.equal(sealed instanceof ArrayBuffer, false);
  assert.equal(sealed.byteLength, 16);
  assert.equal(foreignBytes('x') instanceof Uint8Array, false);
});

describe('async/maybe-promise.ts: promises of another realm are promises', () => {
  test('isThenable: true for a foreign promise, false for the values runtimes resolve to', () => {
    assert.equal(isThenable(ForeignPromise.resolve(1)), true);
    assert.equal(isThenable(Promise.resolve(1)), true);
    const values = [
      new Uint8Array(2),
      foreignBytes('ab'),
      null,
      undefined,
      true,
      false,
      {},
      Object.create(null),
      'then',
    ];
    values.forEach((value, index) => assert.equal(isThenable(value as never), false, `values[${index}]`));
  });

  test('continueWith() waits for a foreign promise instead of handing it on as the value', async () => {
    const seen: unknown[] = [];
    const result = continueWith(ForeignPromise.resolve(foreignBytes('abc')), (bytes) => {
      seen.push(bytes);
      return bytes.subarray(1).length;
    });
    assert.equal(isThenable(result), true);
    assert.equal(await result, 2);
    assert.equal(seen.length, 1);
    assert.equal(isThenable(seen[0] as never), false);
  });

  test('whenSettled() swaps in the value of a foreign promise, and drops a foreign rejection', async () => {
    const outcomes: string[] = [];
    whenSettled(
      ForeignPromise.resolve('key'),
      (value) => outcomes.push(`resolved ${value}`),
      () => outcomes.push('failed'),
    );
    whenSettled(
      ForeignPromise.reject(new Error('no')),
      () => outcomes.push('resolved'),
      () => outcomes.push('failed'),
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(outcomes.sort(), ['failed', 'resolved key']);
  });
});

describe('the WebCrypto build on a foreign crypto.subtle', () => {
  before(useForeignCrypto);
  after(restoreCrypto);

  test('seal/unseal and sign/verify: tokens open on the Node build and vice versa; signed tokens are byte-identical', async () => {
    const webKeys = web.createKeyring([{ id: 'k', secret: SECRET_A }]);
    const nodeKeys = node.createKeyring([{ id: 'k', secret: SECRET_A }]);
    const options = { context: 'sid', now: Date.UTC(2025, 0, 1) };

    const sealed = await web.seal(SAMPLE_SESSION, { ...options, keys: webKeys });
    const opened = await node.unseal(sealed, { ...options, keys: nodeKeys });
    assert.equal(opened.ok, true);
    assert.deepEqual(opened.ok && opened.data, new Map(SAMPLE_SESSION));
    const fromNode = await node.seal(SAMPLE_SESSION, { ...options, keys: nodeKeys });
    assert.deepEqual(
      await web.unseal(fromNode, { ...options, keys: webKeys }),
      await node.unseal(fromNode, { ...options, keys: nodeKeys }),
    );

    const signed = await web.sign(SAMPLE_SESSION, { ...options, keys: webKeys });
    assert.equal(signed, await node.sign(SAMPLE_SESSION, { ...options, keys: nodeKeys }));
    assert.equal((await web.verify(signed, { ...options, keys: webKeys })).ok, true);
  });

  test('a failed check is still a result, never an exception: tampered tokens on the foreign subtle', async () => {
    const keys = web.createKeyring([{ id: 'k', secret: SECRET_A }]);
    const sealed = await web.seal(SAMPLE_SESSION, { keys });
    const signed = await web.sign(SAMPLE_SESSION, { keys });
    const flip = (token: string) => token.slice(0, -2) + (token.at(-2) === 'A' ? 'B' : 'A') + token.at(-1);
    assert.deepEqual(
      await web.unseal(flip(sealed), { keys }),
      await node.unseal(flip(sealed), { keys: node.createKeyring([{ id: 'k', secret: SECRET_A }]) }),
    );
    assert.equal((await web.unseal(flip(sealed), { keys })).ok, false);
    assert.equal((await web.verify(flip(signed), { keys })).ok, false);
  });

  test('XAES-256-GCM on the foreign subtle gives the Node build bytes for a fixed nonce', async () => {
    const key = hex('0101010101010101010101010101010101010101010101010101010101010101');
    const nonce = new TextEncoder().encode('ABCDEFGHIJKLMNOPQRSTUVWX');
    const plaintext = new TextEncoder().encode('XAES-256-GCM');
    const xkey = (await xaesKey(webRuntime, key)) as XaesKey;
    const sealed = await xaesSeal(webRuntime, xkey, nonce, plaintext, new Uint8Array(0));
    // The first C2SP XAES-256-GCM vector (test/vectors/xaes-256-gcm.json).
    assert.equal(toHex(sealed), 'ce546ef63c9cc60765923609b33a9a1974e96e52daf2fcf7075e2271');
  });

  test('the session layer: commit then read, with a session large enough to be chunked', async () => {
    const config = web.defineSession({
      name: 'sid',
      keys: web.createKeyring([{ id: 'k', secret: SECRET_A }]),
      maxSize: 12288,
    });
    const state = await web.readSession(null, config);
    for (let i = 0; i < 40; i++) state.session.set(`key${i}`, 'v'.repeat(150));
    const lines = await web.commitSession(state, config);
    assert.ok(lines.length >= 2, `expected the session in several cookies, got ${lines.length}`);
    const cookieHeader = lines.map((line) => line.slice(0, line.indexOf(';'))).join('; ');
    const read = await web.readSession(cookieHeader, config);
    assert.deepEqual(new Map(read.session), new Map(state.session));
  });

  test('a key secret made in the other realm is accepted as a Uint8Array', async () => {
    const secret = foreignBytes(SECRET_A);
    const foreignKeys = web.createKeyring([{ id: 'k', secret }]);
    const token = await web.sign(SAMPLE_SESSION, { keys: foreignKeys, now: 0 });
    assert.equal(
      token,
      await node.sign(SAMPLE_SESSION, { keys: node.createKeyring([{ id: 'k', secret: SECRET_A }]), now: 0 }),
    );
  });
});
