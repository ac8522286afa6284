#!/usr/bin/env node
/**
 * The `sealed-session` command: `keygen` makes a key, `inspect` opens a token and
 * says what is in it or why it was rejected. Node only. It opens tokens with the
 * public API (./index.js: createKeyring, generateKey, unseal, verify) and reads two
 * internals that no public function offers:
 * - the token header (format/token.ts, decoded by the pure format/base64url.ts, no
 *   cryptography): its kind chooses unseal or verify, and its key id and expiry
 *   explain an 'unknown-key' or 'expired' result (the result carries neither);
 * - the key id grammar and the shortest secret (keys/keyring.ts), so that a bad key
 *   is reported against the --key, line or variable it came from.
 *
 * Exit codes: 0 success, 1 token rejected, 2 usage error. Results go to stdout,
 * usage errors and hints to stderr. A secret is never printed.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeBase64url, encodeBase64url } from './format/base64url.js';
import { Kind, parseToken } from './format/token.js';
import { DEFAULT_KEY_ID, KEY_ID, MIN_SECRET_BYTES } from './keys/keyring.js';
import {
  createKeyring,
  generateKey,
  unseal,
  verify,
  type KeyInput,
  type Keyring,
  type UnsealFailureReason,
  type UnsealResult,
} from './index.js';

/** Where the command reads and writes: `process` when run, plain objects in tests. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Read only for the token `-` or `--key-file -`. */
  readonly stdin?: AsyncIterable<string | Uint8Array> | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
}

const EXIT = Object.freeze({ ok: 0, rejected: 1, usage: 2 } as const);

const USAGE = `Usage: sealed-session <command> [options]

Commands:
  keygen                  Print a new random key as a line for an environment file:
                          SESSION_KEY=<43 base64url characters>
  inspect <token>         Open a token and print its data, kind (sealed or signed), key id,
                          issue and expiry times, or the reason it was rejected.
                          Give - as <token> to read it from stdin.

Options of inspect (keys: the first is the current one, each is tried by its id):
  --key-file <path>       Read the keys from a file, one [<id>:]<secret> per line; blank lines
                          and lines starting with # are skipped. - reads them from stdin.
  --key [<id>:]<secret>   A key to try; repeat it for a keyring. Without <id>: id 1, as
                          createKeyring(secret) does. A secret that contains ':' is written
                          1:<secret>. WARNING: a secret on the command line is visible to
                          every user of the machine (ps) and kept in your shell history:
                          prefer --key-file or the environment.
  --context <name>        The context the token was made with (sessions use the cookie name).
                          Default: none.
  --json                  Print the result as JSON.

Keys without --key or --key-file come from the environment:
  SESSION_KEYS            a keyring: <id>:<secret> entries separated by commas or whitespace,
                          e.g. SESSION_KEYS="2025-06:<secret>,2025-01:<old secret>"
  SESSION_KEY             one key (id 1), read whole as createKeyring(secret) does

  -h, --help              Print this help.
  --version               Print the version.

Exit codes:
  0  the token is valid, or the key was printed
  1  the token was rejected (the reason is printed)
  2  usage error: bad arguments or a bad key
`;

