import { belongsTo } from '../../decisions/collaborative.js';
import type { Outcome } from '../../decisions/outcome.js';
import { DEFAULT_BINDING } from '../../membership/model.js';
import { inScope } from '../../membership/scope.js';
import type { CollaborativeScope, OutcomeQuery, Store } from '../../store/store.js';
import type { Agenda } from '../../agenda/model.js';

/** The ids of the collaboratives a person belongs to in any role. */
async function collaborativesOf(store: Store, userId: string): Promise<string[]> {
  return (await store.listCollaboratives()).filter((version) => belongsTo(version.collaborative, userId)).map((version) => version.collaborativeId);
}

/**
 * The register tab shows a signed-in person the outcomes of the collaboratives they belong to
 * (representative, deputy, chair, secretariat or named observer) and nothing else (issue 19), as a
 * scope the store filters on before its limit. `userId` undefined is local mode: only this
 * computer is answered, so it sees everything (no scope); 'none' when they belong to none.
 */
async function readerScope(store: Store, userId: string | undefined): Promise<CollaborativeScope | 'everything' | 'none'> {
  if (userId === undefined) return 'everything';
  const ids = await collaborativesOf(store, userId);
  if (ids.length === 0) return 'none';
  return { ids, defaultId: (await store.collaborativeFor(DEFAULT_BINDING))?.collaborativeId };
}

/** The register search, limited to what the reader may see. */
export async function visibleOutcomes(store: Store, userId: string | undefined, query: OutcomeQuery): Promise<Outcome[]> {
  const scope = await readerScope(store, userId);
  if (scope === 'none') return [];
  return store.listOutcomes(scope === 'everything' ? query : { ...query, collaboratives: scope });
}

/** Whether the reader may see this outcome (its poll belongs to one of their collaboratives). */
export async function mayRead(store: Store, userId: string | undefined, outcome: Outcome): Promise<boolean> {
  const scope = await readerScope(store, userId);
  if (scope === 'everything' || scope === 'none') return scope === 'everything';
  const poll = await store.getPoll(outcome.pollId);
  return poll !== undefined && inScope(scope, poll);
}

/**
 * The meetings (agendas) of the collaboratives a signed-in person belongs to, in the order given:
 * an agenda names its collaborative (issue 19); one not yet tagged belongs to its conversation's.
 */
export async function visibleAgendas(store: Store, userId: string | undefined, agendas: Agenda[]): Promise<Agenda[]> {
  if (userId === undefined) return agendas;
  const theirs = new Set(await collaborativesOf(store, userId));
  const visible: Agenda[] = [];
  for (const agenda of agendas) {
    const owner = agenda.collaborativeId ?? (await store.collaborativeFor(agenda.conversationId))?.collaborativeId;
    if (owner !== undefined && theirs.has(owner)) visible.push(agenda);
  }
  return visible;
}
