import type { Logger } from 'pino';
import type { Collaborative } from '../decisions/collaborative.js';
import { importedVersion } from '../membership/change.js';
import { DEFAULT_BINDING } from '../membership/model.js';
import type { Person } from '../people/model.js';
import { ConflictError, type Store } from './store.js';

/** Who an import at start-up is recorded as: no person did it. */
export const STARTUP: Person = { aadObjectId: 'concord', name: 'Concord (start-up import)' };

/**
 * Before issue 19 a deployment served the one collaborative in CONCORD_COLLABORATIVE_FILE. When
 * the store holds no collaborative yet (a store written by that release, or a new one), that file
 * becomes version 1 and the default for every conversation without one of its own, so existing
 * polls, the register and the local playground keep working unchanged. Without a file
 * (CONCORD_COLLABORATIVE_FILE=none) it starts empty: each team then runs `setup`. Returns the
 * imported id, if any.
 */
export async function seedCollaborative(store: Store, collaborative: Collaborative | undefined, file: string, now: Date, logger?: Logger): Promise<string | undefined> {
  if (!collaborative) return undefined;
  let imported = false;
  if ((await store.listCollaboratives()).length === 0) {
    try {
      await store.saveCollaborativeVersion(importedVersion({ current: undefined, collaborative, source: file, by: STARTUP, now }));
      imported = true;
    } catch (error) {
      // Several instances starting at once on one database: another imported it first.
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  // Bound in a second write: a start stopped between the two (a crash) binds on the next start.
  if ((await store.listBindings()).length === 0 && (await store.getCollaborative(collaborative.id))) {
    await store.bindConversation({ conversationId: DEFAULT_BINDING, collaborativeId: collaborative.id, by: STARTUP, at: now.toISOString() });
  }
  if (imported) logger?.info({ collaborativeId: collaborative.id, file }, 'imported the configured collaborative as version 1, the default for every conversation');
  return imported ? collaborative.id : undefined;
}
