import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { createKeyring, keyringState, type KeyInput } from '../../src/keys/keyring.js';
import { BAD_INPUTS, SECRET_A, SECRET_B, withPollutedPrototype } from '../helpers.js';

test("Kocha's key sizes: 15, 17, 23, 25 and 31 bytes are rejected, 32 and more accepted", () => {
  for (const size of [15, 16, 17, 23, 24, 25, 31]) {
    assert.throws(() => createKeyring('k'.repeat(size)), {
      name: 'RangeError',
      message: new RegExp(`keys: expected at least 32 bytes \\(use generateKey\\(\\)\\), got ${size} bytes`),
    });
    assert.throws(() => createKeyring([{ id: 'a', secret: new Uint8Array(size) }]), {
      name: 'RangeError',
      message: /keys\[0\]\.secret: expected at least 32 bytes/,
    });
  }
  for (const size of [32, 33, 64, 100]) {
    assert.equal(createKeyring('k'.repeat(size)).currentKeyId, '1');
    assert.equal(createKeyring([{ id: 'a', secret: new Uint8Array(size) }]).currentKeyId, 'a');
  }
});

test('a string secret counts UTF-8 bytes', () => {
  assert.ok(createKeyring('é'.repeat(16))); // 32 bytes in 16 characters
  assert.throws(() => createKeyring('é'.repeat(15)), { name: 'RangeError', message: /got 30 bytes/ });
  assert.throws(() => createKeyring('\uD800'.repeat(40)), { name: 'TypeError', message: /well-formed Unicode/ });
});

test('the first key is current; ids are listed in order', () => {
  const keys = createKeyring([
    { id: 'new', secret: SECRET_A },
    { id: 'old', secret: SECRET_B },
  ]);
  assert.equal(keys.currentKeyId, 'new');
  assert.deepEqual(keys.keyIds, ['new', 'old']);
  const state = keyringState(keys);
  assert.equal(state.current.id, 'new');
  assert.equal(state.byId.get('old')!.id, 'old');
});

test('ids: 1 to 16 characters of [A-Za-z0-9_-], unique', () => {
  const table: Array<[KeyInput[] | unknown, RegExp, string]> = [
    [[], /keys: expected at least one \{ id, secret \}, got an empty array/, 'RangeError'],
    [
      [{ id: '', secret: SECRET_A }],
      /keys\[0\]\.id: expected 1 to 16 characters from \[A-Za-z0-9_-\], got an empty string/,
      'TypeError',
    ],
    [[{ id: 'a'.repeat(17), secret: SECRET_A }], /keys\[0\]\.id: expected 1 to 16 characters/, 'TypeError'],
    [[{ id: 'a.b', secret: SECRET_A }], /got a string of length 3/, 'TypeError'],
    [[{ id: 7, secret: SECRET_A }], /got number 7/, 'TypeError'],
    [
      [
        { id: 'a', secret: SECRET_A },
        { id: 'a', secret: SECRET_B },
      ],
      /keys\[1\]\.id: expected a unique id, got the id of keys\[0\] again/,
      'TypeError',
    ],
    [[null], /keys\[0\]: expected an object \{ id, secret \}, got null/, 'TypeError'],
    [[{ id: 'a', secret: 42 }], /keys\[0\]\.secret: expected a string or a Uint8Array, got number/, 'TypeError'],
    [
      { id: 'a', secret: SECRET_A },
      /keys: expected a secret string or an array of \{ id, secret \}, got an object/,
      'TypeError',
    ],
  ];
  for (const [input, message, name] of table) {
    assert.throws(() => createKeyring(input as KeyInput[]), { name, message }, String(message));
  }
});

test('a keyring never shows its secrets', () => {
  const secret = 'super-secret-value-that-must-not-leak-0123456789';
  const keys = createKeyring([{ id: 'k1', secret }]);
  assert.equal(JSON.stringify(keys), '{"keyIds":["k1"]}');
  assert.equal(inspect(keys, { showHidden: true, depth: 10 }), "Keyring { keyIds: ['k1'] }");
  assert.ok(!String(keys).includes(secret));
  assert.ok(!Object.values(keys).some((value) => String(value).includes(secret)));
  // Error messages describe secrets by type and size only.
  for (const bad of [secret.slice(0, 20), 12345]) {
    try {
      createKeyring([{ id: 'k', secret: bad as string }]);
      assert.fail('expected a throw');
    } catch (error) {
      assert.ok(!String((error as Error).message).includes(String(bad)), (error as Error).message);
    }
  }
  // Passing the secret itself where a keyring belongs must not echo it either.
  assert.throws(
    () => keyringState(secret),
    (error: Error) =>
      error instanceof TypeError &&
      !error.message.includes(secret) &&
      /pass secrets through createKeyring/.test(error.message),
  );
});

