import { stemmer } from 'stemmer';

/**
 * Text processing shared by the index and the query side. Both sides must turn words into
 * terms the same way, or an exact word in a question would miss the same word in an entry.
 */

/**
 * Words that carry no meaning for retrieval: English function words plus the filler people
 * wrap a question in ("can you tell me what … means please"). Domain words such as
 * "trust", "board" or "decision" are deliberately absent.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  // Contractions with the apostrophe folded away ("aren't" → "arent").
  'arent', 'cant', 'couldnt', 'didnt', 'doesnt', 'dont', 'hasnt', 'havent', 'hows', 'ive', 'lets',
  'shouldnt', 'theres', 'theyre', 'wasnt', 'werent', 'wheres', 'wont', 'wouldnt', 'youre',
  'youve', 'weve',
  // Function words and question filler.
  'a', 'abbreviation', 'about', 'acronym', 'actually', 'after', 'again', 'all', 'also', 'am', 'an',
  'and', 'any', 'anyone', 'anything', 'are', 'as', 'at', 'basically', 'be', 'because', 'been',
  'before', 'being', 'both', 'but', 'by', 'can', 'could', 'define', 'definition', 'did', 'do',
  'does', 'doing', 'done', 'each', 'either', 'else', 'etc', 'ever', 'everything', 'explain',
  'explained', 'explanation', 'for', 'from', 'get', 'gets', 'getting', 'give', 'go', 'going',
  'got', 'had', 'happen', 'happened', 'happens', 'has', 'have', 'having', 'he', 'hello', 'her',
  'here', 'hers', 'hey', 'hi', 'him', 'his', 'how', 'i', 'if', 'im', 'in', 'info', 'into', 'is',
  'isnt', 'it', 'its', 'just', 'keep', 'keeps', 'kind', 'know', 'let', 'like', 'many', 'me',
  'mean', 'meaning', 'means', 'might', 'more', 'most', 'much', 'must', 'my', 'need', 'needs', 'no',
  'nor', 'not', 'nothing', 'now', 'of', 'off', 'often', 'ok', 'okay', 'on', 'once', 'one', 'ones',
  'only', 'or', 'other', 'our', 'ours', 'out', 'over', 'please', 'pls', 'quick', 'quickly',
  'really', 'regarding', 'rn', 'said', 'say', 'says', 'she', 'should', 'so', 'some', 'something',
  'sort', 'sorted', 'stand', 'stands', 'still', 'stuff', 'such', 'sure', 'tell', 'than', 'thank',
  'thanks', 'that', 'thats', 'the', 'their', 'theirs', 'them', 'then', 'there', 'these', 'they',
  'thing', 'things', 'this', 'those', 'through', 'to', 'too', 'under', 'up', 'us', 'use', 'v',
  'versus', 'very', 'via', 'view', 'vs', 'want', 'was', 'way', 'we', 'were', 'what', 'whats',
  'when', 'where', 'whether', 'which', 'while', 'who', 'whom', 'whos', 'whose', 'why', 'will',
  'with', 'within', 'wondering', 'would', 'you', 'your', 'yours',
  // Prepositions and fillers that carry no topic ("set up between trusts", "per the survey").
  'according', 'among', 'amongst', 'between', 'currently', 'down', 'keeping', 'per', 'yet',
  // Function words as staff mistype or shorten them in chat ("wat", "shoud", "abt"): left in,
  // they are unknown words that no entry explains, which sinks a typed question's confidence.
  'abt', 'abit', 'alot', 'anyway', 'becasue', 'becuase', 'bout', 'btw', 'coz', 'cud', 'cuz',
  'dunno', 'fyi', 'gonna', 'hw', 'hwo', 'iam', 'kinda', 'plz', 'ppl', 'shld', 'shoud', 'shud',
  'tbh', 'teh', 'tho', 'thru', 'thx', 'u', 'ur', 'wanna', 'wat', 'waht', 'wats', 'wen', 'whic',
  'wht', 'whta', 'wich', 'wot', 'wud',
  // How a long question frames its ask ("the chair asked me to cite…", "I remember it saying…"):
  // found in no entry, they would count as unknown words that the answer cannot explain.
  'asked', 'asking', 'asks', 'cite', 'guys', 'folks', 'heard', 'keen', 'literally', 'prepare',
  'quote', 'reckon', 'remember', 'summarise', 'summarize', 'suppose', 'thinking', 'wanted',
  'wants', 'wondered', 'worried', 'worry',
  // "What's the figure for…": features.ts reads the wish for a figure from the raw question.
  'figure', 'figures', 'stat', 'stats', 'statistic', 'statistics',
]);

/**
 * Acronym plurals ("ICSs", "ICBs") fold onto the acronym, and short tokens are not stemmed:
 * the Porter stemmer turns "ics" into "ic" but leaves "icss" alone, which would split one
 * acronym into three unrelated terms.
 */
