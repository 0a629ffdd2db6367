import { z } from 'zod';
import { rolesOf, type Collaborative } from '../decisions/collaborative.js';
import { OutcomeAction, type Outcome } from '../decisions/outcome.js';
import { toDecisionsListData, toOutcomeCardData, type OutcomeCardOptions } from '../register/outcome-view.js';
import { POSITION_DETAILS } from '../decisions/poll-card.js';
import { fitCard } from './fit-card.js';
import type { CollaborativeScope, Store } from '../store/store.js';
import { inScope } from '../membership/scope.js';
import type { CardJson, CardRenderer } from './render.js';
import { sendCard } from './send.js';
import { refusal, verb, type Turn } from './verb.js';

export interface RegisterDependencies {
  readonly store: Store;
  readonly collaborativeForTurn: (turn: Turn) => Promise<Collaborative | undefined>;
  /** The turn's collaborative, as a register scope (none: an unbound chat has no register). A channel's register is its collaborative's only. */
  readonly registerScope: (turn: Turn) => Promise<CollaborativeScope | undefined>;
  readonly renderer: CardRenderer;
  readonly registerUrl?: string;
}

/** How many outcomes the `decisions` card lists; the tab shows the rest. */
const LIST_SIZE = 10;

const OutcomeIdInput = z.object({ outcomeId: z.string().trim().min(1).max(100) });
const AddActionInput = OutcomeIdInput.extend({
  who: z.string().trim().min(1, 'say who will do it').max(200),
  what: z.string().trim().min(1, 'say what will be done').max(1000),
  when: z.string().trim().min(1, 'say when').max(100),
});

/** The outcome card with the most detail that fits in a Teams message; every member's position always shows. */
export const renderOutcomeCard = (renderer: CardRenderer, outcome: Outcome, options: Omit<OutcomeCardOptions, 'detail'>): CardJson =>
  fitCard(POSITION_DETAILS, (detail) => renderer.render('outcome', toOutcomeCardData(outcome, { ...options, detail })));

/** The decision register in Teams: list and search outcomes, open one, add actions to it. */
export function register(deps: RegisterDependencies) {
  const { store, renderer } = deps;
  const outcomeCard = (outcome: Outcome, note?: string, noteTone?: 'good' | 'warning'): CardJson =>
    renderOutcomeCard(renderer, outcome, { note, noteTone, registerUrl: deps.registerUrl });

  /** The newest LIST_SIZE of this register's outcomes (matching `text`): the store reads only those, however long the register. */
  const decisionsList = async (turn: Turn, text: string): Promise<CardJson> => {
    const scope = await deps.registerScope(turn);
    const query = { ...(text ? { text } : {}), ...(scope ? { collaboratives: scope } : {}) };
    const [outcomes, total] = scope ? await Promise.all([store.listOutcomes({ ...query, limit: LIST_SIZE }), store.countOutcomes(query)]) : [[], 0];
    return renderer.render('decisions', toDecisionsListData(outcomes, { words: text, shown: LIST_SIZE, total, registerUrl: deps.registerUrl }));
  };

  const commandDecisions = async (turn: Turn, words: string): Promise<void> => {
    await sendCard(turn.context, await decisionsList(turn, words.trim().slice(0, 200)));
  };

  /**
   * An outcome by id, only if it is on this conversation's register (issue 19): an id is easy to
   * copy from another collaborative's card, and its register is not this team's to read or change.
   * Another collaborative's outcome gets the same answer as a missing one, so ids reveal nothing.
   */
  const ownOutcome = async (turn: Turn, outcomeId: string): Promise<Outcome | undefined> => {
    const outcome = await store.getOutcome(outcomeId);
    if (!outcome) return undefined;
    const [scope, poll] = await Promise.all([deps.registerScope(turn), store.getPoll(outcome.pollId)]);
    return scope && poll && inScope(scope, poll) ? outcome : undefined;
  };
  const notHere = () => refusal('Outcome not found', 'That outcome is not on this team’s register. Nothing was changed.');

  const verbs = {
    show: verb(OutcomeIdInput, async (turn, input) => {
      const outcome = await ownOutcome(turn, input.outcomeId);
      if (!outcome) return notHere();
      // The list stays where it is; the full outcome arrives as its own message.
      await sendCard(turn.context, outcomeCard(outcome));
      return { kind: 'card', card: await decisionsList(turn, '') };
    }),
    addAction: verb(AddActionInput, async (turn, input) => {
      const outcome = await ownOutcome(turn, input.outcomeId);
      if (!outcome) return notHere();
      const collaborative = await deps.collaborativeForTurn(turn);
      const roles = collaborative ? rolesOf(collaborative, turn.person.aadObjectId) : undefined;
      if (!roles || (!roles.isChair && !roles.isSecretariat)) {
        return { kind: 'card', card: outcomeCard(outcome, 'Only the chair or the secretariat can add actions to the record. Nothing was changed.', 'warning') };
      }
      const action = OutcomeAction.parse({ who: input.who, what: input.what, when: input.when, addedBy: turn.person, addedAt: turn.now.toISOString() });
      const updated = await store.updateOutcome(outcome.id, (current) => ({ ...current, actions: [...current.actions, action] }));
      await store.appendAudit({ action: 'outcome.updated', by: turn.person, subject: outcome.id, at: turn.now.toISOString(), detail: { added: 'action', who: action.who, when: action.when } });
      return { kind: 'card', card: outcomeCard(updated ?? outcome, 'Action added to the record.'), shared: true };
    }),
  };

  return { commandDecisions, verbs, outcomeCard };
}