const OPTIONS = {
  key: { type: 'string', multiple: true },
  'key-file': { type: 'string' },
  context: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

/** Keyed by the core's reasons: a new reason does not compile until it has its message here. */
const REASONS: Readonly<Record<UnsealFailureReason, string>> = Object.freeze({
  malformed: 'not a sealed-session token, or a damaged one',
  'unsupported-version': 'a token of another version of the format',
  'unknown-key': 'made with a key id that none of the given keys has',
  // One reason for every authentication failure: the core cannot tell them apart, by design.
  invalid: 'wrong key or context, or the token was altered',
  expired: 'the token has expired',
  revoked: 'the token was issued before the revocation time',
});

class UsageError extends Error {}

/** The token header reader's base64url codec: the pure one, as no cryptography is involved. */
const CODEC = Object.freeze({ encodeBase64url, decodeBase64url });

/**
 * Runs the command line `argv` (without `node` and the script) and resolves to the exit code.
 * `now` is the clock (ms since the epoch) that judges expiry and words the times ("in 7 days").
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });
 * ```
 */
export async function main(argv: string[], io: CliIo, now: () => number = Date.now): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: joinOptionValues(argv),
      options: OPTIONS,
      allowPositionals: true,
    });
    if (values.help) return print(io, USAGE, EXIT.ok);
    if (values.version) return print(io, `${version()}\n`, EXIT.ok);
    const [command, ...rest] = positionals;
    if (command === undefined) {
      io.stderr.write(USAGE);
      return EXIT.usage;
    }
    if (command === 'keygen') {
      if (
        rest.length > 0 ||
        values.key ||
        values['key-file'] !== undefined ||
        values.context !== undefined ||
        values.json
      ) {
        throw new UsageError('keygen takes no arguments');
      }
      io.stderr.write(
        'A new 256-bit key. Keep it secret: put the line below in your environment file, never in git.\n',
      );
      return print(io, `SESSION_KEY=${generateKey()}\n`, EXIT.ok);
    }
    // Never echo an unknown command or argument: it may be a token or a secret typed in the wrong place.
    if (command !== 'inspect') throw new UsageError('expected the command keygen or inspect');
    if (rest.length !== 1) throw new UsageError('inspect takes one token, or - to read it from stdin');
    const keyFile = values['key-file'];
    if (keyFile === '-' && rest[0] === '-')
      throw new UsageError(
        'stdin can hold the token or the keys, not both: give the token as an argument or the keys in a file',
      );
    const keys = keyring(keyFile === undefined ? values.key : await readKeyFile(io, keyFile, values.key), io.env);
    const token = rest[0] === '-' ? await readStdin(io) : rest[0]!;
    return await inspect(io, token.trim(), keys, values.context ?? '', values.json ?? false, now());
  } catch (error) {
    // parseArgs quotes an unknown option in its message, and `--<secret>` would be echoed: say only
    // what kind of mistake it was. Our own UsageErrors never contain arguments.
    const message =
      error instanceof UsageError ? error.message : isParseArgsError(error) ? parseArgsMessage(error) : `${error}`;
    io.stderr.write(`sealed-session: ${message}\nRun 'sealed-session --help' for usage.\n`);
    return EXIT.usage;
  }
}

/**
 * `--key <value>` becomes `--key=<value>` before parsing: base64url secrets start with '-' one time
 * in 64, and parseArgs would otherwise read such a value as an option ("argument is ambiguous").
 */
function joinOptionValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if ((arg === '--key' || arg === '--context' || arg === '--key-file') && i + 1 < argv.length)
      out.push(`${arg}=${argv[++i]}`);
    else out.push(arg);
  }
  return out;
}

/** parseArgs messages name our own options, except the unknown-option one, which quotes the argument. */
function parseArgsMessage(error: Error & { code?: unknown }): string {
  return error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
    ? 'unknown option (the options are listed by --help)'
    : error.message;
}

async function inspect(
  io: CliIo,
  token: string,
  keys: Keyring,
  context: string,
  json: boolean,
  now: number,
): Promise<number> {
  // The header is read only to choose the operation; unseal/verify authenticate it.
  const parsed = parseToken(CODEC, token);
  const signed = typeof parsed === 'object' && parsed.kind === Kind.Signed;
  let result: UnsealResult;
  try {
    result = await (signed ? verify : unseal)(token, { keys, context, now });
  } catch (error) {
    // Only bad options reject (here: a context over 1024 bytes).
    throw new UsageError(`--context: ${(error as Error).message}`);
  }
  if (!result.ok) {
    let message = REASONS[result.reason];
    if (typeof parsed === 'object' && result.reason === 'unknown-key') {
      // Unauthenticated, but only the 64-character id alphabet can reach the terminal.
      message = `made with key id "${parsed.keyId}", which none of the given keys has (pass --key ${parsed.keyId}:<secret>)`;
    } else if (typeof parsed === 'object' && result.reason === 'expired') {
      // Expiry is judged after authentication, so this header time is genuine.
      message = `the token expired at ${when(parsed.expiresAt * 1000, now)}`;
    }
    const out = json
      ? toJson({ ok: false, reason: result.reason, message })
      : `rejected: ${result.reason}: ${message}\n`;
    return print(io, out, EXIT.rejected);
  }
  const kind = signed ? 'signed' : 'sealed';
  if (json) {
    return print(
      io,
      toJson({
        ok: true,
        kind,
        keyId: result.keyId,
        rotated: result.rotated,
        issuedAt: iso(result.issuedAt),
        expiresAt: result.expiresAt === null ? null : iso(result.expiresAt),
        data: Object.fromEntries(result.data),
      }),
      EXIT.ok,
    );
  }
  const lines = [
    `valid ${kind} token`,
    `key id:  ${result.keyId} (${result.rotated ? 'not the current key: re-issue the token to rotate' : 'the current key'})`,
    `issued:  ${when(result.issuedAt, now)}`,
    `expires: ${result.expiresAt === null ? 'never' : when(result.expiresAt, now)}`,
    `data:    ${result.data.size} ${result.data.size === 1 ? 'entry' : 'entries'}`,
    ...[...result.data].map(([name, value]) => `  ${show(name, true)} = ${show(value, false)}`),
  ];
  return print(io, `${lines.join('\n')}\n`, EXIT.ok);
}

