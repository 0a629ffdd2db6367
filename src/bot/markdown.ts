/**
 * Teams renders a subset of Markdown in TextBlocks (bold, italic, links, lists, headings).
 * Text typed by people (proposals, titles, questions) must appear literally, so the characters
 * that start formatting are backslash-escaped: emphasis, code and link brackets anywhere, and
 * list, heading and quote markers at the start of a line. Other punctuation is left alone so
 * ordinary sentences stay readable in clients that show escapes verbatim.
 */
const INLINE_CONTROL = /[\\`*_~[\]]/g;
// The indent is whitespace within the line only: `\s*` would run on across line breaks, and with
// `^` tried after every break that is quadratic (20,000 newlines took most of a second).
const LINE_START_CONTROL = /^([^\S\r\n\u2028\u2029]*)([#>+-]|\d+\.)(?=\s|$)/gm;

/** Any character either rule above could act on: most card text (names, states, dates) has none. */
const MAY_NEED_ESCAPING = /[\\`*_~[\]#>+-]|\d\./;

export function escapeMarkdown(text: string): string {
  // A 200-member poll card escapes about 700 strings per render; most go through untouched.
  if (!MAY_NEED_ESCAPING.test(text)) return text;
  return text
    .replace(INLINE_CONTROL, (character) => `\\${character}`)
    .replace(LINE_START_CONTROL, (_match, indent: string, marker: string) =>
      `${indent}${marker.replace(/([#>+-]|\.)$/, '\\$1')}`);
}
