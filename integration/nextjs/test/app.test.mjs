// The Next.js App Router app of docs/frameworks/nextjs.md, run for real: `next build` without
// SESSION_KEY, `next start` on a free loopback port, then HTTP checks and a real Chromium clicking
// through sign-in, reload and sign-out. Timings of build and run are printed as diagnostics.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { freePort, launchChromium, ready, stop } from '../../shared/harness.mjs';
import { generateKey } from 'sealed-session';

const appDir = new URL('..', import.meta.url).pathname;
const nextBin = join(appDir, 'node_modules/next/dist/bin/next');
const baseEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
delete baseEnv.SESSION_KEY;

let base;
let server;
let serverLog = '';

before(async () => {
  const buildStart = performance.now();
  // No SESSION_KEY at build: the config is made on first use (lib/session.ts).
  const build = spawnSync(process.execPath, [nextBin, 'build'], { cwd: appDir, env: baseEnv, encoding: 'utf8' });
  assert.equal(build.status, 0, `next build failed:\n${build.stdout}\n${build.stderr}`);
  console.log(`# next build: ${((performance.now() - buildStart) / 1000).toFixed(1)} s`);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const startAt = performance.now();
  server = spawn(process.execPath, [nextBin, 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: appDir,
    env: { ...baseEnv, SESSION_KEY: generateKey() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.on('data', (chunk) => (serverLog += chunk));
  server.stderr.on('data', (chunk) => (serverLog += chunk));
  await ready(base, server);
  console.log(`# next start ready: ${((performance.now() - startAt) / 1000).toFixed(1)} s`);
});

after(async () => {
  await stop(server);
});

describe('Next.js App Router over HTTP', () => {
  test('the proxy redirects an anonymous visitor of /dashboard to / on the same origin (relative Location)', async () => {
    const response = await fetch(`${base}/dashboard`, { redirect: 'manual' });
    assert.equal(response.status, 307);
    assert.equal(response.headers.get('location'), '/');
  });

  test('the proxy guards only its matcher: /, the sign-in page, answers 200 without a loop', async () => {
    const response = await fetch(`${base}/`, { redirect: 'manual' });
    assert.equal(response.status, 200);
    assert.match(await response.text(), /Sign in/);
  });

  test('the Route Handler redirects an anonymous visitor to /', async () => {
    const response = await fetch(`${base}/api/me`, { redirect: 'manual' });
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), '/');
  });

  test("a session chunked across cookies by a Route Handler shrinks back, and cookies() sends the stale chunks' Max-Age=0", async () => {
    const big = await fetch(`${base}/api/big?size=6000`, { method: 'POST' });
    const chunks = big.headers.getSetCookie().map((line) => line.slice(0, line.indexOf('=')));
    assert.ok(chunks.length >= 2 && chunks.every((name, i) => name === `big.${i}`), chunks.join(','));
    const cookie = big.headers.getSetCookie().map((line) => line.slice(0, line.indexOf(';'))).join('; ');
    const small = await fetch(`${base}/api/big?size=3`, { method: 'POST', headers: { cookie } });
    assert.deepEqual(await small.json(), { size: 3 });
    const lines = small.headers.getSetCookie();
    assert.ok(lines.some((line) => line.startsWith('big=ss1.')), lines.join(' | '));
    for (const chunk of chunks) {
      assert.ok(lines.some((line) => line.startsWith(`${chunk}=;`) && /; Max-Age=0(;|$)/.test(line)), `${chunk} expired: ${lines.join(' | ')}`);
    }
  });

  test('a Route Handler on the Edge runtime seals and opens the session (WebCrypto from another realm)', async () => {
    const first = await fetch(`${base}/api/edge`, { method: 'POST' });
    assert.equal(first.status, 200, serverLog.slice(-2000));
    assert.deepEqual(await first.json(), { edge: '1' });
    const cookie = first.headers.getSetCookie().map((line) => line.slice(0, line.indexOf(';'))).join('; ');
    assert.match(cookie, /^sid=ss1\./);
    const second = await fetch(`${base}/api/edge`, { method: 'POST', headers: { cookie } });
    assert.deepEqual(await second.json(), { edge: '2' });
    const again = second.headers.getSetCookie().map((line) => line.slice(0, line.indexOf(';'))).join('; ');
    const read = await fetch(`${base}/api/edge`, { headers: { cookie: again } });
    assert.deepEqual(await read.json(), { edge: '2', user: null });
    // A forged cookie gives an empty session on the edge too, never an error.
    const forged = await fetch(`${base}/api/edge`, { headers: { cookie: again.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) } });
    assert.equal(forged.status, 200);
    assert.deepEqual(await forged.json(), { edge: null, user: null });
  });

  test("a Server Component's write fails with the adapter's TypeError saying where to write", async () => {
    const response = await fetch(`${base}/readonly`);
    const text = (await response.text()).replaceAll('&#x27;', "'");
    assert.match(text, /TypeError: commit: expected a cookie jar that can be written, got one whose set\(\) threw/);
    assert.match(text, /change it in a Server Action, a Route Handler or the proxy/);
  });
});

describe('Next.js App Router in Chromium', () => {
  let browser;
  let context;
  before(async () => {
    browser = await launchChromium(chromium, 'next');
    context = browser.context;
  });
  after(async () => {
    await browser?.close();
  });

  const sessionCookies = async () => (await context.cookies(base)).filter((cookie) => /^sid(\.\d)?$/.test(cookie.name));

  test('sign in with a Server Action, reloads keep the session, the Route Handler writes it, sign out ends it', async () => {
    await context.clearCookies();
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.fill('input[name=user]', 'alice');
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/dashboard`);
    assert.equal(await page.textContent('#who'), 'Dashboard of alice');
    const [cookie] = await sessionCookies();
    assert.equal(cookie?.httpOnly, true);
    assert.equal(cookie?.sameSite, 'Lax');
    assert.match(cookie?.value ?? '', /^ss1\./);

    await page.reload();
    assert.equal(await page.textContent('#who'), 'Dashboard of alice');
    await page.goto(`${base}/`);
    assert.equal(await page.textContent('#who'), 'Signed in as alice');

    await page.goto(`${base}/api/me`);
    assert.deepEqual(JSON.parse(await page.textContent('body')), { user: 'alice', visits: '1' });
    await page.reload();
    assert.deepEqual(JSON.parse(await page.textContent('body')), { user: 'alice', visits: '2' });

    await page.goto(`${base}/dashboard`);
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/`);
    await page.waitForSelector('input[name=user]');
    assert.deepEqual(await sessionCookies(), [], 'sign-out deleted the cookie');

    await page.goto(`${base}/dashboard`);
    assert.equal(page.url(), `${base}/`, 'the proxy sends a signed-out visitor back');
    await page.close();
  });

  test('a change made in the Route Handler re-issues the cookie through cookies()', async () => {
    await context.clearCookies();
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.fill('input[name=user]', 'bob');
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/dashboard`);
    const first = (await sessionCookies())[0]?.value;
    await page.goto(`${base}/api/me`);
    const second = (await sessionCookies())[0]?.value;
    assert.ok(first && second && first !== second, 'a new token after the change');
    await page.goto(`${base}/dashboard`);
    assert.equal(await page.textContent('#who'), 'Dashboard of bob');
    await page.close();
  });
});

after(() => {
  if (process.exitCode) console.log(serverLog);
});
