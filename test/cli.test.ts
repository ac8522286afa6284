/**
 * The `sealed-session` command, run in-process through `main` (so coverage sees it), plus one
 * end-to-end run of the built dist/cli.js (npm test builds dist/ first).
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { main, type CliIo } from '../src/cli.js';
import { createKeyring, seal, sign } from '../src/index.js';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The clock of every run and every token a test makes, unless the test says otherwise: times in
 * the output are then exact, never a function of the wall clock or of how long a test takes.
 */
const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

async function run(
  argv: string[],
  options: { env?: Record<string, string>; stdin?: CliIo['stdin']; now?: number } = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    argv,
    {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      stdin: options.stdin,
      env: options.env ?? {},
    },
    () => options.now ?? NOW,
  );
  return { code, stdout, stderr };
}

/** A run that printed nothing but a usage error, and never the secrets it was given. */
function assertUsageError(result: Run, message: RegExp, secrets: readonly string[] = []): void {
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /^sealed-session: /);
  assert.match(result.stderr, message);
  assert.match(result.stderr, /Run 'sealed-session --help' for usage\.\n$/);
  for (const secret of secrets) assert.ok(!result.stderr.includes(secret), 'a secret was printed');
}

/**
 * Fixed keys, not generateKey(): a test must pass for every key it can be given, and a random
 * base64url key starts with '-' one time in 64 (once made `['inspect', token, KEY]` parse as an
 * option and the suite flaky). KEY starts with '-' on purpose, so every run covers that case.
 */
const KEY = '-Aq3_ZbXc9dEfGh1iJkLmNoPqRsTuVwXyZ0123456789';
const OLD_KEY = 'Old7Key_abcdefghijklmnopqrstuvwxyz0123456789';
const keys = createKeyring(KEY);
const DATA = new Map([
  ['userId', '12345'],
  ['role', 'admin'],
]);

describe('keygen', () => {
  test('prints one SESSION_KEY line with a fresh 43-character key, and a hint on stderr', async () => {
    const first = await run(['keygen']);
    const second = await run(['keygen']);
    assert.equal(first.code, 0);
    assert.match(first.stdout, /^SESSION_KEY=[A-Za-z0-9_-]{43}\n$/);
    assert.notEqual(first.stdout, second.stdout);
    assert.match(first.stderr, /Keep it secret/);
    assert.ok(!first.stderr.includes(first.stdout.slice('SESSION_KEY='.length, -1)), 'the key went to stderr');
  });

  test('the printed key is a working secret: a token sealed with it inspects as valid', async () => {
    const key = (await run(['keygen'])).stdout.trim().slice('SESSION_KEY='.length);
    const token = await seal(DATA, { now: NOW, keys: createKeyring(key) });
    const result = await run(['inspect', token], { env: { SESSION_KEY: key } });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^valid sealed token\n/);
  });

  test('takes no arguments', async () => {
    assertUsageError(await run(['keygen', 'extra']), /keygen takes no arguments/);
    assertUsageError(await run(['keygen', '--json']), /keygen takes no arguments/);
    assertUsageError(await run(['keygen', '--key', KEY]), /keygen takes no arguments/, [KEY]);
  });
});

