// What the app suites (nextjs, sveltekit, astro) share: a free loopback port, building an app and
// waiting for its server, stopping it, a headless Chromium with a fresh profile, and the browser's
// steps every app's sign-in takes. No dependency of its own:
// each suite passes its own playwright-core `chromium`, resolved from the suite's node_modules.
// This folder has no package.json, so integration/run.sh does not run it as a suite.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

/** A port the kernel just handed out on 127.0.0.1, free once the probe closes. */
export async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Waits for the server to answer, bounded by count (and by the server exiting). */
export async function ready(url, server) {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    try {
      await fetch(url, { redirect: 'manual' });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error('the server did not answer after 300 attempts');
}

/** Stops a server process started by the suite and waits for it to exit. */
export async function stop(server) {
  if (server === undefined || server.exitCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await exited;
}

/**
 * Debian's Chromium, headless, with a new empty profile. The background-networking flags keep it
 * from reaching for hosts this machine cannot reach.
 */
export async function launchChromium(chromium, name) {
  const userDataDir = mkdtempSync(join(tmpdir(), `chromium-${name}-`));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Builds an app (`build`: the arguments after `node`, run in `appDir`, with `env`), then starts its
 * server (`start(port, base)` gives the arguments and environment) on a free loopback port and waits
 * for it. The build and start times are printed as diagnostics. `log()` is what the server printed.
 */
export async function buildAndStart({ name, appDir, build, env, start }) {
  const buildStart = performance.now();
  const built = spawnSync(process.execPath, build, { cwd: appDir, env, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`${name} build failed:\n${built.stdout}\n${built.stderr}`);
  console.log(`# ${name} build: ${((performance.now() - buildStart) / 1000).toFixed(1)} s`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { args, env: serverEnv } = start(port, base);
  const startAt = performance.now();
  const server = spawn(process.execPath, args, { cwd: appDir, env: serverEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stdout.on('data', (chunk) => (log += chunk));
  server.stderr.on('data', (chunk) => (log += chunk));
  await ready(base, server);
  console.log(`# ${name} start ready: ${((performance.now() - startAt) / 1000).toFixed(1)} s`);
  return { base, server, log: () => log };
}

/** The session's cookies (`sid`, or its chunks `sid.0`, `sid.1`…) the browser holds for `base`. */
export async function sessionCookies(context, base) {
  return (await context.cookies(base)).filter((cookie) => /^sid(\.\d)?$/.test(cookie.name));
}

/** Signs `user` in through the app's form at `/` and waits for the dashboard. */
export async function signIn(page, base, user) {
  await page.goto(`${base}/`);
  await page.fill('input[name=user]', user);
  await page.click('button[type=submit]');
  await page.waitForURL(`${base}/dashboard`);
}

/**
 * The Chromium checks of an app with a sign-in form at `/` that posts to the server (`signInWith`,
 * `signOutTo`: how the apps name what they post, for the test titles), a `/dashboard` for signed-in users with a sign-out button,
 * and a redirect to `/` for everyone else: the Astro and SvelteKit apps. `baseOf()` gives the
 * server's URL once the suite's `before` has started it.
 */
export function formAppInChromium({ chromium, title, profile, signInWith, signOutTo, baseOf }) {
  describe(`${title} in Chromium`, () => {
    let browser;
    before(async () => {
      browser = await launchChromium(chromium, profile);
    });
    after(async () => {
      await browser?.close();
    });

    test(`sign in with a ${signInWith}, reloads keep the session, sign out ends it`, async () => {
      const base = baseOf();
      const { context } = browser;
      await context.clearCookies();
      const page = await context.newPage();
      await signIn(page, base, 'alice');
      assert.equal(await page.textContent('#who'), 'Dashboard of alice');
      const [cookie] = await sessionCookies(context, base);
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
      assert.deepEqual(await sessionCookies(context, base), [], 'sign-out deleted the cookie');
      await page.goto(`${base}/dashboard`);
      assert.equal(page.url(), `${base}/`, 'a signed-out visitor is sent back');
      await page.close();
    });

    test(`signing out from the dashboard posts to ${signOutTo} and ends the session`, async () => {
      const base = baseOf();
      const { context } = browser;
      await context.clearCookies();
      const page = await context.newPage();
      await signIn(page, base, 'bob');
      await page.click('button[type=submit]');
      await page.waitForSelector('input[name=user]');
      assert.equal(page.url(), `${base}/`);
      assert.deepEqual(await sessionCookies(context, base), []);
      await page.close();
    });
  });
}
