/**
 * The built package as users import it: by name, through the `exports` map
 * (npm test builds dist/ first). The check runs in a plain `node` process,
 * without tsx and without the source condition the other tests use, so it sees
 * exactly what an installed copy would.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

test('the built package works when imported by name (sealed-session, /sync, /web, every adapter)', () => {
  const script = fileURLToPath(new URL('./check-dist.mjs', import.meta.url));
  const result = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  assert.equal(result.status, 0, result.stderr + result.stdout);
  assert.match(result.stdout, /dist ok/);
});
