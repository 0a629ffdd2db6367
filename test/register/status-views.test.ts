/**
 * One status vocabulary (issue 15): every view of a decision names its status in the same words,
 * and "no quorum" never reads as "not agreed". Outcomes are made by the pure close, from votes.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { closePoll } from '../../src/decisions/close.js';
import type { DecisionRule, Poll, Vote } from '../../src/decisions/model.js';
import { toPollCardData } from '../../src/decisions/poll-card.js';
import { outcomesToCsv, outcomesToMarkdown } from '../../src/register/export.js';
import type { Outcome } from '../../src/decisions/outcome.js';
import { toDecisionsListData, toOutcomeCardData } from '../../src/register/outcome-view.js';
import { toRegisterEntry } from '../../src/server/register-tab.js';
import { alex, ALL_MEMBERS, NOW, poll, positions, sample } from '../decisions/fixtures.js';

const collaborative = sample();

function close(rule: DecisionRule, pattern: string): { closedPoll: Poll; votes: Vote[]; outcome: Outcome } {
  const { votes } = positions(pattern, '');
  // positions() names members 1..n; map them onto the sample's organisations.
  const named = votes.map((vote) => ({ ...vote, organisationId: ALL_MEMBERS[Number(vote.organisationId) - 1]! }));
  const closed = closePoll({ poll: poll({ rule }), votes: named, collaborative, by: alex, now: NOW, newOutcomeId: () => 'outcome-1' });
  if (!closed.ok) throw new Error(closed.error.kind);
  return { closedPoll: closed.value.poll, votes: named, outcome: closed.value.outcome };
}

/** The status as each of the five views shows it (the poll card only for a poll as it closed). */
function views(outcome: Outcome, closedPoll?: Poll, votes: Vote[] = []): Record<string, string> {
  const [header, row] = parse(outcomesToCsv([outcome]), { bom: true }) as string[][];
  const markdownStatus = outcomesToMarkdown([outcome]).split('\n').find((line) => line.startsWith('- Status: '));
  return {
    'outcome card': toOutcomeCardData(outcome).statusText,
    ...(closedPoll ? { 'poll card': toPollCardData(closedPoll, votes, collaborative).statusText.split(' · closed by')[0]! } : {}),
    'decisions list': toDecisionsListData([outcome], { words: '', shown: 5 }).items[0]!.detail.split(' · ')[0]!,
    'register tab': toRegisterEntry(outcome).view.statusText,
    'CSV Status': row![header!.indexOf('Status')]!,
    'Markdown minutes': markdownStatus!.slice('- Status: '.length),
  };
}

describe('one status vocabulary across card, list, tab, CSV and Markdown', () => {
  it.each<[string, DecisionRule, string, string]>([
    ['agreed', { kind: 'majority' }, 'SSO..', 'Agreed'],
    ['not agreed', { kind: 'majority' }, 'SOO..', 'Not agreed'],
    ['no quorum', { kind: 'majority', quorum: 4 }, 'SS...', 'No quorum: nothing decided'],
    ['consensus blocked', { kind: 'consensus' }, 'SO...', 'Referred to dispute resolution'],
  ])('%s (%o, %s): every view says %j', (_case, rule, pattern, words) => {
    const { closedPoll, votes, outcome } = close(rule, pattern);
    const shown = views(outcome, closedPoll, votes);
    expect(Object.keys(shown)).toHaveLength(6);
    for (const [view, text] of Object.entries(shown)) expect(text, view).toBe(words);
  });

  it('superseded (the poll was reopened): every register view says so', () => {
    const { outcome } = close({ kind: 'majority' }, 'SSS..');
    const shown = views({ ...outcome, status: 'superseded' });
    for (const [view, text] of Object.entries(shown)) expect(text, view).toBe('Superseded (poll reopened)');
  });

  it('an outcome stored before no-quorum was a status (as "not-agreed") reads as no quorum', async () => {
    const { Outcome: OutcomeSchema } = await import('../../src/decisions/outcome.js');
    const { outcome } = close({ kind: 'majority', quorum: 4 }, 'S....');
    expect(OutcomeSchema.parse({ ...outcome, status: 'not-agreed' }).status).toBe('no-quorum');
  });
});
