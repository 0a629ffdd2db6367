import { termOf, words } from './text.js';

/**
 * Fielded BM25 over the entries, scoring exactly as minisearch 7 does with exact-term queries
 * (the default k 1.2, b 0.7, d 0.5; field boosts; a per-term boost; OR across terms; the sum
 * multiplied by how many distinct query terms the entry matched), so rankings are unchanged.
 *
 * What it does differently is cost. minisearch builds a Map, a result object, arrays and a
 * copy of the options for every term of every query (tens of kilobytes and about 0.15 ms per
 * question on the shipped KB; a few kilobytes and 0.01 ms here). Here the raw
 * BM25 score of every (term, field, entry) is computed once at index time, and a query only
 * walks flat postings into score arrays that are reused from one question to the next.
 * Scores are summed in minisearch's order (per term, fields in order; then term by term), so
 * they are equal to the last bit, and ties keep minisearch's order (first matched first).
 */
export interface Bm25Hit {
  readonly position: number;
  readonly score: number;
}

interface FieldPostings {
  readonly positions: Int32Array;
  /** The raw BM25 score of the term in this field of the entry at the same index. */
  readonly scores: Float64Array;
}

const K = 1.2;
const B = 0.7;
const D = 0.5;

export class FieldedBm25 {
  /** Term → one postings list per field (undefined when the term is not in that field). */
  private readonly postings = new Map<string, (FieldPostings | undefined)[]>();
  private readonly fieldCount: number;

  // Per-query scratch space, sized to the number of entries and reused.
  private readonly total: Float64Array;
  private readonly termTotal: Float64Array;
  private readonly matchedTerms: Uint16Array;
  private readonly seenInQuery: Uint32Array;
  private readonly seenInTerm: Uint32Array;
  private readonly order: Int32Array;
  private readonly termOrder: Int32Array;
  private queryStamp = 0;
  private termStamp = 0;

  /** `documents[position][field]` is the text of that field of that entry. */
  constructor(documents: readonly (readonly string[])[], fieldCount: number) {
    this.fieldCount = fieldCount;
    const size = documents.length;
    const frequencies = new Map<string, Map<number, number>[]>();
    const fieldLengths: number[][] = [];
    const averageLength: number[] = new Array<number>(fieldCount).fill(0);

    documents.forEach((fields, position) => {
      const lengths: number[] = [];
      for (let field = 0; field < fieldCount; field++) {
        const tokens = words(fields[field] ?? '');
        // minisearch's field length: distinct tokens, stop words included.
        const length = new Set(tokens).size;
        lengths.push(length);
        averageLength[field] = ((averageLength[field] ?? 0) * position + length) / (position + 1);
        for (const token of tokens) {
          const term = termOf(token);
          if (term === null) continue;
          let byField = frequencies.get(term);
          if (byField === undefined) frequencies.set(term, (byField = []));
          const counts = (byField[field] ??= new Map<number, number>());
          counts.set(position, (counts.get(position) ?? 0) + 1);
        }
      }
      fieldLengths.push(lengths);
    });

    for (const [term, byField] of frequencies) {
      const lists: (FieldPostings | undefined)[] = [];
      for (let field = 0; field < fieldCount; field++) {
        const counts = byField[field];
        if (counts === undefined) {
          lists.push(undefined);
          continue;
        }
        const positions = new Int32Array(counts.size);
        const scores = new Float64Array(counts.size);
        let i = 0;
        for (const [position, frequency] of counts) {
          positions[i] = position;
          scores[i] = rawScore(frequency, counts.size, size, fieldLengths[position]?.[field] ?? 0, averageLength[field] ?? 0);
          i += 1;
        }
        lists.push({ positions, scores });
      }
      this.postings.set(term, lists);
    }

    this.total = new Float64Array(size);
    this.termTotal = new Float64Array(size);
    this.matchedTerms = new Uint16Array(size);
    this.seenInQuery = new Uint32Array(size);
    this.seenInTerm = new Uint32Array(size);
    this.order = new Int32Array(size);
    this.termOrder = new Int32Array(size);
  }

  /**
   * The best `limit` entries for the terms, best first; `boostOf` weights each term and
   * `fieldBoosts` each field, in field order.
   */
  search(terms: readonly string[], boostOf: (term: string) => number, fieldBoosts: readonly number[], limit: number): Bm25Hit[] {
    const queryStamp = this.nextQueryStamp();
    let matched = 0;
    for (const term of terms) {
      const lists = this.postings.get(term);
      if (lists === undefined) continue;
      const boost = boostOf(term);
      const termStamp = this.nextTermStamp();
      let termMatched = 0;
      for (let field = 0; field < this.fieldCount; field++) {
        const list = lists[field];
        if (list === undefined) continue;
        // minisearch: termWeight (1) * termBoost * fieldBoost * documentBoost (1) * rawScore.
        const weight = boost * (fieldBoosts[field] ?? 1);
        const { positions, scores } = list;
        for (let i = 0; i < positions.length; i++) {
          const position = positions[i] as number;
          const score = weight * (scores[i] as number);
          if (this.seenInTerm[position] === termStamp) {
            this.termTotal[position] = (this.termTotal[position] as number) + score;
          } else {
            this.seenInTerm[position] = termStamp;
            this.termTotal[position] = score;
            this.termOrder[termMatched++] = position;
          }
        }
      }
      for (let i = 0; i < termMatched; i++) {
        const position = this.termOrder[i] as number;
        if (this.seenInQuery[position] === queryStamp) {
          this.total[position] = (this.total[position] as number) + (this.termTotal[position] as number);
          this.matchedTerms[position] = (this.matchedTerms[position] as number) + 1;
        } else {
          this.seenInQuery[position] = queryStamp;
          this.total[position] = this.termTotal[position] as number;
          this.matchedTerms[position] = 1;
          this.order[matched++] = position;
        }
      }
    }
    return this.best(matched, limit);
  }

  /** The top `limit` of the matched entries by final score; ties keep first-matched order. */
  private best(matched: number, limit: number): Bm25Hit[] {
    const top: Bm25Hit[] = [];
    for (let i = 0; i < matched; i++) {
      const position = this.order[i] as number;
      const score = (this.total[position] as number) * (this.matchedTerms[position] as number);
      if (top.length === limit && score <= (top[limit - 1] as Bm25Hit).score) continue;
      let at = top.length;
      while (at > 0 && (top[at - 1] as Bm25Hit).score < score) at -= 1;
      top.splice(at, 0, { position, score });
      if (top.length > limit) top.pop();
    }
    return top;
  }

  private nextQueryStamp(): number {
    if (this.queryStamp === 0xffffffff) {
      this.seenInQuery.fill(0);
      this.queryStamp = 0;
    }
    return ++this.queryStamp;
  }

  private nextTermStamp(): number {
    if (this.termStamp === 0xffffffff) {
      this.seenInTerm.fill(0);
      this.termStamp = 0;
    }
    return ++this.termStamp;
  }
}

/** minisearch's calcBM25Score, operation for operation. */
function rawScore(termFrequency: number, matchingCount: number, totalCount: number, fieldLength: number, averageFieldLength: number): number {
  const inverseDocumentFrequency = Math.log(1 + (totalCount - matchingCount + 0.5) / (matchingCount + 0.5));
  return inverseDocumentFrequency * (D + (termFrequency * (K + 1)) / (termFrequency + K * (1 - B + (B * fieldLength) / averageFieldLength)));
}
