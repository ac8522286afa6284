/**
 * Where an adapter can hook a request or response without adding a property to it.
 *
 * Express (4 and 5) gives every request and response a new prototype in its init middleware
 * (`Object.setPrototypeOf(res, app.response)`), then adds properties to them (`res.locals`). V8
 * caches no hidden-class transitions from a map made by a prototype change, so every property a
 * middleware adds to such an object afterwards builds a new map, a copy of the whole object's
 * layout; bench/prototype-stores.ts measures that at several microseconds per property. What all
 * of an Express copy's apps share is the object below `app.response` (Express's own `response`):
 * `app.response` and every mounted sub-app's are made from it, so a method defined there is seen
 * by each response of each app, while `app.response` itself is swapped for a sub-app's.
 *
 * @module
 */

/**
 * The object in `target`'s prototype chain whose own prototype is `base`, when `target`'s own
 * prototype is not `base` itself (Express's `response` for a response whose class is Node's
 * `ServerResponse`); undefined when `base` is `target`'s prototype or is not in its chain at all.
 */
export function sharedPrototypeAbove(target: object, base: object): object | undefined {
  let holder = Object.getPrototypeOf(target) as object | null;
  if (holder === base) return undefined;
  while (holder !== null) {
    const above = Object.getPrototypeOf(holder) as object | null;
    if (above === base) return holder;
    holder = above;
  }
  return undefined;
}

/**
 * Whether `names` can be defined on `holder` as own methods: it is extensible, and any own property
 * of those names is a configurable function (a frozen prototype, or a getter someone put there,
 * is left alone, and the adapter adds its wrappers to the object itself as on plain Node).
 */
export function canDefineMethods(holder: object, names: readonly string[]): boolean {
  if (!Object.isExtensible(holder)) return false;
  return names.every((name) => {
    const own = Object.getOwnPropertyDescriptor(holder, name);
    return own === undefined || (own.configurable === true && typeof own.value === 'function');
  });
}