describe('inspect: valid tokens', () => {
  test('a sealed token: kind, key id, times and data', async () => {
    const token = await seal(DATA, { keys, now: NOW + 400 });
    const result = await run(['inspect', token, '--key', KEY]);
    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
    // Tokens carry whole seconds: issued at NOW, 400 ms dropped.
    assert.equal(
      result.stdout,
      [
        'valid sealed token',
        'key id:  1 (the current key)',
        'issued:  2025-06-01T12:00:00Z (in 0 seconds)',
        'expires: 2025-06-08T12:00:00Z (in 7 days)',
        'data:    2 entries',
        '  userId = 12345',
        '  role = admin',
        '',
      ].join('\n'),
    );
  });

  test('times are worded relative to the clock: later, the issue time is past and the expiry nearer', async () => {
    const token = await seal(DATA, { keys, now: NOW });
    const lines = (await run(['inspect', token, '--key', KEY], { now: NOW + 3 * 86400_000 + 90_000 })).stdout.split(
      '\n',
    );
    assert.deepEqual(lines.slice(2, 4), [
      'issued:  2025-06-01T12:00:00Z (3 days ago)',
      'expires: 2025-06-08T12:00:00Z (in 4 days)',
    ]);
    const soon = await run(['inspect', token, '--key', KEY], { now: NOW + 7 * 86400_000 - 90_000 });
    assert.match(soon.stdout, /\nexpires: 2025-06-08T12:00:00Z \(in 2 minutes\)\n/);
  });

  test('the clock judges expiry: valid up to the expiry plus the 5 s clock skew, expired 1 ms later', async () => {
    const token = await seal(DATA, { keys, now: NOW, ttl: 60 });
    assert.equal((await run(['inspect', token, '--key', KEY], { now: NOW + 60_000 + 5_000 })).code, 0);
    const late = await run(['inspect', token, '--key', KEY], { now: NOW + 60_000 + 5_000 + 1 });
    assert.equal(late.code, 1);
    assert.equal(late.stdout, 'rejected: expired: the token expired at 2025-06-01T12:01:00Z (5 seconds ago)\n');
  });

  test('a signed token is verified, not unsealed', async () => {
    const token = await sign(new Map([['theme', 'dark']]), { now: NOW, keys, ttl: Infinity });
    const result = await run(['inspect', token, '--key', KEY]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^valid signed token\n/);
    assert.match(result.stdout, /\nexpires: never\n/);
    assert.match(result.stdout, /\ndata: {4}1 entry\n {2}theme = dark\n$/);
  });

  test('a token made with an older key of the keyring is reported as rotated', async () => {
    const token = await seal(DATA, { now: NOW, keys: createKeyring([{ id: '2025-01', secret: OLD_KEY }]) });
    const result = await run(['inspect', token, '--key', `2025-06:${KEY}`, '--key', `2025-01:${OLD_KEY}`]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /\nkey id: {2}2025-01 \(not the current key: re-issue the token to rotate\)\n/);
    const current = await run(['inspect', token, '--key', `2025-01:${OLD_KEY}`, '--key', `2025-06:${KEY}`]);
    assert.match(current.stdout, /\nkey id: {2}2025-01 \(the current key\)\n/);
  });

  test('the context must match the one the token was made with', async () => {
    const token = await seal(DATA, { now: NOW, keys, context: 'sid' });
    assert.equal((await run(['inspect', token, '--key', KEY, '--context', 'sid'])).code, 0);
    const wrong = await run(['inspect', token, '--key', KEY, '--context', 'other']);
    assert.equal(wrong.code, 1);
    assert.equal(wrong.stdout, 'rejected: invalid: wrong key or context, or the token was altered\n');
    assert.equal((await run(['inspect', token, '--key', KEY])).code, 1);
  });

  test('names and values that could mislead a terminal are quoted and escaped', async () => {
    const data = new Map([
      ['plain', 'text with spaces'],
      ['newline', 'two\nlines'],
      ['escape', '\u001b[2Jcleared'],
      ['bidi', 'abc\u202edef'],
      ['c1', 'x\u009by'],
      ['tag', 'a\u{E0041}'],
      ['empty', ''],
      [' padded', '"quoted" '],
      ['a=b', 'c'],
    ]);
    const token = await seal(data, { now: NOW, keys });
    const result = await run(['inspect', token, '--key', KEY]);
    assert.equal(result.code, 0);
    assert.deepEqual(result.stdout.split('\n').slice(5, -1), [
      '  plain = text with spaces',
      '  newline = "two\\nlines"',
      '  escape = "\\u001b[2Jcleared"',
      '  bidi = "abc\\u202edef"',
      '  c1 = "x\\u009by"',
      '  tag = "a\\udb40\\udc41"',
      '  empty = ""',
      '  " padded" = "\\"quoted\\" "',
      '  "a=b" = c',
    ]);
    assert.doesNotMatch(result.stdout, /[\u001b\u202e\u009b]/u);
  });
});

