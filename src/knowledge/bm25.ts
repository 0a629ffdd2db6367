/**
 * BM25 over an entry's fields, scored the way MiniSearch scores an exact OR query (BM25+ with
 * k 1.2, b 0.7, d 0.5; a field's length is its number of distinct words; the sum over terms and
 * fields times the number of query terms matched), into arrays the index owns.
 *
 * Why not MiniSearch's own search: it builds a result object with match details for every
 * matching entry of every query, most of which are thrown away (Concord keeps the best ten).
 * That was three quarters of a guidance answer's time and four fifths of what it allocated:
 * the young-generation collections it caused, every 80 or so questions at 2–3 ms each, were
 * the whole of `qa.p99_ms` (the slowest question itself takes under 1 ms). Same scores, same
 * order, ties included (test/knowledge/bm25.test.ts checks both against MiniSearch).
 */
const K = 1.2;
const B = 0.7;
const D = 0.5;

interface Postings {
  /** Entry positions, in the order the entries were added. */
  readonly positions: number[];
  readonly frequencies: number[];
}

export interface Bm25Document {
  /** The text of each field, in the order of the field boosts given to `search`. */
  readonly fields: readonly string[];
}

export interface Bm25Hit {
  readonly position: number;
  readonly score: number;
}

export class Bm25Index {
  /** Per field: term → postings. */
  private readonly postings: Map<string, Postings>[];
  /** Per field: each entry's distinct-word count. */
  private readonly lengths: number[][];
  /** Per field: the average length, accumulated entry by entry as MiniSearch does (same rounding). */
  private readonly averageLengths: number[];
  private count = 0;
  // Scratch space reused by every search, so a question allocates next to nothing; sized on the
  // first search after entries were added.
  private total = new Float64Array(0);
  private partial = new Float64Array(0);
  private matchedTerms = new Int32Array(0);
  private inThisTerm = new Uint8Array(0);

  constructor(
    private readonly fieldCount: number,
    private readonly tokenize: (text: string) => string[],
    private readonly processTerm: (word: string) => string | null,
  ) {
    this.postings = Array.from({ length: fieldCount }, () => new Map<string, Postings>());
    this.lengths = Array.from({ length: fieldCount }, () => []);
    this.averageLengths = new Array<number>(fieldCount).fill(0);
  }

  /** Adds the next entry; its position is the number added before it. */
  add(document: Bm25Document): void {
    const position = this.count;
    this.count += 1;
    for (let field = 0; field < this.fieldCount; field++) {
      const words = this.tokenize(document.fields[field] ?? '');
      const length = new Set(words).size;
      this.lengths[field]![position] = length;
      this.averageLengths[field] = (this.averageLengths[field]! * position + length) / (position + 1);
      const fieldPostings = this.postings[field]!;
      for (const word of words) {
        const term = this.processTerm(word);
        if (!term) continue;
        let termPostings = fieldPostings.get(term);
        if (termPostings === undefined) {
          termPostings = { positions: [], frequencies: [] };
          fieldPostings.set(term, termPostings);
        }
        const last = termPostings.positions.length - 1;
        if (termPostings.positions[last] === position) termPostings.frequencies[last]! += 1;
        else {
          termPostings.positions.push(position);
          termPostings.frequencies.push(1);
        }
      }
    }
  }

  /**
   * The best `limit` entries for the (already processed, distinct) terms, best first; entries
   * of equal score in the order they were first matched.
   */
  search(terms: readonly string[], fieldBoosts: readonly number[], termBoost: (term: string) => number, limit: number): Bm25Hit[] {
    if (this.total.length !== this.count) {
      this.total = new Float64Array(this.count);
      this.partial = new Float64Array(this.count);
      this.matchedTerms = new Int32Array(this.count);
      this.inThisTerm = new Uint8Array(this.count);
    }
    const { total, partial, matchedTerms, inThisTerm } = this;
    const seen: number[] = [];
    for (const term of terms) {
      const boost = termBoost(term);
      const touched: number[] = [];
      for (let field = 0; field < fieldBoosts.length; field++) {
        const termPostings = this.postings[field]?.get(term);
        if (termPostings === undefined) continue;
        const fieldBoost = fieldBoosts[field]!;
        const lengths = this.lengths[field]!;
        const averageLength = this.averageLengths[field]!;
        const matching = termPostings.positions.length;
        const idf = Math.log(1 + (this.count - matching + 0.5) / (matching + 0.5));
        for (let i = 0; i < matching; i++) {
          const position = termPostings.positions[i]!;
          const frequency = termPostings.frequencies[i]!;
          const raw = idf * (D + (frequency * (K + 1)) / (frequency + K * (1 - B + (B * lengths[position]!) / averageLength)));
          const weighted = boost * fieldBoost * raw;
          if (inThisTerm[position] === 0) {
            inThisTerm[position] = 1;
            touched.push(position);
            partial[position] = weighted;
          } else partial[position] = partial[position]! + weighted;
        }
      }
      for (const position of touched) {
        if (matchedTerms[position] === 0) {
          seen.push(position);
          total[position] = partial[position]!;
        } else total[position] = total[position]! + partial[position]!;
        matchedTerms[position] = matchedTerms[position]! + 1;
        inThisTerm[position] = 0;
      }
    }
    const hits = seen.map((position) => ({ position, score: total[position]! * matchedTerms[position]! }));
    for (const position of seen) {
      total[position] = 0;
      matchedTerms[position] = 0;
    }
    // `seen` is in the order entries were first matched, and sort is stable: ties keep that order.
    hits.sort((a, b) => b.score - a.score);
    return hits.slice(0, limit);
  }
}
