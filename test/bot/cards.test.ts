import { describe, expect, it } from 'vitest';
import { CardRenderer } from '../../src/bot/render.js';
import { helpCard } from '../../src/bot/help.js';
import { answerCard } from '../../src/bot/guidance.js';
import { toPollCardData } from '../../src/decisions/poll-card.js';
import { closePoll } from '../../src/decisions/close.js';
import { awaitingPositions, toPendingCardData } from '../../src/decisions/pending.js';
import { toDecisionsListData, toOutcomeCardData } from '../../src/register/outcome-view.js';
import { createAnswerer, loadKnowledgeBase } from '../../src/knowledge/index.js';
import { alex, megan, poll, sample, vote } from '../decisions/fixtures.js';
import { expectSubmitFallbacks, expectValidCard, HOSTILE, unescapeMarkdown } from '../support/cards.js';
import { textOf } from '../support/fake-connector.js';

const renderer = new CardRenderer();
const collaborative = sample();
const answerer = createAnswerer(loadKnowledgeBase('data/knowledge').entries);

function closedOutcome(title: string, proposal: string) {
  const open = poll({ title, proposal });
  const votes = [vote('barnsley', 'support', { castBy: megan }), vote('rotherham', 'object', { castBy: alex })];
  const closed = closePoll({ poll: open, votes, collaborative, by: alex, now: new Date('2025-03-04T11:00:00Z'), newOutcomeId: () => 'outcome-1' });
  if (!closed.ok) throw new Error(closed.error.kind);
  return { ...closed.value, votes };
}

describe('every card Concord sends is a valid Adaptive Card', () => {
  it('help, message and answer cards', () => {
    const help = helpCard(renderer, { collaborativeName: collaborative.name, examples: [{ question: 'What is a lead provider model?', questionValue: 'What is a lead provider model?' }] });
    expectValidCard(help);
    expectSubmitFallbacks(help);
    expectValidCard(renderer.render('message', { title: 'T', message: 'M', hint: '', tone: 'warning' }));
    for (const question of ['what is a lead provider model', 'what is the capital of France']) {
      const card = answerCard(renderer, question, answerer.answer(question), 'q-1', 'ask');
      expectValidCard(card);
      expectSubmitFallbacks(card);
    }
  });

  it('open, hidden and closed poll cards, and the poll form', () => {
    const open = poll();
    const votes = [vote('barnsley', 'support', { castBy: megan })];
    for (const data of [
      toPollCardData(open, [], collaborative),
      toPollCardData(open, votes, collaborative),
      toPollCardData({ ...open, hidePositions: true, closesAt: '2025-03-05T17:00:00Z' }, votes, collaborative),
      toPollCardData(closedOutcome('T', 'P').poll, votes, collaborative),
    ]) {
      const card = renderer.render('poll', data);
      expectValidCard(card);
      expectSubmitFallbacks(card);
    }
    const withNote = renderer.render('poll', toPollCardData(open, votes, collaborative));
    expectValidCard({ ...withNote, body: [renderer.render('viewer-note', { text: 'Recorded: Barnsley supports', tone: 'good' }), ...(withNote.body as unknown[])] });
    const form = renderer.render('poll-form', {
      collaborative: collaborative.name, agendaNote: '', titleValue: '', proposalValue: '', ruleValue: 'consensus', programmeValue: '',
      basisValue: 'members', defaultRuleText: 'Consensus by default.',
      members: collaborative.members.map((member) => ({ name: member.name, organisationId: member.id })), agendaId: '', itemRefValue: '',
    });
    expectValidCard(form);
    expectSubmitFallbacks(form);
  });

  it('hides positions until close when the chair chose to', () => {
    const hidden = poll({ hidePositions: true });
    const text = textOf(renderer.render('poll', toPollCardData(hidden, [vote('barnsley', 'object', { castBy: megan })], collaborative)));
    expect(text).toContain('Voted');
    expect(text).not.toContain('Objects');
  });

  it('the pending card, empty and with polls awaiting a position', () => {
    const open = poll({ closesAt: '2025-03-05T17:00:00Z' });
    for (const data of [
      toPendingCardData([], collaborative),
      toPendingCardData(awaitingPositions([open], new Map(), collaborative, alex.aadObjectId, new Date('2025-03-04T10:00:00Z')), collaborative, { text: 'Recorded', tone: 'good' }),
    ]) {
      const card = renderer.render('pending', data);
      expectValidCard(card);
      expectSubmitFallbacks(card);
    }
  });

  it('outcome and decisions-list cards', () => {
    const { outcome } = closedOutcome('Shared elective hub', 'Run it');
    const card = renderer.render('outcome', toOutcomeCardData(outcome, { registerUrl: 'https://concord.example/tab/register' }));
    expectValidCard(card);
    expectSubmitFallbacks(card);
    for (const list of [toDecisionsListData([], { words: '', shown: 10 }), toDecisionsListData([outcome], { words: 'hub', shown: 10 })]) {
      const rendered = renderer.render('decisions', list);
      expectValidCard(rendered);
      expectSubmitFallbacks(rendered);
    }
  });

  it.each(HOSTILE)('shows hostile text literally and never evaluates it: %s', (hostile) => {
    const { poll: closed, votes, outcome } = closedOutcome(hostile, `${hostile} ${'x'.repeat(3000)}`);
    const cards = [
      renderer.render('poll', toPollCardData(closed, votes, collaborative)),
      renderer.render('outcome', toOutcomeCardData(outcome)),
      renderer.render('decisions', toDecisionsListData([outcome], { words: hostile, shown: 10 })),
      answerCard(renderer, hostile, answerer.answer(hostile), 'q-1', 'ask'),
    ];
    for (const card of cards) {
      expectValidCard(card, hostile);
      const texts = textOf(card).split('\n').map(unescapeMarkdown);
      expect(texts.join('\n')).toContain(hostile.split('\n')[0]);
      expect(JSON.stringify(card)).not.toContain('"2 and');
    }
  });
});
