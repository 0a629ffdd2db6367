import type { PollRecord } from '../poll-record.js';

/**
 * A poll's file, byte for byte what `serialiseDocument(record)` writes, without serialising the
 * whole record again for every write.
 *
 * Each write of a poll rewrites its file (one atomic rename carries a vote and its audit event), and
 * the file holds every vote and every audit event of the poll: after five rounds of 200 votes that is
 * about 350 KB, re-serialised and re-encoded to UTF-8 for a batch that changed one vote. The store
 * never changes a stored vote or event in place (a write installs a new record that shares the
 * unchanged ones), so each element's encoded JSON is kept beside it, keyed by the object itself, and a
 * write encodes only what is new. Cached elements are frozen, so code that broke that rule would fail
 * loudly instead of leaving a file that no longer matches memory.
 */
const encoded = new WeakMap<object, Buffer>();

/** The arrays that only grow or change an element at a time; the rest of a record is small. */
const CACHED_LISTS = new Set(['votes', 'events']);

const COMMA = Buffer.from(',');

export function serialisePollRecord(record: PollRecord): Buffer {
  const parts: Buffer[] = [];
  let head = '{';
  for (const [key, value] of Object.entries(record)) {
    // JSON.stringify leaves out keys whose value is undefined.
    if (value === undefined) continue;
    head += `${head === '{' ? '' : ','}${JSON.stringify(key)}:`;
    if (CACHED_LISTS.has(key) && Array.isArray(value)) {
      parts.push(Buffer.from(`${head}[`));
      value.forEach((element: unknown, index) => {
        if (index > 0) parts.push(COMMA);
        parts.push(encodedElement(element));
      });
      head = ']';
    } else {
      head += JSON.stringify(value);
    }
  }
  parts.push(Buffer.from(`${head}}\n`));
  return Buffer.concat(parts);
}

function encodedElement(element: unknown): Buffer {
  // Only plain stored objects are cached; anything else is encoded as JSON.stringify would.
  if (element === null || typeof element !== 'object') return Buffer.from(JSON.stringify(element) ?? 'null');
  let bytes = encoded.get(element);
  if (!bytes) {
    bytes = Buffer.from(JSON.stringify(element));
    deepFreeze(element);
    encoded.set(element, bytes);
  }
  return bytes;
}

function deepFreeze(value: object): void {
  Object.freeze(value);
  for (const child of Object.values(value)) if (child !== null && typeof child === 'object' && !Object.isFrozen(child)) deepFreeze(child as object);
}
