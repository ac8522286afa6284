import { createKeyring, defineSession, type SessionConfig } from 'sealed-session';

let config: SessionConfig | undefined;

/** The session's config, made on first use: `astro build` runs without the runtime secret. */
export function sessionConfig(): SessionConfig {
  if (config === undefined) {
    const secret = process.env.SESSION_KEY;
    if (secret === undefined) throw new Error('SESSION_KEY is not set (make one: npx sealed-session keygen)');
    config = defineSession({ name: 'sid', keys: createKeyring(secret) });
  }
  return config;
}
