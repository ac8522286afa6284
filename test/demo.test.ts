/**
 * The `npm start` demo (scripts/demo.ts), started on an ephemeral port and driven over HTTP with the
 * adapter suite's cookie-keeping client, as a browser would use it.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey } from 'sealed-session';
import { startDemo, type RunningDemo } from '../scripts/demo.js';
import { CookieClient } from './adapters/suite.js';

delete process.env.SESSION_KEY; // the demo reads it by default: this run tests the key file

const dir = mkdtempSync(join(tmpdir(), 'sealed-session-demo-'));
const keyFile = join(dir, '.demo-key');
const running: RunningDemo[] = [];
after(async () => {
  await Promise.all(running.map((demo) => demo.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startDemo>[0]) {
  const logs: string[] = [];
  const warnings: string[] = [];
  const demo = await startDemo({
    port: 0,
    log: (line) => logs.push(line),
    warn: (line) => warnings.push(line),
    ...options,
  });
  running.push(demo);
  return { demo, logs, warnings, client: new CookieClient(`http://127.0.0.1:${demo.port}`) };
}

const visits = (page: { body: Record<string, string> }) =>
  Number(/<strong id="visits">(\d+)<\/strong>/.exec(page.body['text'] ?? '')?.[1]);

describe('the demo server (npm start)', () => {
  let first: Awaited<ReturnType<typeof start>>;

  test('on first start it generates a development key into the key file, warns, and prints its address', async () => {
    assert.equal(existsSync(keyFile), false);
    first = await start({ keyFile });
    assert.match(readFileSync(keyFile, 'utf8'), /^[A-Za-z0-9_-]{43}\n$/);
    assert.equal(statSync(keyFile).mode & 0o777, 0o600, 'only the owner can read the key');
    assert.equal(first.warnings.length, 1);
    assert.match(first.warnings[0]!, /^WARNING: generated a development key in .*\.demo-key/);
    assert.match(first.warnings[0]!, /Production needs its own key/);
    assert.deepEqual(first.logs, [`sealed-session demo: http://localhost:${first.demo.port}`]);
    assert.equal(first.demo.url, `http://localhost:${first.demo.port}`);
  });

  test('visits increase; signing in shows the (escaped) name; signing out clears the session and its cookie', async () => {
    const { client } = first;
    const one = await client.request('GET', '/');
    assert.equal(one.status, 200);
    assert.equal(visits(one), 1);
    assert.match(one.body['text']!, /none yet/);
    assert.match(one.body['text']!, /Sign in/);
    const two = await client.request('GET', '/');
    assert.equal(visits(two), 2);
    assert.match(two.body['text']!, /<tr><th>Size<\/th><td>\d+ bytes in 1 cookie<\/td><\/tr>/);
    assert.match(two.body['text']!, /<tr><th>Sealed with key<\/th><td>dev<\/td><\/tr>/);
    assert.match(two.body['text']!, /<tr><th>Expires<\/th><td>\w{3}, \d\d \w{3} \d{4} [\d:]{8} GMT<\/td><\/tr>/);

    const login = await client.request('POST', '/login', { name: 'Ada <script>' });
    assert.equal(login.status, 303);
    assert.equal(login.setCookies.length, 1, 'the session is re-issued at sign-in');
    const signedIn = await client.request('GET', '/');
    assert.match(signedIn.body['text']!, /Signed in as <strong>Ada &lt;script&gt;<\/strong>/);
    assert.ok(!signedIn.body['text']!.includes('<script>'));
    assert.equal(visits(signedIn), 3);

    const logout = await client.request('POST', '/logout');
    assert.equal(logout.status, 303);
    assert.match(logout.setCookies[0] ?? '', /^sid=; Max-Age=0/);
    assert.equal(client.jar.size, 0);
    const signedOut = await client.request('GET', '/');
    assert.doesNotMatch(signedOut.body['text']!, /Signed in as/);
    assert.equal(visits(signedOut), 1);
  });

  test('a second start reuses the key file: earlier cookies still open', async () => {
    const second = await start({ keyFile });
    assert.match(second.warnings[0]!, /^WARNING: using the development key in/);
    second.client.jar.set('sid', first.client.jar.get('sid')!);
    assert.equal(visits(await second.client.request('GET', '/')), 2);
  });

  test('a key file other users can read or write is refused, not reused; mode 0600 is accepted', async () => {
    const exposed = join(dir, 'exposed-key');
    writeFileSync(exposed, `${generateKey()}\n`);
    for (const mode of [0o644, 0o640, 0o602]) {
      chmodSync(exposed, mode);
      await assert.rejects(start({ keyFile: exposed }), {
        message: new RegExp(`is readable or writable by other users \\(mode ${mode.toString(8)}\\).*chmod 600`),
      });
    }
    chmodSync(exposed, 0o600);
    const { warnings } = await start({ keyFile: exposed });
    assert.match(warnings[0]!, /^WARNING: using the development key in/);
  });

  test('SESSION_KEY takes precedence: no key file, no warning, the page names key 1', async () => {
    const otherFile = join(dir, 'unused-key');
    const { client, warnings } = await start({ keyFile: otherFile, sessionKey: generateKey() });
    assert.deepEqual(warnings, []);
    assert.equal(existsSync(otherFile), false);
    await client.request('GET', '/');
    const page = (await client.request('GET', '/')).body['text']!;
    assert.match(page, /<tr><th>Sealed with key<\/th><td>1<\/td><\/tr>/);
    assert.doesNotMatch(page, /development key/);
  });

  test('unknown paths are 404; an oversized form is refused; pages carry a no-script CSP', async () => {
    const { client, demo } = first;
    assert.equal((await client.request('GET', '/nope')).status, 404);
    assert.equal((await client.request('POST', '/login', { name: 'x'.repeat(5000) })).status, 413);
    const response = await fetch(`http://127.0.0.1:${demo.port}/`);
    assert.match(response.headers.get('content-security-policy') ?? '', /^default-src 'none'/);
  });
});
