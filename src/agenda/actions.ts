import { z } from 'zod';

/**
 * The verbs the agenda cards send and the data each carries. The templates in cards/ spell the
 * verbs out (JSON cannot import); test/agenda/cards.test.ts checks they match these.
 * `agenda.save` carries the form inputs too: its schema is AgendaFormInput in agenda.ts.
 */
export const AGENDA_VERBS = {
  /** Agenda card → open the form prefilled with the current version. */
  edit: 'agenda.edit',
  /** Form card → create (no agendaId) or edit (agendaId + expectedVersion). */
  save: 'agenda.save',
  /** Agenda card, decision items only → open a poll on that item. */
  startPoll: 'poll.start',
} as const;

export const AgendaEditInput = z.object({ agendaId: z.string().min(1).max(100) });
export type AgendaEditInput = z.infer<typeof AgendaEditInput>;

/** `itemRef` is the item's reference, unique within an agenda (parse.ts refuses duplicates). */
export const StartPollFromAgendaInput = z.object({
  agendaId: z.string().min(1).max(100),
  itemRef: z.string().min(1).max(30),
});
export type StartPollFromAgendaInput = z.infer<typeof StartPollFromAgendaInput>;
