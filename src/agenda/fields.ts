import { z } from 'zod';
import { LIMITS, type Purpose } from './model.js';
import { err, ok, type Result } from '../shared/result.js';

/**
 * Readers for single agenda fields as people type them, shared by the pasted-text parser and
 * the form. Each returns the value in the model's form, or a plain-English problem that quotes
 * what was typed, so a chair can find and fix it without knowing the schema.
 */
export type FieldResult<T> = Result<T, string>;

/** Long input is cut in messages so one bad 5,000-character line cannot flood the reply. */
export function quote(text: string, max = 40): string {
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  return `'${shown}'`;
}

export function readText(
  text: string,
  what: string,
  max: number,
  { required }: { required: boolean },
): FieldResult<string> {
  const value = text.trim();
  if (required && value === '') return err(`${what} is missing`);
  if (value.length > max) return err(`${what} must be at most ${max} characters, got ${value.length}`);
  return ok(value);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** UK boards write dates day first; DD/MM/YYYY is never read as American month-first. */
const UK_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

export function readDate(text: string): FieldResult<string> {
  const value = text.trim();
  const iso = ISO_DATE.exec(value);
  const uk = UK_DATE.exec(value);
  const parts = iso ? [iso[1], iso[2], iso[3]] : uk ? [uk[3], uk[2], uk[1]] : undefined;
  const problem = `date must be a date like 2021-09-14 or 14/09/2021, got ${quote(value)}`;
  if (!parts) return err(problem);
  const [year, month, day] = parts.map(Number) as [number, number, number];
  // A calendar check, not a pattern check: 31/02/2022 is refused rather than rolled into March.
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return err(`date ${quote(value)} is not a real calendar date`);
  }
  return ok(`${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`);
}

/** 24-hour "HH:MM" or "H:MM"; "9.30" and "2:15pm" are read too, as people write them in papers. */
const CLOCK = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$/i;

export function readStartTime(text: string): FieldResult<string> {
  const value = text.trim();
  const match = CLOCK.exec(value);
  const problem = `start time must be a 24-hour time like 09:30, got ${quote(value)}`;
  if (!match || (match[2] === undefined && match[3] === undefined)) return err(problem);
  let hours = Number(match[1]);
  const minutes = Number(match[2] ?? '0');
  const meridiem = match[3]?.toLowerCase();
  if (meridiem) {
    if (hours < 1 || hours > 12) return err(problem);
    hours = (hours % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  if (hours > 23 || minutes > 59) return err(problem);
  return ok(`${pad2(hours)}:${pad2(minutes)}`);
}

/** Only web links: a `javascript:` or `file:` link must never become a button on a card. */
const WebLink = z.url({ protocol: /^https?$/ });

export function readLink(text: string, what: string): FieldResult<string | undefined> {
  const value = text.trim();
  if (value === '') return ok(undefined);
  if (!WebLink.safeParse(value).success) return err(`${what} must be a web address starting https://, got ${quote(value)}`);
  return ok(value);
}

/**
 * Purposes as papers state them: "For decision", "Decision", or the D/A/I shorthand of cover
 * sheets. "Approval" and "noting" are the common synonyms for decision and information.
 */
const PURPOSE_WORDS: Readonly<Record<string, Purpose>> = {
  decision: 'decision', d: 'decision', approval: 'decision', approve: 'decision',
  assurance: 'assurance', a: 'assurance',
  information: 'information', i: 'information', info: 'information', noting: 'information', note: 'information',
};

export function readPurpose(text: string): FieldResult<Purpose> {
  const value = text.trim();
  const word = value.toLowerCase().replace(/\s+/g, ' ').replace(/^for /, '');
  const purpose = Object.hasOwn(PURPOSE_WORDS, word) ? PURPOSE_WORDS[word] : undefined;
  if (!purpose) return err(`purpose must be decision, assurance or information (or D, A, I), got ${quote(value)}`);
  return ok(purpose);
}

/** "15", or "15 min" / "15 mins" / "15m" as agendas print it. */
const MINUTES = /^(\d+)\s*(?:m|min|mins|minutes)?$/i;

export function readMinutes(text: string): FieldResult<number> {
  const value = text.trim();
  const match = MINUTES.exec(value);
  if (!match) return err(`minutes must be a whole number, got ${quote(value)}`);
  const minutes = Number(match[1]);
  if (minutes > LIMITS.minutes) return err(`minutes must be at most ${LIMITS.minutes} (8 hours), got ${minutes}`);
  return ok(minutes);
}

export function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
