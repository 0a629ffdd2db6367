import { resolveQuestion, termBoosts } from './concepts.js';
import { documentCues } from './document-cues.js';
import { asksForFigure, coveragesOf, focusOf, missingFrom, rankOf, yearConcepts, type CandidateFeatures } from './features.js';
import { Bm25Index } from './bm25.js';
import { FocusedPostings } from './focused-postings.js';
import { profileOf } from './profile.js';
import type { KnowledgeEntry } from './schema.js';
import { termOf, words } from './text.js';
import { TUNING } from './tuning.js';
import { Vocabulary } from './vocabulary.js';

/**
 * Retrieval in two steps. MiniSearch's BM25 over question, phrasings, tags and answer (field
 * boosts in TUNING) finds candidates fast; each candidate is then re-ranked on features BM25
 * does not report but a calibrated confidence needs (see features.ts).
 *
 * Fuzzy and prefix matching happen before BM25, against the KB's vocabulary (vocabulary.ts),
 * not inside it: the re-ranking has to know which of the person's words matched and how
 * surely (exact, completed or corrected).
 */
export interface Candidate extends CandidateFeatures {
  readonly entry: KnowledgeEntry;
  /** 0..1: the re-ranking score. */
  readonly rank: number;
  /** The BM25 score (0 when BM25 was not run), kept for diagnostics. */
  readonly bm25: number;
}

export interface SearchResult {
  /** Concepts (content words or synonym phrases) in the question; 0 means nothing to search. */
  readonly conceptCount: number;
  /** Words of the question found nowhere in the knowledge base, even allowing for typos. */
  readonly unknownWords: readonly string[];
  /** Best first. */
  readonly candidates: readonly Candidate[];
}

export interface KnowledgeIndex {
  readonly entries: readonly KnowledgeEntry[];
  /** The best TUNING.candidates entries for the question, re-ranked. */
  search(question: string): SearchResult;
}

/** One entry found by retrieval, before re-ranking. */
interface Hit {
  readonly position: number;
  /** BM25 relative to the best hit, 0..1; estimated by focus when BM25 was not run. */
  readonly bm25Share: number;
  readonly bm25: number;
}

const FIELDS = ['question', 'phrasings', 'tags', 'answer'] as const;
const FIELD_BOOSTS = FIELDS.map((field) => TUNING.fieldBoost[field]);

/** Entries handled between two yields of buildKnowledgeIndex: a few milliseconds of work. */
const ENTRIES_PER_STEP = 25;

export function createKnowledgeIndex(entries: readonly KnowledgeEntry[]): KnowledgeIndex {
  return runToEnd(buildKnowledgeIndex(entries));
}

/** Runs a stepwise build to its end, at once. */
export function runToEnd<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The index built in steps: each `yield` is a point where the caller may give the event loop
 * back (Concord warms the index up just after it starts listening, and a health check or a
 * message should not wait behind the whole build), or carry on at once.
 */
