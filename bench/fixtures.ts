/** The sessions every benchmark uses: empty, the 5-entry sample, ~3 KB and near the one-cookie limit. */

export const SAMPLE_SESSION: ReadonlyMap<string, string> = new Map([
  ['userId', '12345'],
  ['name', 'alice'],
  ['role', 'admin'],
  ['csrf', '0123456789abcdef0123456789abcdef'],
  ['locale', 'en-US'],
]);

function sized(targetBytes: number): Map<string, string> {
  const data = new Map(SAMPLE_SESSION);
  for (let i = 0; ; i++) {
    const bytes = [...data].reduce((n, [k, v]) => n + k.length + v.length + 2, 0);
    if (bytes >= targetBytes) return data;
    data.set(`item${i}`, `value-${i}-`.padEnd(48, 'x'));
  }
}

export const SESSION_3KB: ReadonlyMap<string, string> = sized(3000);
export const SESSION_NEAR_LIMIT: ReadonlyMap<string, string> = sized(2950);
export const EMPTY_SESSION: ReadonlyMap<string, string> = new Map();

/** Ten cookies of other names, as a site sets them: the session's own are sent among them. */
const UNRELATED_COOKIES = Array.from({ length: 10 }, (_, i) => `pref_${i}=${'v'.repeat(8 + i)}${i}`);

/** A browser's Cookie header: `own` (name=value pairs) between the fifth and sixth unrelated cookie. */
export function cookieHeader(...own: string[]): string {
  return [...UNRELATED_COOKIES.slice(0, 5), ...own, ...UNRELATED_COOKIES.slice(5)].join('; ');
}
