import { z } from 'zod';

/** Data of the agenda card's `agenda.edit` action (`agenda.save` carries the form: AgendaFormInput in agenda.ts). */
export const AgendaEditInput = z.object({ agendaId: z.string().min(1).max(100) });
export type AgendaEditInput = z.infer<typeof AgendaEditInput>;

/** `itemRef` is the item's reference, unique within an agenda (parse.ts refuses duplicates). */
export const StartPollFromAgendaInput = z.object({
  agendaId: z.string().min(1).max(100),
  itemRef: z.string().min(1).max(30),
});
export type StartPollFromAgendaInput = z.infer<typeof StartPollFromAgendaInput>;
