/**
 * The result of unseal/verify, and the checks made after authentication.
 */
import type { KeyEntry } from '../keys/keyring.js';
import type { Header } from '../format/token.js';
import type { CheckedUnsealOptions } from './options.js';

/**
 * Every reason a token is rejected for, written once: {@link UnsealFailureReason}, the session
 * layer's reasons (session/store.ts) and the command line's messages (cli.ts) derive from it.
 */
export const UNSEAL_FAILURE_REASONS = Object.freeze([
  'malformed',
  'unsupported-version',
  'unknown-key',
  'invalid',
  'expired',
  'revoked',
] as const);

/**
 * Why a token was rejected. Every authentication failure (wrong key, wrong
 * context, any modified byte) is the one reason `'invalid'`, so a client learns
 * nothing about which step failed.
 */
export type UnsealFailureReason = (typeof UNSEAL_FAILURE_REASONS)[number];

export interface UnsealSuccess {
  readonly ok: true;
  readonly data: Map<string, string>;
  /** The id of the key that opened the token. */
  readonly keyId: string;
  /** Ms since the epoch (whole seconds). */
  readonly issuedAt: number;
  /** Ms since the epoch (whole seconds), or null for a token that never expires. */
  readonly expiresAt: number | null;
  /** True when the token's key is not the keyring's current one: re-seal it. */
  readonly rotated: boolean;
}

export interface UnsealFailure {
  readonly ok: false;
  readonly reason: UnsealFailureReason;
}

export type UnsealResult = UnsealSuccess | UnsealFailure;

const failures = Object.fromEntries(
  UNSEAL_FAILURE_REASONS.map((reason) => [reason, Object.freeze({ ok: false, reason })]),
) as Readonly<Record<UnsealFailureReason, UnsealFailure>>;

/** The frozen failure result for a reason. */
export function failure(reason: UnsealFailureReason): UnsealFailure {
  return failures[reason];
}

/**
 * Judges an authenticated token: its payload decoded, its issue time, revocation
 * and expiry. Runs only after authentication, so an unauthenticated token never
 * learns more than `'invalid'`.
 */
export function judge(
  header: Header,
  data: Map<string, string> | null,
  entry: KeyEntry,
  options: CheckedUnsealOptions,
): UnsealResult {
  // Authenticated yet undecodable: only a different implementation could write it.
  if (data === null) return failure('malformed');
  const issuedAt = header.issuedAt * 1000;
  const expiresAt = header.expiresAt === 0 ? null : header.expiresAt * 1000;
  // Issued in the future: a clock far ahead, or a token minted for later use.
  if (issuedAt > options.now + options.skewMs) return failure('invalid');
  // Tokens carry whole seconds, so revocation has one-second granularity: a token issued
  // in the same second as issuedAfter is kept. That is what lets "log out everywhere"
  // re-issue a fresh token to the current device in the same request.
  if (header.issuedAt < Math.floor(options.issuedAfter / 1000)) return failure('revoked');
  // The boundary: an expiry equal to now is still valid.
  if (expiresAt !== null && expiresAt + options.skewMs < options.now) return failure('expired');
  return { ok: true, data, keyId: entry.id, issuedAt, expiresAt, rotated: entry !== options.current };
}