/** Where the keys came from, for messages: `--key #2`, `--key-file line 3`, `SESSION_KEYS entry 2`. */
interface KeyText {
  readonly text: string;
  readonly where: string;
}

/**
 * The keyring from --key or --key-file, else SESSION_KEYS (a whole keyring), else SESSION_KEY (one
 * key, read as createKeyring(process.env.SESSION_KEY) reads it). Both variables set is refused: which
 * one the operator meant is a guess, and a wrong guess opens tokens with a retired key.
 */
function keyring(values: readonly (string | KeyText)[] | undefined, env: CliIo['env']): Keyring {
  let inputs: (KeyInput & { where: string })[];
  if (values !== undefined) {
    inputs = values
      .map((value, index) => (typeof value === 'string' ? { text: value, where: `--key #${index + 1}` } : value))
      .map(({ text, where }) => ({ ...keyInput(text, where), where }));
  } else if (env['SESSION_KEYS']) {
    if (env['SESSION_KEY'])
      throw new UsageError('both SESSION_KEYS and SESSION_KEY are set: unset one, or pass --key-file');
    inputs = envKeyring(env['SESSION_KEYS']);
  } else if (env['SESSION_KEY']) {
    inputs = [{ id: DEFAULT_KEY_ID, secret: checkSecret(env['SESSION_KEY'], 'SESSION_KEY'), where: 'SESSION_KEY' }];
  } else {
    throw new UsageError(
      'inspect needs keys: --key-file <path>, --key <secret>, or the SESSION_KEYS or SESSION_KEY environment variable',
    );
  }
  inputs.forEach(({ id, where }, index) => {
    const first = inputs.findIndex((other) => other.id === id);
    if (first !== index)
      throw new UsageError(
        `${where}: its id is already the id of ${inputs[first]!.where}; give each key its own id: <id>:<secret>`,
      );
  });
  try {
    return createKeyring(inputs.map(({ id, secret }) => ({ id, secret })));
  } catch (error) {
    // What our own checks leave: a secret with a lone surrogate. The message names the field, never the secret.
    throw new UsageError(`bad key: ${(error as Error).message}`);
  }
}

/**
 * SESSION_KEYS: `<id>:<secret>` entries separated by commas or whitespace (a newline-separated value
 * from an env file works too). Ids are required: a keyring's ids are what rotation turns on.
 */
function envKeyring(text: string): (KeyInput & { where: string })[] {
  const entries = text.split(/[\s,]+/).filter((entry) => entry !== '');
  if (entries.length === 0)
    throw new UsageError('SESSION_KEYS: expected <id>:<secret> entries separated by commas, got none');
  return entries.map((entry, index) => {
    const where = `SESSION_KEYS entry ${index + 1}`;
    if (!entry.includes(':'))
      throw new UsageError(`${where}: expected <id>:<secret>, got no id (each entry names its key: <id>:<secret>)`);
    return { ...keyInput(entry, where), where };
  });
}

/**
 * --key-file: one `[<id>:]<secret>` per line, as --key takes it. Blank lines and `#` comments are
 * skipped, and a line's end (LF or CRLF) is not part of its secret; nothing else is trimmed, so the
 * secret is exactly what the line holds. `-` reads the file from stdin (`... | sealed-session inspect
 * <token> --key-file -`), so the secret never appears in the command line.
 */
