// Run by imports.test.ts in a plain `node` (no tsx, no source condition): the built
// package exactly as a user's code imports it, by name through the `exports` map.
import assert from 'node:assert/strict';
import { createKeyring, generateKey, seal, unseal, defineSession, readSession, commitSession } from 'sealed-session';
import { sealSync, unsealSync } from 'sealed-session/sync';
import * as web from 'sealed-session/web';

const entry = import.meta.resolve('sealed-session');
assert.match(entry, /\/dist\/index\.js$/, entry);
const keys = createKeyring(generateKey());
const token = await seal(new Map([['userId', '12345']]), { keys, context: 'sid' });
const opened = await unseal(token, { keys, context: 'sid' });
assert.equal(opened.ok && opened.data.get('userId'), '12345');
const fromSync = sealSync(new Map([['a', 'b']]), { keys });
assert.deepEqual((await web.unseal(fromSync, { keys })).ok, true);
assert.deepEqual(unsealSync(await web.seal(new Map([['c', 'd']]), { keys }), { keys }).ok, true);
const config = defineSession({ name: 'sid', keys, cookie: { secure: false } });
const state = await readSession(null, config);
state.session.set('user', 'alice');
const [line] = await commitSession(state, config);
const again = await readSession(line.slice(0, line.indexOf(';')), config);
assert.equal(again.session.get('user'), 'alice');
for (const subpath of ['express', 'fastify', 'koa', 'hono', 'fetch', 'http', 'cookies']) {
  const resolved = import.meta.resolve(`sealed-session/${subpath}`);
  assert.match(resolved, new RegExp(`/dist/adapters/${subpath}\\.js$`), resolved);
  await import(`sealed-session/${subpath}`);
}
console.log('dist ok');