const ACRONYM_PLURALS: Readonly<Record<string, string>> = {
  icss: 'ics', icbs: 'icb', fts: 'ft', ccgs: 'ccg', pcns: 'pcn', ceos: 'ceo', mous: 'mou',
  jvs: 'jv', plbs: 'plb', cics: 'cic', nhsts: 'nhst', sros: 'sro', pmos: 'pmo',
};

/**
 * Where Porter merges words whose meanings differ in this domain. "objectives" (goals) and
 * "object"/"objection" (dissent) share the stem "object", so a question about objecting to a
 * decision would match every paragraph about shared objectives.
 */
const STEM_OVERRIDES: Readonly<Record<string, string>> = {
  objective: 'objectiv',
  objectives: 'objectiv',
  // Likewise "authority" (a council, delegated powers) and "authors" (of a report).
  authority: 'authorit',
  authorities: 'authorit',
};

/**
 * Where Porter splits one word family that people use interchangeably: "how does WYAAT decide"
 * is answered by "decisions are by consensus", "the collaborative is not delivering" by "poor
 * delivery". Each stem on the left is folded onto the one on the right, on both the index and
 * the query side. Only families whose members mean the same thing in this domain are listed.
 */
const STEM_FAMILIES: Readonly<Record<string, string>> = {
  decis: 'decid', // decision(s) → decide(d)
  deliveri: 'deliv', // delivery → deliver
  recoveri: 'recov', // recovery → recover
  disagr: 'disagre', // disagreement(s) → disagree
  resolut: 'resolv', // resolution → resolve
  reduct: 'reduc', // reduction → reduce
  mandatori: 'mandat', // mandatory → mandate(d)
  sovereignti: 'sovereign', // sovereignty → sovereign
  strateg: 'strategi', // strategic → strategy
  categoris: 'categori', // categorising → category
  prioritis: 'prioriti', // prioritise → priority
  standardis: 'standard', // standardise → standard
  stabilis: 'stabil', // stabilise → stability
  formalis: 'formal', // formalise → formal
  summaris: 'summari', // summarise → summary
  scrutinis: 'scrutini', // scrutinise → scrutiny
  jointli: 'joint', // jointly → joint
};

const MIN_STEMMED_LENGTH = 4;

/**
 * Lower-case, fold accents and apostrophes, so "Trust's", "trusts" and "TRUSTS" meet. "%"
 * becomes the word "percent": "what % use a PLB" asks for the survey's percentages.
 */
export function normalise(text: string): string {
  return foldMarks(text).toLowerCase();
}

function foldMarks(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['’`]/g, '')
    .replace(/%/g, ' percent ');
}

/** Like `words` but keeping the case, for the few acronyms whose case matters ("CiC" vs "CIC"). */
export function casedWords(text: string): string[] {
  return foldMarks(text).match(/[A-Za-z0-9]+/g) ?? [];
}

/**
 * Splits text into lower-case words. Letters and digits make words; "NHSE/I" gives "nhse" and
 * "i", and "P173/21" gives "p173" and "21".
 */
export function words(text: string): string[] {
  return normalise(text).match(/[a-z0-9]+/g) ?? [];
}

/**
 * Stemming dominates index build time and the same few thousand words recur, so terms are
 * memoised. The cache is bounded because questions bring words the KB has never seen.
 */
const TERM_CACHE_LIMIT = 50_000;
const termCache = new Map<string, string | null>();

/** A word's index term, or null for a stop word. */
export function termOf(word: string): string | null {
  const cached = termCache.get(word);
  if (cached !== undefined) return cached;
  if (termCache.size >= TERM_CACHE_LIMIT) termCache.clear();
  const term = computeTerm(word);
  termCache.set(word, term);
  return term;
}

function computeTerm(word: string): string | null {
  if (STOP_WORDS.has(word)) return null;
  const folded = ACRONYM_PLURALS[word] ?? word;
  const override = STEM_OVERRIDES[folded];
  if (override !== undefined) return override;
  if (folded.length < MIN_STEMMED_LENGTH || /\d/.test(folded)) return folded;
  const stem = stemmer(folded);
  return STEM_FAMILIES[stem] ?? stem;
}

/** All index terms of a text, in order, stop words dropped. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const word of words(text)) {
    const term = termOf(word);
    if (term !== null) out.push(term);
  }
  return out;
}
