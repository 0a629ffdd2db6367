import type { agendas } from './agendas.js';
import type { guidance } from './guidance.js';
import type { membership } from './membership.js';
import type { polls } from './polls.js';
import type { register } from './register.js';
import type { Turn, Verb } from './verb.js';

/** Every card action Concord answers. cards/*.json spell them out; test/bot/verbs.test.ts checks both ways. */
export const VERB = {
  answerAsk: 'answer.ask',
  answerFeedback: 'answer.feedback',
  agendaEdit: 'agenda.edit',
  agendaSave: 'agenda.save',
  agendaDeclareInterest: 'agenda.declareInterest',
  agendaHandleInterest: 'agenda.handleInterest',
  pollStart: 'poll.start',
  pollOpen: 'poll.open',
  pollVote: 'poll.vote',
  pollOnBehalf: 'poll.onBehalf',
  pollOnBehalfForm: 'poll.onBehalfForm',
  pollRefresh: 'poll.refresh',
  pollClose: 'poll.close',
  pollRemind: 'poll.remind',
  pollReopen: 'poll.reopen',
  interestDeclare: 'interest.declare',
  interestHandle: 'interest.handle',
  outcomeShow: 'outcome.show',
  outcomeAddAction: 'outcome.addAction',
  membershipSetup: 'membership.setup',
  membershipAdd: 'membership.add',
  membershipRename: 'membership.rename',
  membershipRetire: 'membership.retire',
  membershipAssign: 'membership.assign',
  membershipRule: 'membership.rule',
} as const;
export type VerbName = (typeof VERB)[keyof typeof VERB];

/** Who may press it. Each handler checks this itself, so its refusal can say what the person may do instead. */
export type Caller = 'anyone' | 'chair' | 'chair or secretariat' | 'representative' | 'secretariat' | 'anyone, where no collaborative is set up';

/** `verb`: input schema and handler, written together in the feature's file. `remembers`: its shared card is refreshed later, from outside the turn, so the conversation is saved first. */
export interface VerbRow { readonly name: VerbName; readonly verb: Verb<unknown>; readonly caller: Caller; readonly remembers: boolean }

/** Each feature's handlers (input schema and handler, written together in its own file). */
export interface FeatureVerbs {
  readonly guidance: ReturnType<typeof guidance>['verbs'];
  readonly agendas: ReturnType<typeof agendas>['verbs'];
  readonly polls: ReturnType<typeof polls>['verbs'];
  readonly interests: ReturnType<typeof polls>['interestVerbs'];
  readonly register: ReturnType<typeof register>['verbs'];
  readonly membership: ReturnType<typeof membership>['verbs'];
}

/** The one verb table: adding a verb is one row here plus its handler in its feature file. */
export function verbTable({ guidance: qa, agendas: agenda, polls: poll, interests, register: outcome, membership: members }: FeatureVerbs): readonly VerbRow[] {
  const row = (name: VerbName, verb: Verb<unknown>, caller: Caller, remembers = false): VerbRow => ({ name, verb, caller, remembers });
  return [
    row(VERB.answerAsk, qa.ask, 'anyone'),
    row(VERB.answerFeedback, qa.feedback, 'anyone'),
    row(VERB.agendaEdit, agenda.edit, 'chair or secretariat'),
    row(VERB.agendaSave, agenda.save, 'chair or secretariat', true),
    row(VERB.agendaDeclareInterest, agenda.declareInterest, 'representative', true),
    row(VERB.agendaHandleInterest, agenda.handleInterest, 'chair', true),
    row(VERB.pollStart, poll.start, 'chair'),
    row(VERB.pollOpen, poll.open, 'chair', true),
    row(VERB.pollVote, poll.vote, 'representative', true),
    row(VERB.pollOnBehalf, poll.onBehalf, 'chair or secretariat', true),
    row(VERB.pollOnBehalfForm, poll.onBehalfForm, 'chair or secretariat'),
    row(VERB.pollRefresh, poll.refresh, 'anyone'),
    row(VERB.pollClose, poll.close, 'chair'),
    row(VERB.pollRemind, poll.remind, 'chair'),
    row(VERB.pollReopen, poll.reopen, 'chair'),
    row(VERB.interestDeclare, interests.declare, 'representative', true),
    row(VERB.interestHandle, interests.handle, 'chair', true),
    row(VERB.outcomeShow, outcome.show, 'anyone'),
    row(VERB.outcomeAddAction, outcome.addAction, 'chair or secretariat'),
    row(VERB.membershipSetup, members.setup, 'anyone, where no collaborative is set up'),
    row(VERB.membershipAdd, members.add, 'secretariat'),
    row(VERB.membershipRename, members.rename, 'secretariat'),
    row(VERB.membershipRetire, members.retire, 'secretariat'),
    row(VERB.membershipAssign, members.assign, 'secretariat'),
    row(VERB.membershipRule, members.rule, 'secretariat'),
  ];
}

/** The table as the bot looks verbs up, with `remember` run first for the rows that need it. */
export function verbRoutes(rows: readonly VerbRow[], remember: (turn: Turn) => Promise<void>): ReadonlyMap<string, Verb<unknown>> {
  return new Map(rows.map(({ name, verb, remembers }) => [name, remembers
    ? { input: verb.input, handle: async (turn: Turn, input: unknown) => { await remember(turn); return verb.handle(turn, input); } }
    : verb]));
}