describe('inspect: rejected tokens exit 1 with the reason on stdout', () => {
  test('wrong key: invalid', async () => {
    const token = await seal(DATA, { now: NOW, keys });
    const result = await run(['inspect', token, '--key', OLD_KEY]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, 'rejected: invalid: wrong key or context, or the token was altered\n');
    assert.equal(result.stderr, '');
  });

  test('unknown key id: names the id the token carries', async () => {
    const token = await seal(DATA, { now: NOW, keys: createKeyring([{ id: '2025-06', secret: KEY }]) });
    const result = await run(['inspect', token, '--key', KEY]);
    assert.equal(result.code, 1);
    assert.equal(
      result.stdout,
      'rejected: unknown-key: made with key id "2025-06", which none of the given keys has (pass --key 2025-06:<secret>)\n',
    );
  });

  test('expired: says when', async () => {
    const token = await seal(DATA, { keys, now: NOW - 3600_000, ttl: 60 });
    const result = await run(['inspect', token, '--key', KEY]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, 'rejected: expired: the token expired at 2025-06-01T11:01:00Z (59 minutes ago)\n');
  });

  test('malformed and other versions', async () => {
    const token = await seal(DATA, { now: NOW, keys });
    for (const bad of ['garbage', 'ss1.', token.slice(0, 30), `${token}!`]) {
      const result = await run(['inspect', bad, '--key', KEY]);
      assert.equal(result.code, 1, bad);
      assert.equal(result.stdout, 'rejected: malformed: not a sealed-session token, or a damaged one\n');
    }
    const other = await run(['inspect', `ss2.${token.slice(4)}`, '--key', KEY]);
    assert.equal(other.code, 1);
    assert.equal(other.stdout, 'rejected: unsupported-version: a token of another version of the format\n');
  });

  test('a signed token altered to claim the sealed kind is invalid, not opened', async () => {
    const signed = await sign(DATA, { now: NOW, keys });
    const body = Buffer.from(signed.slice(4), 'base64url');
    body[1] = 1; // Kind.Sealed
    const result = await run(['inspect', `ss1.${body.toString('base64url')}`, '--key', KEY]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^rejected: invalid: /);
  });
});

describe('inspect: input', () => {
  test('- reads the token from stdin, in string or byte chunks, around whitespace', async () => {
    const token = await seal(DATA, { now: NOW, keys });
    async function* stdin(): AsyncGenerator<string | Uint8Array> {
      yield `  ${token.slice(0, 10)}`;
      yield Buffer.from(`${token.slice(10)}\n`);
    }
    const result = await run(['inspect', '-', '--key', KEY], { stdin: stdin() });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^valid sealed token\n/);
  });

  test('- without a stdin is a usage error; an empty stdin is a malformed token', async () => {
    assertUsageError(await run(['inspect', '-', '--key', KEY]), /no stdin to read from/, [KEY]);
    const empty = await run(['inspect', '-', '--key', KEY], { stdin: (async function* () {})() });
    assert.equal(empty.code, 1);
    assert.match(empty.stdout, /^rejected: malformed: /);
  });

  test('SESSION_KEY is the key when no --key is given, read whole as createKeyring(string) does', async () => {
    const token = await seal(DATA, { now: NOW, keys });
    const fromEnv = await run(['inspect', token], { env: { SESSION_KEY: KEY } });
    assert.equal(fromEnv.code, 0);
    assert.match(fromEnv.stdout, /\nkey id: {2}1 \(the current key\)\n/);
    // --key wins over the environment.
    assert.equal((await run(['inspect', token, '--key', KEY], { env: { SESSION_KEY: OLD_KEY } })).code, 0);
    assert.equal((await run(['inspect', token, '--key', OLD_KEY], { env: { SESSION_KEY: KEY } })).code, 1);
    // A secret with ':' in SESSION_KEY is still one secret with id 1.
    const colonSecret = `x:${KEY}`;
    const colonToken = await seal(DATA, { now: NOW, keys: createKeyring(colonSecret) });
    assert.equal((await run(['inspect', colonToken], { env: { SESSION_KEY: colonSecret } })).code, 0);
    assert.equal((await run(['inspect', colonToken, '--key', `1:${colonSecret}`])).code, 0);
  });

  test('--json prints one parseable object, for a valid and for a rejected token', async () => {
    const data = new Map([
      ['userId', '12345'],
      ['bidi', 'a\u202eb'],
      ['line', 'x\ny'],
    ]);
    const token = await seal(data, {
      now: NOW,
      keys: createKeyring([
        { id: 'k2', secret: KEY },
        { id: 'k1', secret: OLD_KEY },
      ]),
      context: 'sid',
    });
    const args = ['inspect', token, '--key', `k2:${KEY}`, '--key', `k1:${OLD_KEY}`, '--context', 'sid', '--json'];
    const result = await run(args);
    assert.equal(result.code, 0);
    assert.doesNotMatch(result.stdout, /\u202e/u);
    const parsed = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed), ['ok', 'kind', 'keyId', 'rotated', 'issuedAt', 'expiresAt', 'data']);
    assert.equal(parsed['ok'], true);
    assert.equal(parsed['kind'], 'sealed');
    assert.equal(parsed['keyId'], 'k2');
    assert.equal(parsed['rotated'], false);
    assert.equal(parsed['issuedAt'], '2025-06-01T12:00:00Z');
    assert.equal(parsed['expiresAt'], '2025-06-08T12:00:00Z');
    assert.deepEqual(parsed['data'], Object.fromEntries(data));

    const rejected = await run([...args.slice(0, -3), '--context', 'other', '--json']);
    assert.equal(rejected.code, 1);
    assert.deepEqual(JSON.parse(rejected.stdout), {
      ok: false,
      reason: 'invalid',
      message: 'wrong key or context, or the token was altered',
    });
  });
});

