import { describe, expect, it } from 'vitest';
import type { Answer, Answerer } from '../../src/knowledge/answer.js';
import type { EvalSet, InScopeCase } from '../../src/knowledge/eval/eval-set.js';
import { evaluate, isRightAnswer } from '../../src/knowledge/eval/evaluate.js';

/** How a blind question (document + facts, no entry ids) and an old-style one are graded. */
const answered = (entryId: string, document: 'trft-board-2021' | 'confed-survey-2023', text: string): Answer => ({
  answered: true,
  answer: text,
  confidence: 0.9,
  sources: [{ document, section: 's', title: 't', published: 'p' }],
  suggestions: [],
  followUps: [],
  entryId,
  reason: 'answered',
});
const blind: InScopeCase = { question: 'q', expectIds: [], facts: ['majority', ['dispute', 'disagreement']], document: 'trft-board-2021', part: 'trft-board-2021' };

describe('grading a blind question', () => {
  it.each([
    ['every fact, right document', answered('a', 'trft-board-2021', 'A MAJORITY decision and a dispute process'), true],
    ['one of the alternatives of a fact', answered('a', 'trft-board-2021', 'a majority, and disagreement handling'), true],
    ['a fact missing', answered('a', 'trft-board-2021', 'a majority decision'), false],
    ['every fact, another document', answered('a', 'confed-survey-2023', 'a majority decision and a dispute process'), false],
    ['not answered', { ...answered('a', 'trft-board-2021', 'majority dispute'), answered: false }, false],
  ])('%s → %s', (_label, answer, want) => expect(isRightAnswer(blind, answer)).toBe(want));

  it('accepts an expected entry id in the older sets whatever its text says', () => {
    expect(isRightAnswer({ expectIds: ['a'], facts: ['nowhere'] }, answered('a', 'confed-survey-2023', 'text'))).toBe(true);
  });
});

describe('evaluate', () => {
  // Answers by lookup: each question and each suggestion pressed has a scripted reply.
  const script: Record<string, Answer> = {
    right: answered('a', 'trft-board-2021', 'majority and dispute'),
    wrong: { ...answered('b', 'trft-board-2021', 'something else'), suggestions: ['press me'] },
    declined: { ...answered('c', 'trft-board-2021', ''), answered: false, entryId: undefined, reason: 'low-confidence', suggestions: ['press other'] },
    'press me': answered('a', 'trft-board-2021', 'majority and dispute'),
    'press other': answered('d', 'trft-board-2021', 'unrelated'),
    refuse: { ...answered('c', 'trft-board-2021', 'no'), answered: false, reason: 'out-of-scope' },
    leak: answered('e', 'trft-board-2021', 'oops'),
  };
  const answerer: Answerer = { answer: (question) => script[question] ?? script.refuse! };
  const set: EvalSet = {
    inScope: ['right', 'wrong', 'declined'].map((question) => ({ ...blind, question })),
    outOfScope: [{ question: 'refuse', kind: 'clinical', part: 'out-of-scope' }, { question: 'leak', kind: 'near-miss', part: 'out-of-scope' }],
  };
  const report = evaluate(answerer, set);

  it('counts correct, wrong and declined, and one click by pressing the first suggestion', () => {
    expect(report.inScope.map((result) => [result.item.question, result.outcome, result.oneClick])).toEqual([
      ['right', 'correct', true],
      ['wrong', 'wrong', true],
      ['declined', 'declined', false],
    ]);
    expect([report.confidentlyWrong, report.declined, report.oneClick]).toEqual([1, 1, 2]);
  });

  it('keeps the kind of each out-of-scope question with whether it was refused', () => {
    expect(report.outOfScope.map((result) => [result.kind, result.correct])).toEqual([['clinical', true], ['near-miss', false]]);
    expect(report.outOfScopeAnswered).toBe(1);
  });
});
