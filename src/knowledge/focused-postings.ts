import type { EntryProfile } from './profile.js';

/**
 * For each term, the entries whose question or a phrasing contains it, most focused first
 * (the shortest such phrasing by total idf), capped. A question made only of very common
 * words ("what is a provider collaborative") matches thousands of entries on a large KB, and
 * scoring all of them through BM25 costs tens of milliseconds; the entries it can be asking
 * about are the ones whose own question is little more than those words, which this finds
 * in constant time.
 */
export class FocusedPostings {
  private readonly postings = new Map<string, number[]>();

  constructor(profiles: readonly EntryProfile[], perTerm: number) {
    const gathered = new Map<string, { position: number; idfTotal: number }[]>();
    profiles.forEach((profile, position) => {
      const shortest = new Map<string, number>();
      for (const phrasing of profile.phrasings) {
        for (const term of phrasing.terms) {
          shortest.set(term, Math.min(shortest.get(term) ?? Infinity, phrasing.idfTotal));
        }
      }
      for (const [term, idfTotal] of shortest) {
        const list = gathered.get(term) ?? [];
        list.push({ position, idfTotal });
        gathered.set(term, list);
      }
    });
    for (const [term, list] of gathered) {
      list.sort((a, b) => a.idfTotal - b.idfTotal);
      this.postings.set(term, list.slice(0, perTerm).map((item) => item.position));
    }
  }

  /** Entry positions for any of the terms, most focused first per term, without repeats. */
  candidates(terms: readonly string[]): number[] {
    const seen = new Set<number>();
    for (const term of terms) for (const position of this.postings.get(term) ?? []) seen.add(position);
    return [...seen];
  }
}
