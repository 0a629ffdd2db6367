import { DatabaseError, type Pool, type PoolClient } from 'pg';
import { z } from 'zod';

/** Anything that runs a query: the pool (one statement, autocommit) or a client inside a transaction. */
export type Queryable = Pool | PoolClient;

/** Rows that hold one record as a jsonb document. */
export interface DocRow {
  doc: unknown;
}

/**
 * SQLSTATEs after which the database has rolled the whole transaction back and another try may
 * succeed: a serialization failure or a deadlock victim. Nothing of the attempt was written.
 */
const RETRYABLE = new Set(['40001', '40P01']);
const ATTEMPTS = 3;

export type Isolation = 'READ COMMITTED' | 'REPEATABLE READ';

/**
 * Runs `work` in one transaction on one connection: committed if it resolves, rolled back if it
 * throws. Retried (from the start, so `work` must only decide from what it reads) when the
 * database aborted it as a deadlock victim or serialization failure.
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  options: { isolation?: Isolation; readOnly?: boolean } = {},
): Promise<T> {
  const begin = `BEGIN ISOLATION LEVEL ${options.isolation ?? 'READ COMMITTED'}${options.readOnly ? ' READ ONLY' : ''}`;
  for (let attempt = 1; ; attempt += 1) {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // The connection itself failed: destroy it rather than hand it to the next caller.
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      if (attempt < ATTEMPTS && sqlState(error) !== undefined && RETRYABLE.has(sqlState(error)!)) continue;
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

export function sqlState(error: unknown): string | undefined {
  return error instanceof DatabaseError ? error.code : undefined;
}

/** A unique or primary-key constraint refused the row. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return error instanceof DatabaseError && error.code === '23505' && (constraint === undefined || error.constraint === constraint);
}

/** Rows read back are checked against the record's schema, like every other boundary. */
export function parseRow<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`PostgreSQL ${where} does not match its schema: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function parseDocs<T>(schema: z.ZodType<T>, rows: readonly DocRow[], where: string): T[] {
  return rows.map((row) => parseRow(schema, row.doc, where));
}

/** A jsonb parameter: sent as JSON text, so arrays stay JSON arrays (pg would send a JS array as a SQL array). */
export function json(value: unknown): string {
  return JSON.stringify(value);
}
