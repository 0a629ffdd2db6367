import { belongsTo } from '../../decisions/collaborative.js';
import type { Outcome } from '../../decisions/outcome.js';
import { DEFAULT_BINDING } from '../../membership/model.js';
import { outcomesOfCollaborative } from '../../membership/scope.js';
import type { Store } from '../../store/store.js';
import type { Agenda } from '../../agenda/model.js';

/**
 * The register tab shows a signed-in person the outcomes of the collaboratives they belong to
 * (representative, deputy, chair, secretariat or named observer) and nothing else (issue 19).
 * `userId` undefined is local mode: only this computer is answered, so it sees everything.
 */
export async function visibleOutcomes(store: Store, userId: string | undefined, outcomes: Outcome[]): Promise<Outcome[]> {
  if (userId === undefined) return outcomes;
  const theirs = (await store.listCollaboratives()).filter((version) => belongsTo(version.collaborative, userId));
  if (theirs.length === 0) return [];
  const polls = await store.listPolls();
  const defaultId = (await store.collaborativeFor(DEFAULT_BINDING))?.collaborativeId;
  const ids = new Set(theirs.flatMap((version) => outcomesOfCollaborative(version.collaborativeId, outcomes, polls, defaultId)).map((outcome) => outcome.id));
  // Keep the store's order (newest first).
  return outcomes.filter((outcome) => ids.has(outcome.id));
}

/**
 * The meetings (agendas) of the collaboratives a signed-in person belongs to, in the order given:
 * an agenda names its collaborative (issue 19); one not yet tagged belongs to its conversation's.
 */
export async function visibleAgendas(store: Store, userId: string | undefined, agendas: Agenda[]): Promise<Agenda[]> {
  if (userId === undefined) return agendas;
  const theirs = new Set((await store.listCollaboratives()).filter((version) => belongsTo(version.collaborative, userId)).map((version) => version.collaborativeId));
  const visible: Agenda[] = [];
  for (const agenda of agendas) {
    const owner = agenda.collaborativeId ?? (await store.collaborativeFor(agenda.conversationId))?.collaborativeId;
    if (owner !== undefined && theirs.has(owner)) visible.push(agenda);
  }
  return visible;
}
