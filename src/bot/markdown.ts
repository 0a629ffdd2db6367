/**
 * Teams renders a subset of Markdown in TextBlocks (bold, italic, links, lists, headings).
 * Text typed by people (proposals, titles, questions) must appear literally, so the characters
 * that start formatting are backslash-escaped: emphasis, code and link brackets anywhere, and
 * list, heading and quote markers at the start of a line. Other punctuation is left alone so
 * ordinary sentences stay readable in clients that show escapes verbatim.
 */
const INLINE_CONTROL = /[\\`*_~[\]]/g;
const LINE_START_CONTROL = /^(\s*)([#>+-]|\d+\.)(?=\s|$)/gm;

export function escapeMarkdown(text: string): string {
  return text
    .replace(INLINE_CONTROL, (character) => `\\${character}`)
    .replace(LINE_START_CONTROL, (_match, indent: string, marker: string) =>
      `${indent}${marker.replace(/([#>+-]|\.)$/, '\\$1')}`);
}
