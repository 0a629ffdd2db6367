import type { Answer, Answerer } from '../answer.js';
import type { EvalSet, InScopeCase } from './eval-set.js';

/**
 * Scores an answerer against the eval set. An in-scope question is right when it is answered
 * AND either the answering entry is one of those expected, or the answer states every expected
 * fact (another entry may say the same thing). An out-of-scope question is right only when
 * it is not answered.
 */
export interface InScopeResult {
  readonly item: InScopeCase;
  readonly answer: Answer;
  readonly correct: boolean;
}

export interface OutOfScopeResult {
  readonly question: string;
  readonly part: string;
  readonly answer: Answer;
  readonly correct: boolean;
}

export interface EvalReport {
  readonly inScope: readonly InScopeResult[];
  readonly outOfScope: readonly OutOfScopeResult[];
  /** Share of in-scope questions answered correctly, 0..1 (1 when there are none). */
  readonly inScopeAccuracy: number;
  /** In-scope questions answered with the wrong entry: the worst outcome, so counted apart. */
  readonly confidentlyWrong: number;
  readonly outOfScopeAnswered: number;
}

export function isRightAnswer(item: Pick<InScopeCase, 'expectIds' | 'facts'>, answer: Answer): boolean {
  if (!answer.answered) return false;
  if (answer.entryId !== undefined && item.expectIds.includes(answer.entryId)) return true;
  // An empty fact list would make every answer "contain all facts".
  if (item.facts.length === 0) return false;
  const text = answer.answer.toLowerCase();
  return item.facts.every((fact) => text.includes(fact.toLowerCase()));
}

export function evaluate(answerer: Answerer, evalSet: EvalSet): EvalReport {
  const inScope = evalSet.inScope.map((item): InScopeResult => {
    const answer = answerer.answer(item.question);
    return { item, answer, correct: isRightAnswer(item, answer) };
  });
  const outOfScope = evalSet.outOfScope.map(({ question, part }): OutOfScopeResult => {
    const answer = answerer.answer(question);
    return { question, part, answer, correct: !answer.answered };
  });
  const right = inScope.filter((result) => result.correct).length;
  return {
    inScope,
    outOfScope,
    inScopeAccuracy: inScope.length === 0 ? 1 : right / inScope.length,
    confidentlyWrong: inScope.filter((result) => result.answer.answered && !result.correct).length,
    outOfScopeAnswered: outOfScope.filter((result) => !result.correct).length,
  };
}
