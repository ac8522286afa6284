// The Astro app of docs/frameworks/astro.md, run for real: `astro build` (@astrojs/node,
// standalone) without SESSION_KEY, `node dist/server/entry.mjs` on a free loopback port, then HTTP
// checks and a real Chromium clicking through sign-in, reload and sign-out.
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
    name: 'astro',
    appDir,
    build: [join(appDir, 'node_modules/astro/astro.js'), 'build'],
    env: { ...baseEnv, ASTRO_TELEMETRY_DISABLED: '1' },
    start: (port) => ({
      args: ['dist/server/entry.mjs'],
      env: { ...baseEnv, SESSION_KEY: generateKey(), HOST: '127.0.0.1', PORT: String(port) },
    }),
  });
});

after(async () => {
  await stop(app?.server);
  if (process.exitCode) console.log(app?.log());
});

describe('Astro over HTTP', () => {
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

formAppInChromium({ chromium, title: 'Astro', profile: 'astro', signInWith: 'form post', signOutTo: '/', baseOf: () => app.base });
