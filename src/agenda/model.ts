import { z } from 'zod';
import { Person } from '../people/model.js';

export const PURPOSES = ['decision', 'assurance', 'information'] as const;
export const Purpose = z.enum(PURPOSES);
export type Purpose = z.infer<typeof Purpose>;

export const AgendaItem = z.object({
  /** Paper reference as boards write it, e.g. "P173/21". */
  ref: z.string().trim().min(1).max(30),
  title: z.string().trim().min(1).max(300),
  lead: z.string().trim().max(120).default(''),
  purpose: Purpose,
  minutes: z.number().int().min(0).max(480),
  recommendation: z.string().trim().max(1000).default(''),
  paperUrl: z.url({ protocol: /^https?$/ }).optional(),
});
export type AgendaItem = z.infer<typeof AgendaItem>;

export const Meeting = z.object({
  title: z.string().trim().min(1).max(200),
  /** ISO date, YYYY-MM-DD. */
  date: z.iso.date(),
  /** 24-hour HH:MM. */
  startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  place: z.string().trim().max(300).default(''),
  link: z.url({ protocol: /^https?$/ }).optional(),
  chair: z.string().trim().max(120).default(''),
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
  activityId: z.string().optional(),
  current: AgendaVersion,
  history: z.array(AgendaVersion).default([]),
});
export type Agenda = z.infer<typeof Agenda>;
