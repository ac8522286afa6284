/**
 * The error-message rule (SECURITY.md, "Error messages"): a thrown message never contains any part of
 * a string the caller passed. It names the argument, gives the value's type and length and, for a bad
 * character, its index. A secret passed in the wrong place (a key as a cookie name, a token as a map
 * key, a password as a session key) must not end up in a log or a crash report. Each check below is
 * handed a secret-looking marker in the argument it rejects, and the marker must not come out.
 */
import { describe as suite, test } from 'node:test';
import assert from 'node:assert/strict';
import { describe } from '../../src/text/describe.js';
import {
  commitSession,
  cookieStore,
  createKeyring,
  defineSession,
  memoryStore,
  readSession,
  seal,
  sign,
  unseal,
} from '../../src/index.js';
import { Session } from '../../src/session/session.js';
import { serializeSetCookie } from '../../src/session/cookie.js';
import { main } from '../../src/cli.js';
import { SECRET_A } from '../helpers.js';

/** Letters and digits only, 16 characters: it passes as a key id, a cookie name and a cookie value. */
const MARKER = 'Zq7SeCrEtMaRkEr9';
const keys = createKeyring(SECRET_A);
const untyped = (value: unknown): never => value as never;

test('describe() gives a string as its length only', () => {
  assert.equal(describe(MARKER), 'a string of length 16');
  assert.equal(describe(''), 'an empty string');
  assert.equal(describe(new (class Secretive {})()), 'an instance of Secretive');
  // The class comes from the prototype, never from an own property of the caller's object.
  assert.equal(describe({ constructor: { name: MARKER } }), 'an object');
  assert.equal(describe(Object.create(null)), 'an object');
  const hostile = new Proxy(
    {},
    {
      getPrototypeOf: () => {
        throw new Error(MARKER);
      },
    },
  );
  assert.equal(describe(hostile), 'an object');
});

