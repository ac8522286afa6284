// What the app suites (nextjs, sveltekit, astro) share: a free loopback port, waiting for a
// server, stopping it, and a headless Chromium with a fresh profile. No dependency of its own:
// each suite passes its own playwright-core `chromium`, resolved from the suite's node_modules.
// This folder has no package.json, so integration/run.sh does not run it as a suite.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