async function readKeyFile(io: CliIo, path: string, values: readonly string[] | undefined): Promise<KeyText[]> {
  if (values !== undefined) throw new UsageError('give either --key or --key-file, not both');
  let text: string;
  if (path === '-') {
    text = await readStdin(io);
  } else {
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      // The code only (ENOENT, EACCES…): the path is the user's own input and is shown to nobody else, but the rule is one rule.
      throw new UsageError(
        `--key-file: expected a readable file, got ${(error as { code?: unknown }).code ?? 'an error'}`,
      );
    }
  }
  const keys: KeyText[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    keys.push({ text: line, where: `--key-file line ${index + 1}` });
  });
  if (keys.length === 0) throw new UsageError('--key-file: expected at least one key line, got none');
  return keys;
}

/** `<secret>` or `<id>:<secret>`; generateKey() secrets are base64url, so they never contain ':'. */
function keyInput(value: string, where: string): KeyInput {
  const colon = value.indexOf(':');
  if (colon === -1) return { id: DEFAULT_KEY_ID, secret: checkSecret(value, where) };
  const id = value.slice(0, colon);
  if (!KEY_ID.test(id)) {
    throw new UsageError(
      `${where}: expected <id>:<secret> with an id of 1 to 16 characters from [A-Za-z0-9_-] (a secret that contains ':' is written 1:<secret>)`,
    );
  }
  return { id, secret: checkSecret(value.slice(colon + 1), where) };
}

function checkSecret(secret: string, where: string): string {
  const bytes = Buffer.byteLength(secret);
  if (bytes < MIN_SECRET_BYTES) {
    throw new UsageError(
      `${where}: expected a secret of at least ${MIN_SECRET_BYTES} bytes (make one with 'sealed-session keygen'), got ${bytes}`,
    );
  }
  return secret;
}

async function readStdin(io: CliIo): Promise<string> {
  if (io.stdin === undefined) throw new UsageError('no stdin to read from');
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of io.stdin)
    text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/**
 * A name or value as it appears after `name = `: bare when that is unambiguous, else a JSON
 * string. Control and format characters are always escaped: printed raw, they could move the
 * cursor, rewrite earlier lines or reorder text on the terminal (ANSI escapes, Trojan Source).
 */
function show(text: string, isName: boolean): string {
  const bare =
    text !== '' &&
    text.trim() === text &&
    !text.startsWith('"') &&
    !UNSAFE.test(text) &&
    !(isName && text.includes('='));
  return bare ? text : escapeUnsafe(JSON.stringify(text));
}

/** C0, DEL, C1, format characters (bidi overrides, zero-width, tags) and the JavaScript line terminators. */
const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
/** UNSAFE less U+0000 to U+001F, which JSON.stringify escapes inside strings (and which are whitespace outside them). */
const UNSAFE_AFTER_JSON = /[\u007f-\u009f\p{Cf}\u2028\u2029]/gu;

/** Escapes what JSON.stringify leaves raw; a \u escape is valid JSON, and these can only occur inside strings. */
function escapeUnsafe(json: string): string {
  return json.replace(UNSAFE_AFTER_JSON, (c) =>
    c
      .split('')
      .map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .join(''),
  );
}

function toJson(value: object): string {
  return `${escapeUnsafe(JSON.stringify(value, null, 2))}\n`;
}

/** Tokens carry whole seconds, so the milliseconds are dropped. */
function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

const RELATIVE = new Intl.RelativeTimeFormat('en', { numeric: 'always' });
const UNITS = [
  ['year', 365 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
] as const;

/** "2025-06-01T12:00:00Z (in 7 days)". */
function when(ms: number, now: number): string {
  const seconds = (ms - now) / 1000;
  const [unit, size] = UNITS.find(([, unitSeconds]) => Math.abs(seconds) >= unitSeconds) ?? UNITS[UNITS.length - 1]!;
  return `${iso(ms)} (${RELATIVE.format(Math.round(seconds / size), unit)})`;
}

function version(): string {
  // ../package.json from both src/cli.ts and dist/cli.js.
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

function print(io: CliIo, text: string, code: number): number {
  io.stdout.write(text);
  return code;
}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_');
}

/** True when this file is the program node runs; npm's bin shims are symlinks, so compare real paths. */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return pathToFileURL(realpathSync(entry)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
  main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
