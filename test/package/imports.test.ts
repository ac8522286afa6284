/**
 * The built package as users import it: by name, through the `exports` map
 * (npm test builds dist/ first).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createKeyring, generateKey, seal, unseal } from 'sealed-session';
import { sealSync, unsealSync } from 'sealed-session/sync';
import * as web from 'sealed-session/web';

test('sealed-session resolves to the Node build and round-trips a session', async () => {
  const keys = createKeyring(generateKey());
  const token = await seal(new Map([['userId', '12345']]), { keys, context: 'sid' });
  const result = await unseal(token, { keys, context: 'sid' });
  assert.equal(result.ok, true);
  assert.equal(result.ok && result.data.get('userId'), '12345');
});

test('sealed-session/sync and sealed-session/web read each other\'s tokens', async () => {
  const keys = createKeyring(web.generateKey());
  const fromSync = sealSync(new Map([['a', 'b']]), { keys });
  const opened = await web.unseal(fromSync, { keys });
  assert.deepEqual(opened.ok && [...opened.data], [['a', 'b']]);
  const fromWeb = await web.seal(new Map([['c', 'd']]), { keys });
  const reopened = unsealSync(fromWeb, { keys });
  assert.deepEqual(reopened.ok && [...reopened.data], [['c', 'd']]);
});
