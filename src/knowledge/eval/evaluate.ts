import type { Answer, Answerer } from '../answer.js';
import type { EvalSet, Fact, InScopeCase, OutOfScopeKind } from './eval-set.js';

/**
 * Scores an answerer against an eval set.
 *
 * In scope, each question is correct (answered with a right entry), wrong (answered with
 * another) or declined. A right entry is one the question expects by id, or, for any question
 * with facts, an entry that cites the question's document (when it names one) and whose
 * answer text states every fact. "One click" counts a question as resolved when it is correct,
 * or when the first suggestion on the card is a right entry: the person presses it once.
 *
 * Out of scope, a question is right only when it is not answered.
 */
export interface InScopeResult {
  readonly item: InScopeCase;
  readonly answer: Answer;
  readonly correct: boolean;
  readonly outcome: 'correct' | 'wrong' | 'declined';
  /** Correct, or the first suggestion is a right entry. */
  readonly oneClick: boolean;
}

export interface OutOfScopeResult {
  readonly question: string;
  readonly part: string;
  readonly kind?: OutOfScopeKind;
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
  readonly declined: number;
  readonly oneClick: number;
  readonly outOfScopeAnswered: number;
}

/** What a grader sees of an entry: its id, the documents it cites and the text shown. */
interface GradedEntry {
  readonly id: string;
  readonly documents: readonly string[];
  readonly text: string;
}

function isRightEntry(item: Pick<InScopeCase, 'expectIds' | 'facts' | 'document'>, entry: GradedEntry): boolean {
  if (item.expectIds.includes(entry.id)) return true;
  // An empty fact list would make every answer "contain all facts".
  if (item.facts.length === 0) return false;
  // Blind questions (no ids) must be answered from their own document; the tuned sets accept
  // the same facts from any document, as they always have.
  if (item.expectIds.length === 0 && item.document !== undefined && !entry.documents.includes(item.document)) return false;
  const text = entry.text.toLowerCase();
  return item.facts.every((fact) => factIn(fact, text));
}

const factIn = (fact: Fact, text: string): boolean =>
  typeof fact === 'string' ? text.includes(fact.toLowerCase()) : fact.some((option) => text.includes(option.toLowerCase()));

/** The answer as an entry to grade, or undefined when it was not answered. */
function answeredEntry(answer: Answer): GradedEntry | undefined {
  if (!answer.answered || answer.entryId === undefined) return undefined;
  return { id: answer.entryId, documents: answer.sources.map((source) => source.document), text: answer.answer };
}

export function isRightAnswer(item: Pick<InScopeCase, 'expectIds' | 'facts' | 'document'>, answer: Answer): boolean {
  const entry = answeredEntry(answer);
  return entry !== undefined && isRightEntry(item, entry);
}

/** Pressing a suggestion asks its question (see bot/guidance.ts), so one click is graded on that answer. */
export function evaluate(answerer: Answerer, evalSet: EvalSet): EvalReport {
  const inScope = evalSet.inScope.map((item): InScopeResult => {
    const answer = answerer.answer(item.question);
    const correct = isRightAnswer(item, answer);
    const outcome = correct ? 'correct' : answer.answered ? 'wrong' : 'declined';
    const [first] = answer.suggestions;
    return { item, answer, correct, outcome, oneClick: correct || (first !== undefined && isRightAnswer(item, answerer.answer(first))) };
  });
  const outOfScope = evalSet.outOfScope.map(({ question, part, kind }): OutOfScopeResult => {
    const answer = answerer.answer(question);
    return { question, part, kind, answer, correct: !answer.answered };
  });
  const right = inScope.filter((result) => result.correct).length;
  return {
    inScope,
    outOfScope,
    inScopeAccuracy: inScope.length === 0 ? 1 : right / inScope.length,
    confidentlyWrong: inScope.filter((result) => result.outcome === 'wrong').length,
    declined: inScope.filter((result) => result.outcome === 'declined').length,
    oneClick: inScope.filter((result) => result.oneClick).length,
    outOfScopeAnswered: outOfScope.filter((result) => !result.correct).length,
  };
}
