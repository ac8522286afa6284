// The Next.js App Router app of docs/frameworks/nextjs.md, run for real: `next build` without
// SESSION_KEY, `next start` on a free loopback port, then HTTP checks and a real Chromium clicking
// through sign-in, reload and sign-out. Timings of build and run are printed as diagnostics.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildAndStart, launchChromium, sessionCookies, signIn, stop } from '../../shared/harness.mjs';
import { generateKey } from 'sealed-session';

const appDir = new URL('..', import.meta.url).pathname;
const nextBin = join(appDir, 'node_modules/next/dist/bin/next');
const baseEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
delete baseEnv.SESSION_KEY;

let base;
let app;

before(async () => {
  // No SESSION_KEY at build: the config is made on first use (lib/session.ts).
  app = await buildAndStart({
    name: 'next',
    appDir,
    build: [nextBin, 'build'],
    env: baseEnv,
    start: (port) => ({
      args: [nextBin, 'start', '-H', '127.0.0.1', '-p', String(port)],
      env: { ...baseEnv, SESSION_KEY: generateKey() },
    }),
  });
  base = app.base;
});

after(async () => {
  await stop(app?.server);
  if (process.exitCode) console.log(app?.log());
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
    assert.equal(first.status, 200, app.log().slice(-2000));
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

  test('sign in with a Server Action, reloads keep the session, the Route Handler writes it, sign out ends it', async () => {
    await context.clearCookies();
    const page = await context.newPage();
    await signIn(page, base, 'alice');
    assert.equal(await page.textContent('#who'), 'Dashboard of alice');
    const [cookie] = await sessionCookies(context, base);
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
    assert.deepEqual(await sessionCookies(context, base), [], 'sign-out deleted the cookie');

    await page.goto(`${base}/dashboard`);
    assert.equal(page.url(), `${base}/`, 'the proxy sends a signed-out visitor back');
    await page.close();
  });

  test('a change made in the Route Handler re-issues the cookie through cookies()', async () => {
    await context.clearCookies();
    const page = await context.newPage();
    await signIn(page, base, 'bob');
    const first = (await sessionCookies(context, base))[0]?.value;
    await page.goto(`${base}/api/me`);
    const second = (await sessionCookies(context, base))[0]?.value;
    assert.ok(first && second && first !== second, 'a new token after the change');
    await page.goto(`${base}/dashboard`);
    assert.equal(await page.textContent('#who'), 'Dashboard of bob');
    await page.close();
  });
});
