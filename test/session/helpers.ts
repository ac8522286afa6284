/**
 * Shared by the session tests: a browser-like cookie jar, a fixed clock, keys, and the catalogue of
 * bad inputs (../shared/STYLE.md, point 8).
 */
import { BAD_INPUTS as SHARED_BAD_INPUTS } from '../helpers.js';
import assert from 'node:assert/strict';
import { createKeyring, generateKey } from '../../src/index.js';

/** 2025-01-01T00:00:00Z: whole seconds, far from the wall clock. */
export const T0 = Date.UTC(2025, 0, 1);

export const keys = createKeyring(generateKey());
export const otherKeys = createKeyring(generateKey());

/** A clock the test moves by hand. */
export function clock(start = T0): { now: () => number; advance: (ms: number) => void; set: (ms: number) => void } {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
    set: (ms) => {
      time = ms;
    },
  };
}

/**
 * A cookie jar that applies Set-Cookie lines the way a browser does for one host and path: a
 * `Max-Age` of 0 or less deletes, anything else stores (replacing the cookie of the same name in
 * place). It also enforces the 4096-octet name+value limit (RFC 6265bis §5.6) by dropping the
 * cookie, as browsers do, so a test notices a silently lost session.
 */
export class Jar {
  readonly cookies = new Map<string, string>();
  dropped = 0;

  apply(lines: readonly string[]): this {
    for (const line of lines) {
      const pair = line.split(';', 1)[0]!;
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const maxAge = /; Max-Age=(-?\d+)/.exec(line);
      if (maxAge !== null && Number(maxAge[1]) <= 0) {
        this.cookies.delete(name);
      } else if (name.length + value.length > 4096) {
        this.dropped++;
      } else {
        this.cookies.set(name, value);
      }
    }
    return this;
  }

  /** The Cookie header, with `extra` pairs (unrelated cookies) around the jar's. */
  header(extra: readonly string[] = []): string {
    return [
      ...extra.slice(0, extra.length >> 1),
      ...[...this.cookies].map(([n, v]) => `${n}=${v}`),
      ...extra.slice(extra.length >> 1),
    ].join('; ');
  }
}

/** The names a list of Set-Cookie lines sets (not deletes), in order. */
export function setNames(lines: readonly string[]): string[] {
  return lines.filter((line) => !/; Max-Age=0(;|$)/.test(line)).map((line) => line.slice(0, line.indexOf('=')));
}

/** The names a list of Set-Cookie lines deletes, in order. */
export function deletedNames(lines: readonly string[]): string[] {
  return lines.filter((line) => /; Max-Age=0(;|$)/.test(line)).map((line) => line.slice(0, line.indexOf('=')));
}

/** Pass a deliberately ill-typed value through the typed API. */
export const untyped = (value: unknown): never => value as never;

/** A string with a lone surrogate. */
export const LONE_SURROGATE = 'a\uD800b';

/**
 * STYLE.md §8: the catalogue every public function is run against: the project-wide one
 * (test/helpers.ts) and what a session API is also handed by mistake (a real Map, a String object).
 */
export const BAD_INPUTS: ReadonlyArray<readonly [string, unknown]> = [
  ...SHARED_BAD_INPUTS,
  ['0', 0],
  ['-1', -1],
  ['a Map', new Map([['name', 'sid']])],
  ['a String object', new String('sid')],
];

/** Assert that `fn` throws (or rejects with) exactly `type`, "expected X, got Y", containing `fragment`. */
export async function assertError(
  fn: () => unknown,
  type: typeof TypeError | typeof RangeError,
  fragment: RegExp | string,
): Promise<void> {
  let thrown: unknown;
  try {
    await fn();
  } catch (error) {
    thrown = error;
  }
  assert.ok(
    thrown instanceof Error,
    `expected a ${type.name}, got ${thrown === undefined ? 'no error' : String(thrown)}`,
  );
  assert.equal(thrown.constructor, type, `expected ${type.name}, got ${thrown.constructor.name}: ${thrown.message}`);
  if (typeof fragment === 'string')
    assert.ok(
      thrown.message.includes(fragment),
      `message ${JSON.stringify(thrown.message)} lacks ${JSON.stringify(fragment)}`,
    );
  else assert.match(thrown.message, fragment);
  assert.match(thrown.message, /expected .*got/, `message should read "expected X, got Y": ${thrown.message}`);
  assert.ok(thrown.message.length < 400, `message too long (${thrown.message.length})`);
}