export function* buildKnowledgeIndex(entries: readonly KnowledgeEntry[]): Generator<void, KnowledgeIndex> {
  const vocabulary = new Vocabulary();
  for (const [position, entry] of entries.entries()) {
    vocabulary.addEntry(words([entry.question, ...entry.phrasings, ...entry.tags, entry.answer].join(' ')));
    if (position % ENTRIES_PER_STEP === ENTRIES_PER_STEP - 1) yield;
  }
  // Profiles read idf, so they wait for the whole vocabulary.
  const profiles: ReturnType<typeof profileOf>[] = [];
  for (const entry of entries) {
    profiles.push(profileOf(entry, vocabulary));
    if (profiles.length % ENTRIES_PER_STEP === 0) yield;
  }
  // Built on first need: only questions made of very common words on a large KB use it.
  let focused: FocusedPostings | undefined;

  // The index and the query side turn words into terms the same way (text.ts); queries are
  // given as terms already (stemmed, corrected, expanded).
  const bm25 = new Bm25Index(FIELDS.length, words, termOf);
  for (const [position, entry] of entries.entries()) {
    bm25.add({ fields: [entry.question, entry.phrasings.join(' \n '), entry.tags.join(' \n '), entry.answer] });
    if (position % ENTRIES_PER_STEP === ENTRIES_PER_STEP - 1) yield;
  }

  function search(question: string): SearchResult {
    const limit = TUNING.candidates;
    const concepts = resolveQuestion(question, vocabulary);
    const unknownWords = concepts.filter((concept) => !concept.known).map((concept) => concept.text);
    const termBoost = termBoosts(concepts);
    if (termBoost.size === 0) return { conceptCount: concepts.length, unknownWords, candidates: [] };

    const retrieval = retrievalTerms(termBoost, vocabulary);
    const hits = retrieval.length > 0 ? bm25Hits(retrieval, termBoost, limit) : focusedHits(termBoost, limit);

    const figurePenalty = asksForFigure(question) ? TUNING.missingFigurePenalty : 1;
    const years = yearConcepts(concepts);
    const cued = documentCues(question);
    const candidates = hits.map(({ position, bm25Share, bm25 }): Candidate => {
      const entry = entries[position];
      const profile = profiles[position];
      if (entry === undefined || profile === undefined) throw new Error(`index out of step at ${position}`);
      const { coverage, questionCoverage } = coveragesOf(concepts, profile);
      const features: CandidateFeatures = { coverage, questionCoverage, focus: focusOf(termBoost, profile), bm25Share };
      // "How many…" is not answered by an entry that states no figure at all, and "…for
      // 2024/25" not by an entry that never mentions 2024.
      const yearPenalty = years.length === 0 ? 1 : TUNING.missingYearPenalty ** missingFrom(years, profile);
      // "…per the survey" is not answered from the stepwise paper, however many words it shares.
      const documentPenalty = cued.size === 0 || entry.sources.some((source) => cued.has(source.document)) ? 1 : TUNING.otherDocumentPenalty;
      const rank = rankOf(features) * (profile.statesFigure ? 1 : figurePenalty) * yearPenalty * documentPenalty;
      return { entry, ...features, rank, bm25 };
    });
    candidates.sort((a, b) => b.rank - a.rank || b.bm25 - a.bm25);
    return { conceptCount: concepts.length, unknownWords, candidates };
  }

  /** BM25 over every field; the terms were processed (stemmed, corrected) already. */
  function bm25Hits(terms: readonly string[], termBoost: ReadonlyMap<string, number>, limit: number): Hit[] {
    const results = bm25.search(terms, FIELD_BOOSTS, (term) => termBoost.get(term) ?? 1, limit);
    const top = results[0]?.score ?? 1;
    return results.map((result) => ({ position: result.position, bm25Share: result.score / top, bm25: result.score }));
  }

  /** Every term is very common: take the entries whose own questions are about little else. */
  function focusedHits(termBoost: ReadonlyMap<string, number>, limit: number): Hit[] {
    const hits: Hit[] = [];
    focused ??= new FocusedPostings(profiles, TUNING.retrieval.focusedPerTerm);
    for (const position of focused.candidates([...termBoost.keys()])) {
      const profile = profiles[position];
      if (profile !== undefined) hits.push({ position, bm25Share: focusOf(termBoost, profile), bm25: 0 });
    }
    return hits.sort((a, b) => b.bm25Share - a.bm25Share).slice(0, limit);
  }

  return { entries, search };
}

/**
 * The terms worth running BM25 on: the rarest first while their postings stay within a
 * budget. On the shipped KB every term fits. On a KB of thousands of entries the common terms
 * ("provider", "collaborative", "trust") cannot tell entries apart yet their postings would be
 * most of the work; the re-ranking still counts every term through each candidate's profile.
 * None fit when the question is made only of very common words; see focusedHits.
 */
function retrievalTerms(termBoost: ReadonlyMap<string, number>, vocabulary: Vocabulary): string[] {
  const { postingsBudget, maxTerms } = TUNING.retrieval;
  const byRarity = [...termBoost.keys()].sort((a, b) => vocabulary.frequency(a) - vocabulary.frequency(b));
  const terms: string[] = [];
  let postings = 0;
  for (const term of byRarity) {
    postings += vocabulary.frequency(term);
    if (terms.length >= maxTerms || postings > postingsBudget) break;
    terms.push(term);
  }
  return terms;
}
