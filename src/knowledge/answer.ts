import { confidenceOf, confidenceSignals } from './confidence.js';
import { SOURCE_DOCUMENTS, type DocumentId } from './documents.js';
import type { KnowledgeEntry } from './schema.js';
import { outOfScope, type OutOfScope } from './scope.js';
import { buildKnowledgeIndex, runToEnd, type Candidate, type KnowledgeIndex } from './search.js';
import { TUNING } from './tuning.js';
import { UPDATES } from './updates.js';

export interface AnswerSource {
  readonly document: DocumentId;
  /** The heading, slide or page as it appears in the source document. */
  readonly section: string;
  /** The document's short title, for display. */
  readonly title: string;
  /** When the document was published ("Aug 2021"), shown beside it. */
  readonly published: string;
}

export type AnswerReason = 'answered' | 'low-confidence' | 'out-of-scope' | 'empty';

export interface Answer {
  readonly answered: boolean;
  readonly answer: string;
  /** 0..1; `answered` is true exactly when this reaches TUNING.answerThreshold. */
  readonly confidence: number;
  readonly sources: readonly AnswerSource[];
  /** At most three entry questions to try next. */
  readonly suggestions: readonly string[];
  readonly followUps: readonly { readonly id: string; readonly question: string }[];
  readonly entryId?: string;
  readonly reason: AnswerReason;
  readonly scope?: OutOfScope;
}

export interface Answerer {
  answer(question: string): Answer;
}

/** What Concord can answer, said in every reply that is not an answer. */
const WHAT_I_KNOW =
  'I answer questions about NHS provider collaboratives: what they are, how they are set up and governed, and how members take decisions together.';

const NOT_ANSWERED: Record<OutOfScope | 'low-confidence' | 'empty', string> = {
  clinical: `I can't give clinical advice; speak to a clinician, NHS 111, or 999 in an emergency. ${WHAT_I_KNOW}`,
  'hr-it': `That's one for your organisation's HR or IT service desk, not me. ${WHAT_I_KNOW}`,
  general: `That's outside what I know. ${WHAT_I_KNOW}`,
  'chit-chat': `Hello, I'm Concord. ${WHAT_I_KNOW} Try one of these:`,
  'low-confidence': `I don't know that one yet: I couldn't find guidance that clearly answers it. ${WHAT_I_KNOW} Did you mean one of these?`,
  empty: `Ask me a question. ${WHAT_I_KNOW} For example:`,
};

/**
 * Questions offered when the person's own question gives nothing to go on (a greeting, an
 * out-of-scope question). Each is looked up in the KB, so the suggestions are real entries.
 */
const STARTER_QUESTIONS = [
  'what is a provider collaborative',
  'what is a committee in common',
  'what is a lead provider model',
  'can one trust block a decision',
];

export function createAnswerer(entries: readonly KnowledgeEntry[]): Answerer {
  return runToEnd(buildAnswerer(entries));
}

/** The answerer built in steps (see buildKnowledgeIndex): Concord warms it up after it starts listening. */
export function* buildAnswerer(entries: readonly KnowledgeEntry[]): Generator<void, Answerer> {
  const index = yield* buildKnowledgeIndex(entries);
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  const starters = starterSuggestions(index);

  function answer(question: string): Answer {
    const scope = outOfScope(question);
    if (scope !== null) return notAnswered(scope, 0, starters, { scope });

    const result = index.search(question);
    if (result.conceptCount === 0) return notAnswered('empty', 0, starters, {});

    const { candidates } = result;
    const [top] = candidates;
    const confidence = confidenceOf(confidenceSignals(result));
    if (top === undefined || confidence < TUNING.answerThreshold) {
      const near = suggestionsFrom(candidates);
      return notAnswered('low-confidence', confidence, near.length > 0 ? near : starters, {});
    }

    const entry = top.entry;
    const followUps = entry.followUps.flatMap((id) => {
      const target = byId.get(id);
      return target === undefined ? [] : [{ id, question: target.question }];
    });
    return {
      answered: true,
      answer: answerText(entry),
      confidence,
      sources: sourcesOf(entry),
      suggestions: answeredSuggestions(candidates, followUps),
      followUps,
      entryId: entry.id,
      reason: 'answered',
    };
  }

  return { answer };
}

/** The entry's answer, then what changed since its source was written ("Since then: …"). */
function answerText(entry: KnowledgeEntry): string {
  const notes = entry.updates.map((id) => `Since then: ${UPDATES[id].note}`);
  return [entry.answer, ...notes].join('\n\n');
}

/** The entry's sources, then those of its updates, each once. */
function sourcesOf(entry: KnowledgeEntry): AnswerSource[] {
  const refs = [...entry.sources, ...entry.updates.map((id) => UPDATES[id].source)];
  const unique = refs.filter((ref, i) => refs.findIndex((other) => other.document === ref.document && other.section === ref.section) === i);
  return unique.map((ref) => ({
    document: ref.document,
    section: ref.section,
    title: SOURCE_DOCUMENTS[ref.document].shortTitle,
    published: SOURCE_DOCUMENTS[ref.document].published,
  }));
}

/**
 * After an answer: first any entry that ranked nearly as high (often the same topic in another
 * source document, which the person may have meant), then the entry's own follow-ups.
 */
function answeredSuggestions(candidates: readonly Candidate[], followUps: readonly { question: string }[]): string[] {
  const [top, ...rest] = candidates;
  if (top === undefined) return [];
  const close = rest.filter((candidate) => top.rank - candidate.rank <= TUNING.closeRunnerUp).map((candidate) => candidate.entry.question);
  return [...new Set([...close, ...followUps.map((followUp) => followUp.question)])].slice(0, TUNING.maxSuggestions);
}

function suggestionsFrom(candidates: readonly Candidate[]): string[] {
  return candidates
    .filter((candidate) => candidate.rank >= TUNING.minSuggestionRank)
    .slice(0, TUNING.maxSuggestions)
    .map((candidate) => candidate.entry.question);
}

function starterSuggestions(index: KnowledgeIndex): string[] {
  const found = STARTER_QUESTIONS.flatMap((question) => index.search(question).candidates.slice(0, 1).map((c) => c.entry.question));
  const unique = [...new Set(found)];
  // A KB without these topics still offers something: its first entries.
  for (const entry of index.entries) if (unique.length < TUNING.maxSuggestions && !unique.includes(entry.question)) unique.push(entry.question);
  return unique.slice(0, TUNING.maxSuggestions);
}

function notAnswered(
  reason: OutOfScope | 'low-confidence' | 'empty',
  confidence: number,
  suggestions: readonly string[],
  extra: { scope?: OutOfScope },
): Answer {
  return {
    answered: false,
    answer: NOT_ANSWERED[reason],
    confidence: round(confidence),
    sources: [],
    suggestions: suggestions.slice(0, TUNING.maxSuggestions),
    followUps: [],
    reason: reason === 'low-confidence' || reason === 'empty' ? reason : 'out-of-scope',
    ...extra,
  };
}

const round = (value: number): number => Math.round(value * 1000) / 1000;
