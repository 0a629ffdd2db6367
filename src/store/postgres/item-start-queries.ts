/** The "Now" marker's moves in PostgreSQL (issue 21): insert-only rows, read back in insertion order. */
import type { Pool } from 'pg';
import { ItemStart } from '../../decisions/item-start.js';
import { admit } from '../copy.js';
import { json, parseDocs, type DocRow, type Queryable } from './sql.js';

export async function recordItemStart(pool: Pool, start: ItemStart): Promise<void> {
  const admitted = admit(ItemStart, start);
  await pool.query('INSERT INTO agenda_item_starts (agenda_id, doc) VALUES ($1, $2::jsonb)', [admitted.agendaId, json(admitted)]);
}

export async function itemStarts(db: Queryable, agendaId: string): Promise<ItemStart[]> {
  const { rows } = await db.query<DocRow>('SELECT doc FROM agenda_item_starts WHERE agenda_id = $1 ORDER BY seq', [agendaId]);
  return parseDocs(ItemStart, rows, 'agenda_item_starts row');
}

/** Every agenda's moves, grouped per agenda and oldest first within each: for a backup. */
export async function allItemStarts(db: Queryable): Promise<ItemStart[][]> {
  const { rows } = await db.query<DocRow>('SELECT doc FROM agenda_item_starts ORDER BY agenda_id, seq');
  const byAgenda = new Map<string, ItemStart[]>();
  for (const start of parseDocs(ItemStart, rows, 'agenda_item_starts row')) byAgenda.set(start.agendaId, [...(byAgenda.get(start.agendaId) ?? []), start]);
  return [...byAgenda.values()];
}