describe('usage', () => {
  test('--help and -h print the usage with the exit codes; no arguments prints it on stderr and exits 2', async () => {
    for (const flag of ['--help', '-h']) {
      const result = await run([flag]);
      assert.equal(result.code, 0);
      assert.match(result.stdout, /^Usage: sealed-session <command> \[options\]\n/);
      assert.match(result.stdout, /Exit codes:\n {2}0 .+\n {2}1 .+\n {2}2 .+\n$/);
    }
    assert.equal((await run(['inspect', 'x', '--help'])).code, 0);
    const bare = await run([]);
    assert.equal(bare.code, 2);
    assert.equal(bare.stdout, '');
    assert.match(bare.stderr, /^Usage: sealed-session/);
  });

  test('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    assert.deepEqual(await run(['--version']), { code: 0, stdout: `${version}\n`, stderr: '' });
  });

  test('bad arguments exit 2 with a message on stderr, never echoing a token or a secret', async () => {
    const token = await seal(DATA, { now: NOW, keys });
    assertUsageError(await run(['frob']), /expected the command keygen or inspect/);
    assertUsageError(await run([token, '--key', KEY]), /expected the command keygen or inspect/, [token, KEY]);
    assertUsageError(await run(['inspect', '--key', KEY]), /inspect takes one token/, [KEY]);
    assertUsageError(await run(['inspect', token, OLD_KEY]), /inspect takes one token/, [token, OLD_KEY]);
    // A stray secret that starts with '-' reads as an option, and is not echoed either.
    assertUsageError(await run(['inspect', token, KEY]), /unknown option/, [token, KEY]);
    assertUsageError(
      await run(['inspect', token]),
      /inspect needs keys: --key-file <path>, --key <secret>, or the SESSION_KEYS or SESSION_KEY environment variable/,
    );
    assertUsageError(await run(['inspect', token], { env: { SESSION_KEY: '' } }), /inspect needs keys/);
    assertUsageError(
      await run(['inspect', token, '--kye', KEY]),
      /unknown option \(the options are listed by --help\)/,
      [KEY],
    );
    assertUsageError(await run(['inspect', token, `--${KEY}`]), /unknown option/, [KEY]);
    assertUsageError(await run(['inspect', token, '--key']), /Option '--key <value>' argument missing/);
    assertUsageError(await run(['inspect', token, '--json=yes', '--key', KEY]), /'--json' does not take an argument/, [
      KEY,
    ]);
    const dashed = await run(['inspect', token, '--key', `-${KEY}`]); // a secret that starts with '-' is a secret
    assert.equal(dashed.code, 1, dashed.stderr);
    assert.match(dashed.stdout, /invalid/);
  });

  test('bad keys exit 2 and name the --key, never the secret', async () => {
    const token = await seal(DATA, { now: NOW, keys });
    const short = 'short-secret';
    assertUsageError(
      await run(['inspect', token, '--key', KEY, '--key', `old:${short}`]),
      /--key #2: expected a secret of at least 32 bytes \(make one with 'sealed-session keygen'\), got 12\n/,
      [short],
    );
    assertUsageError(
      await run(['inspect', token], { env: { SESSION_KEY: short } }),
      /SESSION_KEY: expected a secret of at least 32 bytes/,
      [short],
    );
    assertUsageError(
      await run(['inspect', token, '--key', KEY, '--key', OLD_KEY]),
      /--key #2: its id is already the id of --key #1; give each key its own id: <id>:<secret>/,
      [KEY, OLD_KEY],
    );
    // The part before ':' may be a piece of a secret, so a bad id is described, not shown.
    const colonSecret = `not an id:${KEY}`;
    assertUsageError(
      await run(['inspect', token, '--key', colonSecret]),
      /--key #1: expected <id>:<secret> with an id of 1 to 16 characters from \[A-Za-z0-9_-\] \(a secret that contains ':' is written 1:<secret>\)/,
      ['not an id', KEY],
    );
    const loneSurrogate = `\ud800${KEY}`;
    assertUsageError(await run(['inspect', token, '--key', loneSurrogate]), /bad key: .*lone surrogate/, [KEY]);
  });

  test('a context longer than the core accepts is a usage error', async () => {
    const token = await seal(DATA, { now: NOW, keys });
    assertUsageError(
      await run(['inspect', token, '--key', KEY, '--context', 'c'.repeat(2000)]),
      /--context: .*at most 1024 UTF-8 bytes, got 2000/,
      [KEY],
    );
  });
});

