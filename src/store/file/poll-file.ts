import type { PollRecord } from '../poll-record.js';

/**
 * A poll's file, byte for byte what `serialiseDocument(record)` writes, without serialising the
 * whole record again for every write.
 *
 * Each write of a poll rewrites its file (one atomic rename carries a vote and its audit event), and
 * the file holds every vote and every audit event of the poll: after five rounds of 200 votes that is
 * about 350 KB, re-serialised and re-encoded to UTF-8 for a batch that changed one vote. The store
 * never changes a stored vote or event in place (a write installs a new record that shares the
 * unchanged ones), so while a poll is open each element's encoded JSON is kept beside it, keyed by the
 * object itself, and the encoded event list is kept by its last event, so a write that appends events
 * encodes only what is new. Cached elements are frozen, so code that broke that rule would fail
 * loudly instead of leaving a file that no longer matches memory. A closed poll is rarely written
 * again: its write drops what was cached for it.
 */
const encoded = new WeakMap<object, Buffer>();
/** An event list as last written, held by its last event. */
const encodedList = new WeakMap<object, { list: readonly unknown[]; bytes: Buffer }>();

const COMMA = Buffer.from(',');

export function serialisePollRecord(record: PollRecord): Buffer {
  const keep = record.poll.status === 'open';
  const parts: Buffer[] = [];
  let head = '{';
  for (const [key, value] of Object.entries(record)) {
    // JSON.stringify leaves out keys whose value is undefined.
    if (value === undefined) continue;
    head += `${head === '{' ? '' : ','}${JSON.stringify(key)}:`;
    if ((key === 'votes' || key === 'events') && Array.isArray(value)) {
      parts.push(Buffer.from(`${head}[`));
      // Events are only ever appended; votes change one organisation at a time, in place in the order.
      parts.push(key === 'events' ? encodeAppendOnly(value, keep) : join(value, 0, [], keep));
      head = ']';
    } else {
      head += JSON.stringify(value);
    }
  }
  parts.push(Buffer.from(`${head}}\n`));
  if (!keep) forget(record);
  return Buffer.concat(parts);
}

function forget(record: PollRecord): void {
  for (const element of [...record.votes, ...(record.events ?? [])]) {
    encoded.delete(element);
    encodedList.delete(element);
  }
}

/** The elements joined with commas, reusing the encoding of the longest prefix written before. */
function encodeAppendOnly(list: readonly unknown[], keep: boolean): Buffer {
  for (let index = list.length - 1; index >= 0; index -= 1) {
    const element = list[index];
    const earlier = isObject(element) ? encodedList.get(element) : undefined;
    if (!earlier || earlier.list.length !== index + 1 || !startsWith(list, earlier.list)) continue;
    encodedList.delete(element as object);
    return join(list, index + 1, [earlier.bytes], keep);
  }
  return join(list, 0, [], keep);
}

function join(list: readonly unknown[], from: number, parts: Buffer[], keep: boolean): Buffer {
  for (let index = from; index < list.length; index += 1) {
    if (parts.length > 0) parts.push(COMMA);
    parts.push(encodedElement(list[index], keep));
  }
  const bytes = Buffer.concat(parts);
  const last = list[list.length - 1];
  if (keep && isObject(last)) encodedList.set(last, { list, bytes });
  return bytes;
}

function encodedElement(element: unknown, keep: boolean): Buffer {
  // Only stored objects are cached; anything else is encoded as JSON.stringify would.
  if (!isObject(element)) return Buffer.from(JSON.stringify(element) ?? 'null');
  let bytes = encoded.get(element);
  if (!bytes) {
    bytes = Buffer.from(JSON.stringify(element));
    if (keep) {
      deepFreeze(element);
      encoded.set(element, bytes);
    }
  } else if (!keep) {
    encoded.delete(element);
  }
  return bytes;
}

function startsWith(list: readonly unknown[], prefix: readonly unknown[]): boolean {
  for (let index = 0; index < prefix.length; index += 1) if (list[index] !== prefix[index]) return false;
  return true;
}

function isObject(value: unknown): value is object {
  return value !== null && typeof value === 'object';
}

function deepFreeze(value: object): void {
  Object.freeze(value);
  for (const child of Object.values(value)) if (isObject(child) && !Object.isFrozen(child)) deepFreeze(child);
}
