import { z } from 'zod';
import type { AgendaInterests } from '../agenda/card-data.js';
import type { Agenda } from '../agenda/model.js';
import { InterestHandling, type Declaration, type ItemDeclaration } from '../agenda/interest.js';
import type { Person } from '../people/model.js';
import { err, ok, type Result } from '../shared/result.js';
import { memberName, rolesOf, type Collaborative } from './collaborative.js';
import { someoneActsForSeveral } from './poll-card.js';
import { declarationText, newDeclaration, type InterestError } from './interests.js';

/**
 * Declarations of interest on agenda items. Boards take declarations item by item at the start of
 * the meeting, before any poll is open; a poll started from the item carries them, so the chair's
 * handling stops an excluded person casting that member's position there (castVote, interests.ts).
 */

/** Card data of `agenda.declareInterest`: the item comes from the card's item choice. */
export const ItemDeclareInput = z.object({
  agendaId: z.string().trim().min(1).max(100),
  declareItemRef: z.string().trim().max(30).default(''),
  interestOrganisationId: z.string().trim().max(64).default(''),
  interestDescription: z.string().max(2000).default(''),
});
export type ItemDeclareInput = z.infer<typeof ItemDeclareInput>;

/** Card data of `agenda.handleInterest`. */
export const ItemHandleInput = z.object({
  agendaId: z.string().trim().min(1).max(100),
  declarationId: z.string().trim().max(100).default(''),
  handlingValue: z.union([InterestHandling, z.literal('')]).default(''),
});
export type ItemHandleInput = z.infer<typeof ItemHandleInput>;

export type ItemInterestError = Exclude<InterestError, { kind: 'poll-closed' }> | { kind: 'choose-item' } | { kind: 'no-such-item' };

const onAgenda = (agenda: Agenda, itemRef: string): boolean => agenda.current.items.some((item) => item.ref === itemRef);

/** A representative or deputy declares an interest in an item of the current agenda, for a member they act for. */
export function declareOnItem(args: { agenda: Agenda; collaborative: Collaborative; declarer: Person; input: ItemDeclareInput; now: Date; newId: () => string }): Result<ItemDeclaration, ItemInterestError> {
  const { agenda, input } = args;
  if (input.declareItemRef === '') return err({ kind: 'choose-item' });
  if (!onAgenda(agenda, input.declareItemRef)) return err({ kind: 'no-such-item' });
  const declared = newDeclaration(args);
  return declared.ok ? ok({ ...declared.value, itemRef: input.declareItemRef }) : declared;
}

/** The chair records how a declaration on an item is handled; a later decision replaces an earlier one. */
export function handleOnItem(args: { agenda: Agenda; collaborative: Collaborative; chair: Person; input: ItemHandleInput; now: Date }): Result<ItemDeclaration, ItemInterestError> {
  const { agenda, collaborative, chair, input, now } = args;
  if (!rolesOf(collaborative, chair.aadObjectId).isChair) return err({ kind: 'not-chair' });
  const declaration = (agenda.declarations ?? []).find((candidate) => candidate.id === input.declarationId);
  if (!declaration) return err({ kind: 'choose-declaration' });
  if (input.handlingValue === '') return err({ kind: 'choose-handling' });
  return ok({ ...declaration, handling: { kind: input.handlingValue, by: chair, at: now.toISOString() } });
}

/** The declarations a poll started from `itemRef` carries (same ids, so a later handling replaces them there too). */
export function declarationsForItem(agenda: Agenda, itemRef: string): Declaration[] {
  return (agenda.declarations ?? [])
    .filter((declaration) => declaration.itemRef === itemRef)
    .map(({ itemRef: _item, ...declaration }) => declaration);
}

/** What the agenda card shows: each current item's declarations as text, and the chair's choices. */
export function itemInterestsForCard(agenda: Agenda, collaborative: Collaborative): AgendaInterests {
  const nameOf = (id: string) => memberName(collaborative, id);
  const current = (agenda.declarations ?? []).filter((declaration) => onAgenda(agenda, declaration.itemRef));
  const texts: Record<string, string[]> = {};
  for (const declaration of current) (texts[declaration.itemRef] ??= []).push(declarationText(declaration, nameOf));
  return {
    texts,
    declarationChoices: current.map((declaration) => ({
      title: `${declaration.itemRef}: ${declaration.declaredBy.name || 'a member'} (${nameOf(declaration.organisationId)})`,
      declarationId: declaration.id,
    })),
    organisationChoices: collaborative.members.map((member) => ({ name: member.name, organisationId: member.id })),
    showOrganisationChoice: someoneActsForSeveral(collaborative),
  };
}
