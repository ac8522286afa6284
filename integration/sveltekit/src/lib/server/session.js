import { createKeyring, defineSession } from 'sealed-session';
import { env } from '$env/dynamic/private';

/** @type {import('sealed-session').SessionConfig | undefined} */
let config;

/** The session's config, made on first use: `vite build` runs without the runtime secret. */
export function sessionConfig() {
  if (config === undefined) {
    if (env.SESSION_KEY === undefined) throw new Error('SESSION_KEY is not set (make one: npx sealed-session keygen)');
    config = defineSession({ name: 'sid', keys: createKeyring(env.SESSION_KEY) });
  }
  return config;
}
