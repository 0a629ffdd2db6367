import type { Logger } from 'pino';
import { ConflictError, type Store } from './store.js';

/**
 * Agendas stored before they named their collaborative (issue 19) are tagged with the collaborative
 * their conversation is bound to, else the default: the one that conversation's polls already
 * belonged to. Runs at start-up, after the configured collaborative is seeded and bound, so a store
 * from before collaboratives existed is tagged with that default. Through the Store interface, so
 * the embedded and PostgreSQL stores migrate alike; each agenda is written at the version it was
 * read (an edit meanwhile wins, and keeps its own tag), so instances starting together are safe.
 * Agendas with no collaborative to take (no file and no `setup` yet) wait for a later start.
 * Returns how many were tagged.
 */
export async function tagAgendas(store: Store, logger?: Logger): Promise<number> {
  let tagged = 0;
  for (const agenda of await store.listAgendas()) {
    if (agenda.collaborativeId !== undefined) continue;
    const owner = await store.collaborativeFor(agenda.conversationId);
    if (!owner) continue;
    try {
      await store.putAgenda({ ...agenda, collaborativeId: owner.collaborativeId }, agenda.current.version);
      tagged += 1;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  if (tagged > 0) logger?.info({ event: 'store.agendas-tagged', tagged }, 'agendas from before issue 19 now name their collaborative');
  return tagged;
}
