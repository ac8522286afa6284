/** `npm start` for now: generate a key, seal the sample session, print the token and unseal it. */
import { createKeyring, generateKey, seal, unseal } from '../src/index.js';

const keys = createKeyring(generateKey());
const session = new Map([
  ['userId', '12345'],
  ['name', 'alice'],
  ['role', 'admin'],
  ['csrf', '0123456789abcdef0123456789abcdef'],
  ['locale', 'en-US'],
]);
const token = await seal(session, { keys, context: 'sid', ttl: 3600 });
console.log(`sealed token (${token.length} characters):\n${token}\n`);
console.log('unsealed:', await unseal(token, { keys, context: 'sid' }));
console.log('under another cookie name:', await unseal(token, { keys, context: 'other' }));
