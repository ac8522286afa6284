/** Error-message helper shared by every argument check. */

/**
 * A short description of a value for error messages. It never shows a string's text, only its
 * length: a secret passed in the wrong place (a key where an id or options belong) must not end up
 * in an error message, a log or a crash report.
 */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return value.length === 0 ? 'an empty string' : `a string of length ${value.length}`;
    case 'number':
    case 'bigint':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'undefined':
      return 'undefined';
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default: {
      const name = (value as object).constructor?.name;
      return name && name !== 'Object' ? `an instance of ${name}` : 'an object';
    }
  }
}
