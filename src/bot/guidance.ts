import { z } from 'zod';
import type { Answer, Answerer } from '../knowledge/index.js';
import type { Store } from '../store/store.js';
import type { QuestionLog } from '../knowledge/question-log.js';
import { maskPersonalDetails } from '../shared/redact.js';
import type { NewId } from '../shared/clock.js';
import type { CardJson, CardRenderer } from './render.js';
import { sendCard } from './send.js';
import { refusal, verb, type Turn } from './verb.js';

export interface GuidanceDependencies {
  readonly answerer: Answerer;
  readonly store: Store;
  readonly renderer: CardRenderer;
  readonly newId: NewId;
}

const MAX_QUESTION_CHARS = 500;

const SCOPE_NOTES: Record<NonNullable<Answer['scope']>, string> = {
  clinical: 'Not clinical advice',
  'hr-it': 'Not something I can help with',
  general: 'Outside what I know',
  'chit-chat': '',
};

const WITHHELD: Record<NonNullable<Answer['scope']>, QuestionLog['withheld']> = {
  clinical: 'clinical',
  'hr-it': 'personal',
  general: undefined,
  'chit-chat': undefined,
};

type FeedbackState = 'ask' | 'thanks' | 'none';

export function answerCard(renderer: CardRenderer, question: string, answer: Answer, questionId: string, feedbackState: FeedbackState): CardJson {
  // Answered: entries that ranked nearly as high, then the entry's follow-ups; not answered: the nearest entries.
  const next = answer.suggestions;
  return renderer.render('answer', {
    question,
    answered: answer.answered,
    scopeNote: answer.scope ? SCOPE_NOTES[answer.scope] : '',
    answer: answer.answer,
    sources: answer.sources.map((source) => ({ title: source.title, published: source.published, section: source.section })),
    suggestions: next.slice(0, 3).map((text) => ({ question: text, questionValue: text })),
    questionId,
    feedbackState: answer.answered ? feedbackState : 'none',
  });
}

/** A staff question in, an answer card with its source out; every question is logged for kb:report. */
export function guidance(deps: GuidanceDependencies) {
  const ask = async (turn: Turn, rawQuestion: string): Promise<CardJson> => {
    const question = rawQuestion.trim().slice(0, MAX_QUESTION_CHARS);
    const answer = deps.answerer.answer(question);
    const questionId = deps.newId();
    // Questions refused as clinical or personal (HR and IT matters about the asker) are the ones
    // most likely to name a patient or a colleague: only their category is kept, never the words.
    const withheld = answer.scope ? WITHHELD[answer.scope] : undefined;
    await deps.store.logQuestion({
      id: questionId,
      question: withheld ? '' : maskPersonalDetails(question),
      ...(withheld ? { withheld } : {}),
      answered: answer.answered,
      entryId: answer.entryId,
      confidence: answer.confidence,
      askedBy: turn.person.aadObjectId,
      at: turn.now.toISOString(),
    });
    return answerCard(deps.renderer, question, answer, questionId, 'ask');
  };

  const verbs = {
    // A suggestion pressed turns that card into the new answer for the person who pressed it.
    ask: verb(z.object({ questionValue: z.string().trim().min(1).max(MAX_QUESTION_CHARS) }), async (turn, input) =>
      ({ kind: 'card', card: await ask(turn, input.questionValue) })),
    feedback: verb(z.object({ questionId: z.string().min(1).max(100), helpfulValue: z.enum(['yes', 'no']) }), async (turn, input) => {
      const logged = await deps.store.getQuestion(input.questionId);
      if (!logged) return refusal('That answer has expired', 'I no longer have that question on record, so your feedback was not saved.');
      await deps.store.recordFeedback({ questionId: input.questionId, helpful: input.helpfulValue === 'yes', by: turn.person.aadObjectId, at: turn.now.toISOString() });
      return { kind: 'card', card: answerCard(deps.renderer, logged.question, deps.answerer.answer(logged.question), logged.id, 'thanks') };
    }),
  };

  return {
    question: async (turn: Turn, text: string) => { await sendCard(turn.context, await ask(turn, text)); },
    verbs,
  };
}