describe('keys without the command line: --key-file, stdin, SESSION_KEYS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sealed-session-cli-keys-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const ring = createKeyring([
    { id: '2025-06', secret: KEY },
    { id: '2025-01', secret: OLD_KEY },
  ]);
  const oldRing = createKeyring([{ id: '2025-01', secret: OLD_KEY }]);
  const lines = (...items: string[]): AsyncGenerator<string> =>
    (async function* () {
      yield* items;
    })();

  test('--key-file reads one [<id>:]<secret> per line (the first is current), skipping blanks and # comments, CRLF or LF', async () => {
    const file = join(dir, 'keys');
    writeFileSync(file, `# rotated 2025-06\r\n2025-06:${KEY}\r\n\n  # the old one\n2025-01:${OLD_KEY}\n`, {
      mode: 0o600,
    });
    const current = await run(['inspect', await seal(DATA, { now: NOW, keys: ring }), '--key-file', file]);
    assert.equal(current.code, 0, current.stderr);
    assert.match(current.stdout, /\nkey id: {2}2025-06 \(the current key\)\n/);
    const old = await run(['inspect', await seal(DATA, { now: NOW, keys: oldRing }), '--key-file', file]);
    assert.match(old.stdout, /\nkey id: {2}2025-01 \(not the current key/);
    // A line without an id is id 1, as with --key.
    writeFileSync(file, `${KEY}\n`);
    assert.equal((await run(['inspect', await seal(DATA, { now: NOW, keys }), '--key-file', file])).code, 0);
  });

  test('--key-file - reads the keys from stdin', async () => {
    const result = await run(['inspect', await seal(DATA, { now: NOW, keys: ring }), '--key-file', '-'], {
      stdin: lines(`2025-06:${KEY}\n`, `2025-01:${OLD_KEY}\n`),
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^valid sealed token\n/);
  });

  test('--key-file mistakes are usage errors that name the line, never a secret', async () => {
    const token = await seal(DATA, { now: NOW, keys });
    const file = join(dir, 'bad');
    writeFileSync(file, `k:${KEY}\nk:${OLD_KEY}\n`);
    assertUsageError(
      await run(['inspect', token, '--key-file', file]),
      /--key-file line 2: its id is already the id of --key-file line 1/,
      [KEY, OLD_KEY],
    );
    writeFileSync(file, `# only a comment\n\n`);
    assertUsageError(
      await run(['inspect', token, '--key-file', file]),
      /--key-file: expected at least one key line, got none/,
    );
    writeFileSync(file, `a:short\n`);
    assertUsageError(
      await run(['inspect', token, '--key-file', file]),
      /--key-file line 1: expected a secret of at least 32 bytes/,
      ['short'],
    );
    assertUsageError(
      await run(['inspect', token, '--key-file', join(dir, 'missing')]),
      /--key-file: expected a readable file, got ENOENT/,
    );
    assertUsageError(
      await run(['inspect', token, '--key-file', file, '--key', KEY]),
      /give either --key or --key-file, not both/,
      [KEY],
    );
    assertUsageError(
      await run(['inspect', '-', '--key-file', '-'], { stdin: lines(KEY) }),
      /stdin can hold the token or the keys, not both/,
      [KEY],
    );
    assertUsageError(await run(['inspect', token, '--key-file', '-']), /no stdin to read from/);
  });

  test('SESSION_KEYS holds a whole keyring: <id>:<secret> entries separated by commas or whitespace', async () => {
    for (const value of [
      `2025-06:${KEY},2025-01:${OLD_KEY}`,
      `2025-06:${KEY}\n2025-01:${OLD_KEY}\n`,
      ` 2025-06:${KEY} , 2025-01:${OLD_KEY}`,
    ]) {
      const current = await run(['inspect', await seal(DATA, { now: NOW, keys: ring })], {
        env: { SESSION_KEYS: value },
      });
      assert.match(current.stdout, /\nkey id: {2}2025-06 \(the current key\)\n/, JSON.stringify(value));
      const old = await run(['inspect', await seal(DATA, { now: NOW, keys: oldRing })], {
        env: { SESSION_KEYS: value },
      });
      assert.equal(old.code, 0);
    }
    // --key and --key-file win over the environment.
    assert.equal(
      (
        await run(['inspect', await seal(DATA, { now: NOW, keys }), '--key', KEY], {
          env: { SESSION_KEYS: `x:${OLD_KEY}` },
        })
      ).code,
      0,
    );
  });

  test('SESSION_KEYS mistakes: an entry without an id, a duplicate id, a short secret, both variables set', async () => {
    const token = await seal(DATA, { now: NOW, keys });
    assertUsageError(
      await run(['inspect', token], { env: { SESSION_KEYS: `a:${KEY},${OLD_KEY}` } }),
      /SESSION_KEYS entry 2: expected <id>:<secret>, got no id/,
      [KEY, OLD_KEY],
    );
    assertUsageError(
      await run(['inspect', token], { env: { SESSION_KEYS: `a:${KEY},a:${OLD_KEY}` } }),
      /SESSION_KEYS entry 2: its id is already the id of SESSION_KEYS entry 1/,
      [KEY, OLD_KEY],
    );
    assertUsageError(
      await run(['inspect', token], { env: { SESSION_KEYS: 'a:tooshort' } }),
      /SESSION_KEYS entry 1: expected a secret of at least 32 bytes/,
      ['tooshort'],
    );
    assertUsageError(
      await run(['inspect', token], { env: { SESSION_KEYS: ' , ' } }),
      /SESSION_KEYS: expected <id>:<secret> entries separated by commas, got none/,
    );
    assertUsageError(
      await run(['inspect', token], { env: { SESSION_KEYS: `a:${KEY}`, SESSION_KEY: OLD_KEY } }),
      /both SESSION_KEYS and SESSION_KEY are set/,
      [KEY, OLD_KEY],
    );
  });

  test('--help warns that --key is visible in ps and shell history, and names the alternatives', async () => {
    const { stdout } = await run(['--help']);
    assert.match(stdout, /--key-file <path>/);
    assert.match(
      stdout,
      /WARNING: a secret on the command line is visible to\s+every user of the machine \(ps\) and kept in your shell history/,
    );
    assert.match(stdout, /SESSION_KEYS/);
  });
});

test('end to end: node dist/cli.js keygen, directly and through a symlink as npm bin shims are, prints a key', async () => {
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'sealed-session-cli-'));
  try {
    const shim = join(dir, 'sealed-session');
    symlinkSync(cli, shim);
    for (const entry of [cli, shim]) {
      // execFile rejects on a non-zero exit code, so resolving means exit 0.
      const { stdout } = await promisify(execFile)(process.execPath, [entry, 'keygen']);
      assert.match(stdout, /^SESSION_KEY=[A-Za-z0-9_-]{43}\n$/, entry);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
