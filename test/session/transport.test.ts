import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTransport, defineSession, readSession } from '../../src/index.js';
import { assertError, keys, untyped } from './helpers.js';

/** A fresh config (warnings are once per config) and what it warned. */
async function probe(origin: string | undefined, forwardedProto?: string | string[] | null, secure = true) {
  const warnings: string[] = [];
  const config = defineSession({
    name: 'sid',
    keys,
    cookie: { secure },
    onWarning: (message) => void warnings.push(message),
  });
  checkTransport(await readSession(undefined, config), origin, forwardedProto);
  return warnings;
}

test('plain HTTP to a host browsers do not trust: one warning naming the cookie, the host and the fixes', async () => {
  for (const origin of [
    'http://myapp.test',
    'http://myapp.test:3000/login?x=1',
    'http://192.168.1.20:8080',
    'http://[fe80::1]:80/',
    'http://example.localhost.evil.com',
  ]) {
    const warnings = await probe(origin);
    assert.equal(warnings.length, 1, origin);
    assert.match(
      warnings[0]!,
      /^sealed-session: cookie "sid" has secure: true, but this request came over plain HTTP to ".+": the browser will drop the cookie and no session will persist\. Serve over HTTPS, use http:\/\/localhost in development, or set cookie: \{ secure: false \} for development only\.$/,
    );
  }
  assert.match((await probe('http://myapp.test:3000/path'))[0]!, /to "myapp\.test:3000"/);
});

test('no warning for HTTPS, localhost and loopback (secure contexts), an HTTPS proxy in front, secure: false or no URL', async () => {
  for (const origin of [
    'https://myapp.test',
    'http://localhost',
    'http://localhost:3000/',
    'http://LOCALHOST:1',
    'http://app.localhost:5173',
    'http://127.0.0.1:8080',
    'http://127.1.2.3',
    'http://[::1]:3000/x',
  ]) {
    assert.deepEqual(await probe(origin), [], origin);
  }
  for (const proto of ['https', 'HTTPS', 'https, http', ['https']])
    assert.deepEqual(await probe('http://myapp.test', proto), [], String(proto));
  assert.equal((await probe('http://myapp.test', 'http')).length, 1);
  assert.deepEqual(await probe('http://myapp.test', undefined, false), []);
  assert.deepEqual(await probe(undefined), []);
});

test('once per config, then silent; the default goes to console.warn', async (t) => {
  const warn = t.mock.method(console, 'warn', () => {});
  const config = defineSession({ name: 'sid', keys });
  for (let i = 0; i < 3; i++) checkTransport(await readSession(undefined, config), 'http://myapp.test');
  assert.equal(warn.mock.callCount(), 1);
  assert.match(String(warn.mock.calls[0]!.arguments[0]), /cookie "sid" has secure: true/);
});

test('a state that is not from readSession is a TypeError; onWarning must be a function', async () => {
  await assertError(
    () => checkTransport(untyped({ session: new Map() }), 'http://myapp.test'),
    TypeError,
    'state: expected the result of readSession()',
  );
  await assertError(
    () => defineSession(untyped({ name: 'sid', keys, onWarning: 'log' })),
    TypeError,
    'options.onWarning: expected a function (message) => void, got',
  );
});
