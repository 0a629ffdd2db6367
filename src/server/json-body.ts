import type restify from 'restify';

/**
 * Reads a JSON request body into memory, within a byte limit, and nothing else. restify's
 * bodyParser also accepts multipart and form bodies, and writes multipart uploads to the temp
 * directory before any route code (or the Bot Framework token check) runs: an unauthenticated
 * caller could fill the disk. Here every other content type is refused with 415 before one byte
 * of the body is read, and a body over the limit is refused with 413 without being kept.
 */
export type BodyResult =
  | { readonly ok: true; readonly body: unknown }
  | { readonly ok: false; readonly status: 400 | 413 | 415; readonly message: string };

const JSON_TYPE = /^application\/json\s*(;|$)/i;

export function isJsonContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && JSON_TYPE.test(contentType.trim());
}

export async function readJsonBody(req: restify.Request, maxBytes: number): Promise<BodyResult> {
  if (!isJsonContentType(req.headers['content-type'])) {
    return { ok: false, status: 415, message: 'Send the activity as application/json.' };
  }
  const declared = Number(req.headers['content-length'] ?? '0');
  if (Number.isFinite(declared) && declared > maxBytes) {
    return { ok: false, status: 413, message: 'The request body is too large.' };
  }
  const text = await new Promise<string | undefined>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      received += chunk.length;
      // A chunked body has no declared length: count as it arrives and stop keeping it at the
      // limit. The caller answers at once and closes the connection; the rest is discarded.
      if (received > maxBytes) {
        over = true;
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => { if (!over) resolve(Buffer.concat(chunks).toString('utf8')); });
    req.once('error', reject);
  });
  if (text === undefined) return { ok: false, status: 413, message: 'The request body is too large.' };
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, status: 400, message: 'The request body is not valid JSON.' };
  }
}
