/** The one error-message helper of the argument checks: how a value is named in a TypeError or RangeError. */

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
    default:
      return describeObject(value as object);
  }
}

/**
 * "an instance of Map" for class instances, from the prototype's constructor: never an own
 * `constructor` property, which is data the caller passed (`{ constructor: { name: secret } }`).
 * A Proxy or a getter that throws gives "an object": describing a value must not throw.
 */
function describeObject(value: object): string {
  try {
    const name: unknown = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor
      ?.name;
    return typeof name === 'string' && name !== '' && name !== 'Object' ? `an instance of ${name}` : 'an object';
  } catch {
    return 'an object';
  }
}
