import type { KeyedQueue } from './keyed-queue.js';

interface Waiting<Request, Reply> {
  request: Request;
  resolve: (reply: Reply) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit. Requests for one key that arrive while that key's previous batch is still being
 * handled wait together and are handled as one batch: a burst of 200 votes on one poll becomes a
 * handful of durable writes instead of 200 fsyncs in a row. Batches run in the key's KeyedQueue,
 * so they stay ordered with other work on that key (closing the poll).
 */
export class KeyedBatcher<Request, Reply> {
  private readonly forming = new Map<string, Waiting<Request, Reply>[]>();

  constructor(
    private readonly queue: KeyedQueue,
    private readonly handle: (key: string, requests: Request[]) => Promise<Reply[]>,
  ) {}

  submit(key: string, request: Request): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      const batch = this.forming.get(key);
      if (batch) {
        batch.push({ request, resolve, reject });
        return;
      }
      const fresh: Waiting<Request, Reply>[] = [{ request, resolve, reject }];
      this.forming.set(key, fresh);
      void this.queue.run(key, async () => {
        // From here on, new requests form the next batch.
        this.forming.delete(key);
        try {
          const replies = await this.handle(key, fresh.map((waiting) => waiting.request));
          fresh.forEach((waiting, index) => waiting.resolve(replies[index] as Reply));
        } catch (error) {
          fresh.forEach((waiting) => waiting.reject(error));
        }
      });
    });
  }
}