test('a Uint8Array secret is copied: later changes to it do not change the key', () => {
  const bytes = new Uint8Array(32).fill(7);
  const keys = createKeyring([{ id: 'a', secret: bytes }]);
  bytes.fill(0);
  assert.deepEqual([...keyringState(keys).current.secret], new Array(32).fill(7));
});

test('keyrings are frozen', () => {
  const keys = createKeyring(SECRET_A);
  assert.ok(Object.isFrozen(keys) && Object.isFrozen(keys.keyIds));
});

test('bad inputs to createKeyring and to options.keys throw TypeError or RangeError', () => {
  for (const [label, value] of BAD_INPUTS) {
    // A long string is a fine secret; everything else in the catalogue is not.
    if (label === 'a 1 MB string') {
      assert.equal(createKeyring(value as string).currentKeyId, '1');
    } else
      assert.throws(
        () => createKeyring(value as string),
        (error: Error) => error instanceof TypeError || error instanceof RangeError,
        label,
      );
    assert.throws(
      () => keyringState(value),
      { name: 'TypeError', message: /options\.keys: expected a keyring from createKeyring\(\)/ },
      label,
    );
  }
});

test("an 'accept-only' key opens but never seals: the first active key is current, listed first", () => {
  const keys = createKeyring([
    { id: 'next', secret: SECRET_B, state: 'accept-only' },
    { id: 'now', secret: SECRET_A },
  ]);
  assert.equal(keys.currentKeyId, 'now');
  assert.deepEqual(keys.keyIds, ['now', 'next']);
  assert.deepEqual(keys.acceptOnlyKeyIds, ['next']);
  const state = keyringState(keys);
  assert.equal(state.current.id, 'now');
  assert.equal(state.byId.get('next')!.id, 'next');
  assert.equal(JSON.stringify(keys), '{"keyIds":["now","next"],"acceptOnlyKeyIds":["next"]}');
  assert.equal(inspect(keys), "Keyring { keyIds: ['now', 'next'], acceptOnlyKeyIds: ['next'] }");
  // 'active' spelled out is the default.
  assert.equal(createKeyring([{ id: 'a', secret: SECRET_A, state: 'active' }]).currentKeyId, 'a');
  assert.deepEqual(createKeyring([{ id: 'a', secret: SECRET_A }]).acceptOnlyKeyIds, []);
});

test('a keyring without an active key, or with an unknown state, is refused at start-up', () => {
  assert.throws(() => createKeyring([{ id: 'a', secret: SECRET_A, state: 'accept-only' }]), {
    name: 'TypeError',
    message: "keys: expected at least one active key (without state: 'accept-only') to seal with, got 1 accept-only",
  });
  for (const state of ['retired', 'ACTIVE', null, 1, true]) {
    assert.throws(() => createKeyring([{ id: 'a', secret: SECRET_A, state } as unknown as KeyInput]), {
      name: 'TypeError',
      message: new RegExp(`^keys\\[0\\]\\.state: expected 'active' or 'accept-only', got `),
    });
  }
});

const untypedEntry = (value: object): KeyInput => value as KeyInput;

test('a polluted Object.prototype supplies no id or secret: an entry without them is refused', async () => {
  await withPollutedPrototype({ id: 'evil', secret: SECRET_B }, () => {
    assert.throws(() => createKeyring([untypedEntry({ id: 'a' })]), {
      name: 'TypeError',
      message: /^keys\[0\]\.secret: expected a string or a Uint8Array, got undefined$/,
    });
    assert.throws(() => createKeyring([untypedEntry({ secret: SECRET_A })]), {
      name: 'TypeError',
      message: /^keys\[0\]\.id: expected 1 to 16 characters/,
    });
  });
});
