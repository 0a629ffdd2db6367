/**
 * Real outcomes for the register tests: an agenda saved, a poll opened on one of its items, votes
 * cast by different representatives and the poll closed, all through /api/messages as Teams would
 * send them (as test/bot/polls.test.ts does). Nothing here writes an Outcome by hand.
 */
import { ALEX, cardAction, post, type Member } from '../support/activities.js';
import { representative, writeCollaborative } from '../support/collaborative.js';
import type { TestConcord } from '../support/concord.js';
import type { Outcome } from '../../src/decisions/outcome.js';

/**
 * A collaborative whose member names are as hostile as a collaborative file allows: commas,
 * quotes, a leading "=" and "@". Representative n (test/support/collaborative.ts) speaks for member n.
 */
export const HOSTILE_MEMBERS = ['Trust 1 NHS FT', '=Evil, "Quoted" Trust', '@Third *Trust* <b>', 'Fourth NHS FT'] as const;

export function writeHostileCollaborative(): string {
  return writeCollaborative(HOSTILE_MEMBERS);
}

async function invoke(concord: TestConcord, verb: string, data: Record<string, unknown>, from: Member = ALEX): Promise<unknown> {
  const response = await post(concord.url, cardAction(concord.connector.url, verb, data, { from, replyToId: 'card-1' }));
  if (response.status !== 200) throw new Error(`${verb} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Saves an agenda from the agenda form and returns its id (from the audit log, as Concord records it). */
export async function saveAgenda(concord: TestConcord, meeting: { title: string; date: string; items: string[] }): Promise<string> {
  await invoke(concord, 'agenda.save', { title: meeting.title, date: meeting.date, startTime: '09:30', place: 'Boardroom', link: '', chair: 'Alex Wilber', items: meeting.items.join('\n') });
  const created = (await concord.store.readAudit()).filter((event) => event.action === 'agenda.created').at(-1);
  if (!created) throw new Error('the agenda was not saved');
  return created.subject;
}

export interface PollPlan {
  title: string;
  proposal: string;
  rule?: string;
  agenda?: { agendaId: string; itemRef: string };
  /** Extra poll form fields: category, affectedMembers, gatewayProgramme, gatewayStage, … */
  fields?: Record<string, string>;
  /** Member number (1-based) → position; members not listed do not vote. */
  votes: Record<number, 'support' | 'object' | 'abstain'>;
  actions?: { who: string; what: string; when: string }[];
}

/** Opens, votes on and closes one poll; returns the outcome Concord logged. */
export async function logOutcome(concord: TestConcord, plan: PollPlan): Promise<Outcome> {
  const before = new Set((await concord.store.listPolls()).map((poll) => poll.id));
  const opened = await invoke(concord, 'poll.open', {
    agendaId: plan.agenda?.agendaId ?? '',
    itemRefValue: plan.agenda?.itemRef ?? '',
    category: '1',
    title: plan.title,
    proposal: plan.proposal,
    rule: plan.rule ?? 'majority',
    ...plan.fields,
  });
  const poll = (await concord.store.listPolls()).find((candidate) => !before.has(candidate.id));
  if (!poll) throw new Error(`the poll "${plan.title}" was not opened: ${JSON.stringify(opened).slice(0, 2000)}`);
  for (const [member, position] of Object.entries(plan.votes)) {
    await invoke(concord, 'poll.vote', { pollId: poll.id, positionValue: position }, representative(Number(member)));
  }
  await invoke(concord, 'poll.close', { pollId: poll.id });
  const outcome = await concord.store.getOutcomeByPoll(poll.id);
  if (!outcome) throw new Error(`closing "${plan.title}" logged no outcome`);
  for (const action of plan.actions ?? []) await invoke(concord, 'outcome.addAction', { outcomeId: outcome.id, ...action });
  return (await concord.store.getOutcome(outcome.id))!;
}

/** A clock the test moves, so outcomes close on the days a test needs. */
export function movableClock(start: string) {
  let now = new Date(start);
  return {
    clock: { now: () => now },
    set: (iso: string) => { now = new Date(iso); },
  };
}