/** Every argument check handed the marker where it fails; each must throw, without the marker. */
const CHECKS: ReadonlyArray<readonly [string, () => unknown]> = [
  ['cookie name with a bad character', () => serializeSetCookie(`${MARKER} `, 'v')],
  ['cookie value with a bad character', () => serializeSetCookie('n', `${MARKER};`)],
  ['cookie domain', () => serializeSetCookie('n', 'v', { domain: `${MARKER}!` })],
  ['cookie domain label too long', () => serializeSetCookie('n', 'v', { domain: MARKER.repeat(5) })],
  ['cookie path without /', () => serializeSetCookie('n', 'v', { path: MARKER })],
  ['cookie path with ;', () => serializeSetCookie('n', 'v', { path: `/${MARKER};` })],
  ['cookie sameSite', () => serializeSetCookie('n', 'v', { sameSite: untyped(MARKER) })],
  ['cookie attribute name', () => serializeSetCookie('n', 'v', untyped({ [MARKER]: true }))],
  ['cookie prefix rules', () => serializeSetCookie(`__Host-${MARKER}`, 'v', { secure: true, path: `/${MARKER}` })],
  ['options.name', () => defineSession({ name: `${MARKER} `, keys })],
  [
    'options.name with a prefix',
    () => defineSession({ name: `__Host-${MARKER}`, keys, cookie: { domain: `${MARKER}.example` } }),
  ],
  ['an unknown option', () => defineSession(untyped({ name: 'sid', keys, [MARKER]: 1 }))],
  ['an unknown cookie option', () => defineSession(untyped({ name: 'sid', keys, cookie: { [MARKER]: 1 } }))],
  ['options.cookie.domain', () => defineSession({ name: 'sid', keys, cookie: { domain: `${MARKER}!` } })],
  ['options.cookie.path', () => defineSession({ name: 'sid', keys, cookie: { path: MARKER } })],
  ['options.rolling', () => defineSession(untyped({ name: 'sid', keys, rolling: MARKER }))],
  ['options.ttl', () => defineSession(untyped({ name: 'sid', keys, ttl: MARKER }))],
  ['options.keys as a string', () => defineSession(untyped({ name: 'sid', keys: MARKER }))],
  ['cookieStore options', () => cookieStore(untyped({ keys, [MARKER]: 1 }))],
  ['cookieStore signed', () => cookieStore(untyped({ keys, signed: MARKER }))],
  ['memoryStore options', () => memoryStore(untyped({ keys, [MARKER]: 1 }))],
  ['session.set of a non-string value', () => new Session().set(MARKER, untyped(1))],
  ['session.set of a non-string key', () => new Session().set(untyped(1), MARKER)],
  ['session.set of a lone surrogate', () => new Session().set(MARKER, `${MARKER}\uD800`)],
  ['seal of a non-string value', () => seal(new Map([[MARKER, untyped(1)]]), { keys })],
  ['sign of a lone surrogate', () => sign(new Map([[MARKER, `${MARKER}\uD800`]]), { keys })],
  ['seal options.context', () => seal(new Map(), { keys, context: `${MARKER}\uD800` })],
  ['seal options.context too long', () => seal(new Map(), { keys, context: MARKER.repeat(100) })],
  ['seal options.keys', () => seal(new Map(), untyped({ keys: MARKER }))],
  ['unseal options.clockSkew', () => unseal('ss1.x', untyped({ keys, clockSkew: MARKER }))],
  ['createKeyring with a short secret', () => createKeyring(MARKER)],
  ['createKeyring with a bad id', () => createKeyring([{ id: `${MARKER}!`, secret: SECRET_A }])],
  [
    'createKeyring with a duplicate id',
    () =>
      createKeyring([
        { id: MARKER, secret: SECRET_A },
        { id: MARKER, secret: SECRET_A },
      ]),
  ],
  [
    'createKeyring with a secret of the wrong type',
    () => createKeyring([{ id: 'a', secret: untyped(new String(MARKER)) }]),
  ],
  [
    'commitSession with options for another cookie',
    async () => {
      const state = await readSession(undefined, defineSession({ name: MARKER, keys }));
      return commitSession(state, defineSession({ name: `${MARKER}2`, keys }));
    },
  ],
  [
    'commitSession over the size budget',
    async () => {
      const config = defineSession({ name: MARKER, keys, maxChunks: 1 });
      const state = await readSession(undefined, config);
      state.session.set('big', 'x'.repeat(5000));
      return commitSession(state, config);
    },
  ],
];

suite('no thrown message shows any part of a string argument', () => {
  for (const [name, check] of CHECKS) {
    test(name, async () => {
      let thrown: unknown;
      try {
        await check();
      } catch (error) {
        thrown = error;
      }
      assert.ok(
        thrown instanceof TypeError || thrown instanceof RangeError,
        `expected a TypeError or RangeError, got ${String(thrown)}`,
      );
      for (const part of [MARKER, MARKER.slice(0, 8), MARKER.slice(8)]) {
        assert.ok(!thrown.message.includes(part), `the message shows the argument: ${thrown.message}`);
        assert.ok(!String((thrown.cause as Error | undefined)?.message).includes(part), 'the cause shows the argument');
      }
    });
  }

  test('the CLI: a duplicate key id, an unknown option and an extra argument are not echoed', async () => {
    for (const argv of [
      ['inspect', 'ss1.x', '--key', `${MARKER}:${SECRET_A}`, '--key', `${MARKER}:${SECRET_A}`],
      ['inspect', 'ss1.x', `--${MARKER}`],
      ['inspect', 'ss1.x', MARKER],
      [MARKER],
    ]) {
      let stderr = '';
      const code = await main(argv, {
        stdout: { write: () => true },
        stderr: { write: (text: string) => (stderr += text) },
        env: {},
      });
      assert.equal(code, 2);
      assert.ok(!stderr.includes(MARKER.slice(0, 8)) && !stderr.includes(MARKER.slice(8)), `echoed: ${stderr}`);
    }
  });
});
