import { z } from 'zod';
import { Person } from '../people/model.js';
import { ItemDeclaration } from './interest.js';

export const PURPOSES = ['decision', 'assurance', 'information'] as const;
export const Purpose = z.enum(PURPOSES);
export type Purpose = z.infer<typeof Purpose>;

/**
 * Field limits, shared by the schema and by the plain-English checks in fields.ts, so a chair
 * is told the same limit the schema enforces.
 */
export const LIMITS = {
  ref: 30,
  itemTitle: 300,
  lead: 120,
  minutes: 480,
  recommendation: 1000,
  meetingTitle: 200,
  place: 300,
  chair: 120,
} as const;

export const AgendaItem = z.object({
  /**
   * Paper reference as boards write it, e.g. "P173/21". Never starting with "#": in the pasted
   * format such a line is a comment, so the item could not survive an edit.
   */
  ref: z.string().trim().min(1).max(LIMITS.ref).regex(/^[^#]/, 'a reference cannot start with #'),
  title: z.string().trim().min(1).max(LIMITS.itemTitle),
  lead: z.string().trim().max(LIMITS.lead).default(''),
  purpose: Purpose,
  minutes: z.number().int().min(0).max(LIMITS.minutes),
  recommendation: z.string().trim().max(LIMITS.recommendation).default(''),
  paperUrl: z.url({ protocol: /^https?$/ }).optional(),
});
export type AgendaItem = z.infer<typeof AgendaItem>;

export const Meeting = z.object({
  title: z.string().trim().min(1).max(LIMITS.meetingTitle),
  /** ISO date, YYYY-MM-DD. */
  date: z.iso.date(),
  /** 24-hour HH:MM. */
  startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  place: z.string().trim().max(LIMITS.place).default(''),
  link: z.url({ protocol: /^https?$/ }).optional(),
  chair: z.string().trim().max(LIMITS.chair).default(''),
});
export type Meeting = z.infer<typeof Meeting>;

export const AgendaVersion = z.object({
  version: z.number().int().positive(),
  meeting: Meeting,
  items: z.array(AgendaItem),
  by: Person,
  at: z.string(),
});
export type AgendaVersion = z.infer<typeof AgendaVersion>;

/** An agenda and every earlier version of it: editing never loses what was posted. */
export const Agenda = z.object({
  id: z.string().min(1),
  conversationId: z.string(),
  /**
   * The collaborative whose meeting this is (issue 19): set when the agenda is posted, and only that
   * collaborative's chair and secretariat edit it or start polls from it. Absent on agendas stored
   * before then until start-up tags them (store/tag-agendas.ts).
   */
  collaborativeId: z.string().min(1).max(64).optional(),
  activityId: z.string().optional(),
  current: AgendaVersion,
  history: z.array(AgendaVersion).default([]),
  /**
   * Declarations of interest on its items and the chair's handling, kept outside the versions: an
   * edit does not withdraw them (one on an item no longer on the agenda simply is not shown).
   */
  declarations: z.array(ItemDeclaration).optional(),
});
export type Agenda = z.infer<typeof Agenda>;
