// The SvelteKit app of docs/frameworks/sveltekit.md, run for real: `vite build` (adapter-node)
// without SESSION_KEY, `node build` on a free loopback port, then HTTP checks and a real Chromium
// clicking through sign-in, reload and sign-out. Timings are printed as diagnostics.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { freePort, launchChromium, ready, stop } from '../../shared/harness.mjs';
import { generateKey } from 'sealed-session';

const appDir = new URL('..', import.meta.url).pathname;
const baseEnv = { ...process.env };
delete baseEnv.SESSION_KEY;

let base;
let server;
let serverLog = '';

before(async () => {
  const buildStart = performance.now();
  const build = spawnSync(process.execPath, [join(appDir, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: appDir, env: baseEnv, encoding: 'utf8' });
  assert.equal(build.status, 0, `vite build failed:\n${build.stdout}\n${build.stderr}`);
  console.log(`# vite build: ${((performance.now() - buildStart) / 1000).toFixed(1)} s`);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, ['build'], {
    cwd: appDir,
    env: { ...baseEnv, SESSION_KEY: generateKey(), HOST: '127.0.0.1', PORT: String(port), ORIGIN: base },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.on('data', (chunk) => (serverLog += chunk));
  server.stderr.on('data', (chunk) => (serverLog += chunk));
  await ready(base, server);
});

after(async () => {
  await stop(server);
  if (process.exitCode) console.log(serverLog);
});

describe('SvelteKit over HTTP', () => {
  test('an anonymous visitor of /dashboard is redirected to / (a path)', async () => {
    const response = await fetch(`${base}/dashboard`, { redirect: 'manual' });
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), '/');
  });

  test('the sign-in page answers 200 with its form and sends no cookie', async () => {
    const response = await fetch(`${base}/`);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /Sign in/);
    assert.deepEqual(response.headers.getSetCookie(), []);
  });
});

describe('SvelteKit in Chromium', () => {
  let browser;
  let context;
  before(async () => {
    browser = await launchChromium(chromium, 'sveltekit');
    context = browser.context;
  });
  after(async () => {
    await browser?.close();
  });

  const sessionCookies = async () => (await context.cookies(base)).filter((cookie) => /^sid(\.\d)?$/.test(cookie.name));

  test('sign in with a form action, reloads keep the session, sign out ends it', async () => {
    await context.clearCookies();
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.fill('input[name=user]', 'alice');
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/dashboard`);
    assert.equal(await page.textContent('#who'), 'Dashboard of alice');
    const [cookie] = await sessionCookies();
    assert.equal(cookie?.httpOnly, true);
    assert.equal(cookie?.secure, true);
    assert.equal(cookie?.sameSite, 'Lax');
    assert.match(cookie?.value ?? '', /^ss1\./);

    await page.reload();
    assert.equal(await page.textContent('#who'), 'Dashboard of alice');
    await page.goto(`${base}/`);
    assert.equal(await page.textContent('#who'), 'Signed in as alice');

    await page.click('button[type=submit]');
    await page.waitForSelector('input[name=user]');
    assert.deepEqual(await sessionCookies(), [], 'sign-out deleted the cookie');
    await page.goto(`${base}/dashboard`);
    assert.equal(page.url(), `${base}/`, 'a signed-out visitor is sent back');
    await page.close();
  });

  test('signing out from the dashboard posts to the root action and ends the session', async () => {
    await context.clearCookies();
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.fill('input[name=user]', 'bob');
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/dashboard`);
    await page.click('button[type=submit]');
    await page.waitForSelector('input[name=user]');
    assert.equal(page.url(), `${base}/`);
    assert.deepEqual(await sessionCookies(), []);
    await page.close();
  });
});
