// The SvelteKit app of docs/frameworks/sveltekit.md, run for real: `vite build` (adapter-node)
// without SESSION_KEY, `node build` on a free loopback port, then HTTP checks and a real Chromium
// clicking through sign-in, reload and sign-out. Timings are printed as diagnostics.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildAndStart, formAppInChromium, stop } from '../../shared/harness.mjs';
import { generateKey } from 'sealed-session';

const appDir = new URL('..', import.meta.url).pathname;
const baseEnv = { ...process.env };
delete baseEnv.SESSION_KEY;

let app;

before(async () => {
  app = await buildAndStart({
    name: 'vite',
    appDir,
    build: [join(appDir, 'node_modules/vite/bin/vite.js'), 'build'],
    env: baseEnv,
    start: (port, base) => ({
      args: ['build'],
      env: { ...baseEnv, SESSION_KEY: generateKey(), HOST: '127.0.0.1', PORT: String(port), ORIGIN: base },
    }),
  });
});

after(async () => {
  await stop(app?.server);
  if (process.exitCode) console.log(app?.log());
});

describe('SvelteKit over HTTP', () => {
  test('an anonymous visitor of /dashboard is redirected to / (a path)', async () => {
    const response = await fetch(`${app.base}/dashboard`, { redirect: 'manual' });
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), '/');
  });

  test('the sign-in page answers 200 with its form and sends no cookie', async () => {
    const response = await fetch(`${app.base}/`);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /Sign in/);
    assert.deepEqual(response.headers.getSetCookie(), []);
  });
});

formAppInChromium({
  chromium,
  title: 'SvelteKit',
  profile: 'sveltekit',
  signInWith: 'form action',
  signOutTo: 'the root action',
  baseOf: () => app.base,
});
