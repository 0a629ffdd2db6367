/**
 * JSON text made once for a value that is sent many times unchanged: the parts of a 200-member poll
 * card, shared by every voter's reply until the next vote changes them (issue 22). Serialising the
 * 14 KB card was the largest single cost of a vote's reply; a reply now joins the parts' prepared
 * text around its own small pieces (the voter's note).
 *
 * A prepared value is deep-frozen: its text can never describe an older version of it, because
 * there is no newer one (an attempt to change it throws).
 */
const prepared = new WeakMap<object, string>();

export function prepareJson<T extends object>(value: T): T {
  if (!prepared.has(value)) prepared.set(deepFreeze(value), JSON.stringify(value));
  return value;
}

/** The same text as JSON.stringify(value), taking each prepared part's text as it stands. */
export function stringifyJson(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const text = prepared.get(value);
  if (text !== undefined) return text;
  if (Array.isArray(value)) return `[${value.map((item: unknown) => stringifyJson(item) ?? 'null').join(',')}]`;
  // Anything but plain data (a Date, a class with toJSON) is left to JSON.stringify whole.
  if (Object.getPrototypeOf(value) !== Object.prototype || typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(value);
  const members: string[] = [];
  for (const [key, member] of Object.entries(value)) {
    const memberText = stringifyJson(member);
    if (memberText !== undefined) members.push(`${JSON.stringify(key)}:${memberText}`);
  }
  return `{${members.join(',')}}`;
}

function deepFreeze<T extends object>(value: T): T {
  for (const member of Object.values(value)) {
    if (typeof member === 'object' && member !== null && !Object.isFrozen(member)) deepFreeze(member);
  }
  return Object.freeze(value);
}
