import { CASED_SENSES, SYNONYMS } from './synonyms.js';
import { STOP_WORDS, casedWords, words } from './text.js';

/**
 * A question becomes a list of concepts: one per content word, or one per acronym/synonym
 * phrase. A concept is matched when ANY of its alternatives is, and an alternative is matched
 * when ALL of its words are ("committees in common" needs all three).
 */
export type AlternativeOrigin =
  /** What the person typed; may be misspelt or partial. */
  | 'typed'
  /** Means the same ("CiC" = "committees in common"); spelt right by the synonym table. */
  | 'equivalent'
  /** A related word the guidance uses instead ("veto" → "block"); weaker evidence. */
  | 'related';

export interface QueryAlternative {
  /** Raw lower-case words; stop words inside a phrase are dropped later. */
  readonly words: readonly string[];
  readonly origin: AlternativeOrigin;
}

export interface QueryConcept {
  /** What the person typed for this concept, for diagnostics. */
  readonly text: string;
  readonly alternatives: readonly QueryAlternative[];
}

/** Trigger phrase → the phrases it may also be searched as, each with its origin. */
type TriggerTable = Map<string, Map<string, Exclude<AlternativeOrigin, 'typed'>>>;

function buildTriggerTable(): { table: TriggerTable; longest: number } {
  const table: TriggerTable = new Map();
  let longest = 1;
  const add = (trigger: string, alternatives: readonly string[], origin: 'equivalent' | 'related'): void => {
    const key = words(trigger).join(' ');
    const expansions = table.get(key) ?? new Map();
    for (const alternative of alternatives) {
      const phrase = words(alternative).join(' ');
      // An equivalence outranks a mere relation when a phrase appears in both kinds of row.
      if (phrase !== key && expansions.get(phrase) !== 'equivalent') expansions.set(phrase, origin);
    }
    table.set(key, expansions);
    longest = Math.max(longest, key.split(' ').length);
  };
  for (const row of SYNONYMS) {
    if ('same' in row) for (const member of row.same) add(member, row.same, 'equivalent');
    else for (const trigger of row.when) add(trigger, row.also, 'related');
  }
  return { table, longest };
}

const TRIGGERS = buildTriggerTable();

/** Splits a question into concepts, expanding acronyms and synonyms (longest phrase first). */
export function parseQuestion(question: string): QueryConcept[] {
  const cased = casedWords(question);
  const tokens = cased.map((token) => token.toLowerCase());
  const concepts: QueryConcept[] = [];
  const seen = new Set<string>();
  const push = (text: string, alternatives: QueryAlternative[]): void => {
    if (seen.has(text)) return;
    seen.add(text);
    concepts.push({ text, alternatives });
  };

  let i = 0;
  while (i < tokens.length) {
    const match = longestTrigger(tokens, i);
    if (match !== null) {
      const typed = tokens.slice(i, i + match.length);
      const casedSenses = match.length === 1 ? (CASED_SENSES[cased[i] ?? ''] ?? []) : [];
      push(typed.join(' '), [
        { words: typed, origin: 'typed' },
        ...[...match.expansions].map(([phrase, origin]) => ({ words: phrase.split(' '), origin })),
        ...casedSenses.map((phrase) => ({ words: words(phrase), origin: 'equivalent' as const })),
      ]);
      i += match.length;
      continue;
    }
    const word = tokens[i] ?? '';
    i += 1;
    if (!STOP_WORDS.has(word)) push(word, [{ words: [word], origin: 'typed' }]);
  }
  return concepts;
}

function longestTrigger(tokens: readonly string[], start: number) {
  for (let length = Math.min(TRIGGERS.longest, tokens.length - start); length >= 1; length--) {
    const expansions = TRIGGERS.table.get(tokens.slice(start, start + length).join(' '));
    if (expansions !== undefined) return { length, expansions };
  }
  return null;
}
