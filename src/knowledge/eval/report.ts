import type { Feedback, QuestionLog } from '../question-log.js';

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

export interface KnowledgeReport {
  asked: number;
  answered: number;
  unanswered: QuestionCount[];
  unhelpful: UnhelpfulAnswer[];
}

/** Questions that differ only in case, spacing or trailing punctuation are one question. */
const normalise = (question: string): string => question.toLowerCase().replace(/[?!.\s]+$/g, '').replace(/\s+/g, ' ').trim();

/**
 * What the secretariat needs to grow the knowledge base: questions Concord could not answer
 * (most asked first) and answers people marked unhelpful (most often first).
 */
export function buildKnowledgeReport(questions: readonly QuestionLog[], feedback: readonly Feedback[]): KnowledgeReport {
  const unanswered = new Map<string, QuestionCount>();
  for (const entry of questions.filter((question) => !question.answered)) {
    const key = normalise(entry.question);
    if (key === '') continue;
    const seen = unanswered.get(key);
    if (seen) {
      seen.times += 1;
      if (entry.at > seen.lastAskedAt) seen.lastAskedAt = entry.at;
    } else {
      unanswered.set(key, { question: entry.question, times: 1, lastAskedAt: entry.at });
    }
  }

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
    unanswered: [...unanswered.values()].sort((a, b) => b.times - a.times || b.lastAskedAt.localeCompare(a.lastAskedAt)),
    unhelpful: [...verdicts.values()].filter((verdict) => verdict.unhelpful > 0).sort((a, b) => b.unhelpful - a.unhelpful),
  };
}

export function formatKnowledgeReport(report: KnowledgeReport): string {
  const lines = [
    `Questions asked: ${report.asked}; answered: ${report.answered}; not answered: ${report.asked - report.answered}`,
    '',
    'Not answered (most asked first):',
    ...(report.unanswered.length === 0 ? ['  none'] : report.unanswered.map((item) => `  ${item.times}× ${item.question}  (last ${item.lastAskedAt.slice(0, 10)})`)),
    '',
    'Marked unhelpful (entry id, unhelpful/helpful, questions):',
    ...(report.unhelpful.length === 0
      ? ['  none']
      : report.unhelpful.map((item) => `  ${item.entryId}  ${item.unhelpful}/${item.helpful}  ${item.questions.map((question) => `"${question}"`).join(', ')}`)),
  ];
  return `${lines.join('\n')}\n`;
}
