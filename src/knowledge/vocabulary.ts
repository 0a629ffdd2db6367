import SearchableMap from 'minisearch/SearchableMap';
import { termOf } from './text.js';

/** One index term a typed word may stand for, and how sure we are that it does. */
export interface TermOption {
  readonly term: string;
  /** 1 for the word itself; lower for a completion of a partial word or a typo correction. */
  readonly quality: number;
}

/**
 * Match qualities. A typo correction is a guess, so it counts for less than the word itself;
 * that keeps a misspelt near-miss question from reaching full confidence on guesses alone.
 */
export const QUALITY = { exact: 1, prefix: 0.85, oneEdit: 0.8, twoEdits: 0.65 } as const;

/** Below these lengths a one- or two-letter edit turns too many words into other words. */
const MIN_LENGTH_FOR_ONE_EDIT = 5;
const MIN_LENGTH_FOR_TWO_EDITS = 9;
const MIN_LENGTH_FOR_PREFIX = 3;
const MAX_PREFIX_COMPLETIONS = 6;

/**
 * Every term in the knowledge base with its document frequency, plus the raw words behind the
 * terms. Typos and partial words are corrected against raw words ("colaborative" is one edit
 * from "collaborative"), because stems of misspelt words drift further apart ("colabor").
 */
export class Vocabulary {
  private readonly documentFrequency = new Map<string, number>();
  private readonly rawWords = new SearchableMap<string>();
  /** idf by term, valid until the next entry is added. */
  private readonly idfCache = new Map<string, number>();
  private entryCount = 0;

  /** Adds one entry's raw words (all fields together). */
  addEntry(entryWords: Iterable<string>): void {
    this.entryCount += 1;
    this.idfCache.clear();
    const entryTerms = new Set<string>();
    for (const word of entryWords) {
      const term = termOf(word);
      if (term === null) continue;
      entryTerms.add(term);
      if (!/\d/.test(word)) this.rawWords.set(word, term);
    }
    for (const term of entryTerms) {
      this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
    }
  }

  has(term: string): boolean {
    return this.documentFrequency.has(term);
  }

  /** How many entries contain the term. */
  frequency(term: string): number {
    return this.documentFrequency.get(term) ?? 0;
  }

  /** BM25's inverse document frequency; a term in no entry gets the largest value. */
  idf(term: string): number {
    const cached = this.idfCache.get(term);
    if (cached !== undefined) return cached;
    const df = this.documentFrequency.get(term) ?? 0;
    const idf = bm25Idf(this.entryCount, df);
    // Only KB terms are cached, so questions cannot grow the cache without bound.
    if (df > 0) this.idfCache.set(term, idf);
    return idf;
  }

  /** The idf a term would have if it occurred in exactly one entry. */
  rareIdf(): number {
    return bm25Idf(this.entryCount, 1);
  }

  /**
   * The terms a typed word may stand for: itself if known; otherwise completions of it as a
   * partial word; otherwise spelling corrections that keep the first letter (people rarely
   * mistype the first letter, and allowing it doubles the false corrections). Words with digits
   * are never corrected: "2024" is not a typo for "2021".
   */
  resolveTyped(word: string): TermOption[] {
    const term = termOf(word);
    if (term === null) return [];
    if (this.has(term)) return [{ term, quality: QUALITY.exact }];
    if (/\d/.test(word)) return [];
    const completions = this.completions(word);
    if (completions.length > 0) return completions;
    return this.corrections(word);
  }

  /** A synonym the table added is spelt right: it matches exactly or not at all. */
  resolveExact(word: string): TermOption[] {
    const term = termOf(word);
    return term !== null && this.has(term) ? [{ term, quality: QUALITY.exact }] : [];
  }

  private completions(word: string): TermOption[] {
    if (word.length < MIN_LENGTH_FOR_PREFIX) return [];
    const found = new Set<string>();
    for (const term of this.rawWords.atPrefix(word).values()) found.add(term);
    return [...found]
      .sort((a, b) => (this.documentFrequency.get(b) ?? 0) - (this.documentFrequency.get(a) ?? 0))
      .slice(0, MAX_PREFIX_COMPLETIONS)
      .map((completion) => ({ term: completion, quality: QUALITY.prefix }));
  }

  private corrections(word: string): TermOption[] {
    if (word.length < MIN_LENGTH_FOR_ONE_EDIT) return [];
    const maxEdits = word.length >= MIN_LENGTH_FOR_TWO_EDITS ? 2 : 1;
    const best = new Map<string, number>();
    // Two letters swapped ("netwroks") is the commonest typing slip but two edits to
    // Levenshtein, which shorter words do not get; count it as one.
    for (let i = 1; i < word.length - 1; i++) {
      const swapped = word.slice(0, i) + (word[i + 1] ?? '') + (word[i] ?? '') + word.slice(i + 2);
      const term = this.rawWords.get(swapped);
      if (term !== undefined) best.set(term, QUALITY.oneEdit);
    }
    for (const [candidate, [term, distance]] of this.rawWords.fuzzyGet(word, maxEdits)) {
      if (candidate[0] !== word[0]) continue;
      const quality = distance <= 1 ? QUALITY.oneEdit : QUALITY.twoEdits;
      best.set(term, Math.max(best.get(term) ?? 0, quality));
    }
    return [...best].map(([term, quality]) => ({ term, quality }));
  }
}

/**
 * BM25's inverse document frequency (as MiniSearch computes it for ranking), the one place
 * Concord's own code computes idf: concept weights, coverage and focus all read it from here.
 */
function bm25Idf(entryCount: number, documentFrequency: number): number {
  return Math.log(1 + (entryCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}
