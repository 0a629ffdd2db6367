import type { Feedback, QuestionLog } from '../question-log.js';
import { outOfScope, type OutOfScope } from '../scope.js';

export interface QuestionCount {
  question: string;
  times: number;
  lastAskedAt: string;
}

export interface UnhelpfulAnswer {
  entryId: string;
  unhelpful: number;
  helpful: number;
  questions: string[];
}

export interface RefusedQuestion extends QuestionCount {
  scope: OutOfScope;
}

export interface KnowledgeReport {
  asked: number;
  answered: number;
  /** Gaps: questions that may be about collaboratives but found no answer, for the KB's authors. */
  unanswered: QuestionCount[];
  /** Refused on purpose (clinical, HR/IT, general, chit-chat): nothing to add to the KB. */
  refused: RefusedQuestion[];
  unhelpful: UnhelpfulAnswer[];
}

/** Questions that differ only in case, spacing or trailing punctuation are one question. */
const normalise = (question: string): string => question.toLowerCase().replace(/[?!.\s]+$/g, '').replace(/\s+/g, ' ').trim();

/** Repeats of one question counted together, most asked first. */
function countQuestions(questions: readonly QuestionLog[]): QuestionCount[] {
  const counts = new Map<string, QuestionCount>();
  for (const entry of questions) {
    const key = normalise(entry.question);
    if (key === '') continue;
    const seen = counts.get(key);
    if (seen) {
      seen.times += 1;
      if (entry.at > seen.lastAskedAt) seen.lastAskedAt = entry.at;
    } else {
      counts.set(key, { question: entry.question, times: 1, lastAskedAt: entry.at });
    }
  }
  return [...counts.values()].sort((a, b) => b.times - a.times || b.lastAskedAt.localeCompare(a.lastAskedAt));
}

/**
 * What the secretariat needs to grow the knowledge base: questions Concord could not answer
 * (most asked first), apart from those it refuses on purpose, and answers people marked
 * unhelpful (most often first). Refusals are recognised by the same scope rules the answerer
 * applies, so the log needs no extra field and older logs report the same way.
 */
export function buildKnowledgeReport(questions: readonly QuestionLog[], feedback: readonly Feedback[]): KnowledgeReport {
  const notAnswered = questions.filter((question) => !question.answered);
  const gaps = countQuestions(notAnswered.filter((question) => outOfScope(question.question) === null));
  const refused = countQuestions(notAnswered.filter((question) => outOfScope(question.question) !== null)).map(
    (count): RefusedQuestion => ({ ...count, scope: outOfScope(count.question) ?? 'general' }),
  );

  const byId = new Map(questions.map((question) => [question.id, question]));
  const verdicts = new Map<string, UnhelpfulAnswer>();
  for (const item of feedback) {
    const question = byId.get(item.questionId);
    if (!question?.entryId) continue;
    const verdict = verdicts.get(question.entryId) ?? { entryId: question.entryId, unhelpful: 0, helpful: 0, questions: [] };
    if (item.helpful) verdict.helpful += 1;
    else {
      verdict.unhelpful += 1;
      if (!verdict.questions.includes(question.question)) verdict.questions.push(question.question);
    }
    verdicts.set(question.entryId, verdict);
  }

  return {
    asked: questions.length,
    answered: questions.filter((question) => question.answered).length,
    unanswered: gaps,
    refused,
    unhelpful: [...verdicts.values()].filter((verdict) => verdict.unhelpful > 0).sort((a, b) => b.unhelpful - a.unhelpful),
  };
}

export function formatKnowledgeReport(report: KnowledgeReport): string {
  const lines = [
    `Questions asked: ${report.asked}; answered: ${report.answered}; gaps: ${report.unanswered.reduce((sum, item) => sum + item.times, 0)}; refused on purpose: ${report.refused.reduce((sum, item) => sum + item.times, 0)}`,
    '',
    'Not answered, gaps to fill (most asked first):',
    ...(report.unanswered.length === 0 ? ['  none'] : report.unanswered.map((item) => `  ${item.times}× ${item.question}  (last ${item.lastAskedAt.slice(0, 10)})`)),
    '',
    'Refused on purpose, nothing to add (clinical, HR/IT, general, chit-chat):',
    ...(report.refused.length === 0 ? ['  none'] : report.refused.map((item) => `  ${item.times}× [${item.scope}] ${item.question}  (last ${item.lastAskedAt.slice(0, 10)})`)),
    '',
    'Marked unhelpful (entry id, unhelpful/helpful, questions):',
    ...(report.unhelpful.length === 0
      ? ['  none']
      : report.unhelpful.map((item) => `  ${item.entryId}  ${item.unhelpful}/${item.helpful}  ${item.questions.map((question) => `"${question}"`).join(', ')}`)),
  ];
  return `${lines.join('\n')}\n`;
}
