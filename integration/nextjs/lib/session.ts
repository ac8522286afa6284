import { createKeyring, defineSession, type SessionConfig } from 'sealed-session';

let config: SessionConfig | undefined;

/**
 * The session's config, made on first use rather than at import: `next build` evaluates this
 * module to collect routes, and the key is a runtime secret, not a build input.
 */
export function sessionConfig(): SessionConfig {
  if (config === undefined) {
    const secret = process.env.SESSION_KEY;
    if (secret === undefined) throw new Error('SESSION_KEY is not set (make one: npx sealed-session keygen)');
    config = defineSession({ name: 'sid', keys: createKeyring(secret) });
  }
  return config;
}
