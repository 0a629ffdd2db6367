import { z } from 'zod';
import { displayName, type Person } from '../people/model.js';
import { HANDLING_WORDS, InterestHandling, MAX_INTEREST_DESCRIPTION, type Declaration } from './declaration.js';
import { err, ok, type Result } from '../shared/result.js';
import { memberName, rolesOf, sameAadObjectId, type Collaborative } from './collaborative.js';
import { isDue } from './deadline.js';
import type { Poll } from './model.js';

/** Card data of `interest.declare`. "mine" (the choice's default) means the declarer's only member. */
export const DeclareInput = z.object({
  pollId: z.string().trim().min(1).max(100),
  interestOrganisationId: z.string().trim().max(64).default(''),
  interestDescription: z.string().max(2000).default(''),
});
export type DeclareInput = z.infer<typeof DeclareInput>;

/** Card data of `interest.handle`. */
export const HandleInput = z.object({
  pollId: z.string().trim().min(1).max(100),
  declarationId: z.string().trim().max(100).default(''),
  handlingValue: z.union([InterestHandling, z.literal('')]).default(''),
});
export type HandleInput = z.infer<typeof HandleInput>;

export type InterestError =
  | { kind: 'poll-closed' }
  | { kind: 'not-a-representative' }
  | { kind: 'choose-organisation'; options: string[] }
  | { kind: 'description-required' }
  | { kind: 'description-too-long'; max: number }
  | { kind: 'not-chair' }
  | { kind: 'choose-declaration' }
  | { kind: 'choose-handling' };

const isOpen = (poll: Poll, now: Date): boolean => poll.status === 'open' && !isDue(poll, now);

/** A representative or deputy declares an interest in this poll's decision, for a member they act for. */
export function declareInterest(args: { poll: Poll; collaborative: Collaborative; declarer: Person; input: DeclareInput; now: Date; newId: () => string }): Result<Declaration, InterestError> {
  if (!isOpen(args.poll, args.now)) return err({ kind: 'poll-closed' });
  return newDeclaration(args);
}

/** Which member the declaration is for, and its description: the rules a poll and an agenda item share. */
export function newDeclaration(args: { collaborative: Collaborative; declarer: Person; input: Pick<DeclareInput, 'interestOrganisationId' | 'interestDescription'>; now: Date; newId: () => string }): Result<Declaration, Exclude<InterestError, { kind: 'poll-closed' | 'not-chair' | 'choose-declaration' | 'choose-handling' }>> {
  const { collaborative, declarer, input, now } = args;
  const { representing } = rolesOf(collaborative, declarer.aadObjectId);
  const named = input.interestOrganisationId === 'mine' ? '' : input.interestOrganisationId;
  let organisationId: string;
  if (named !== '') {
    if (!representing.includes(named)) return err({ kind: 'not-a-representative' });
    organisationId = named;
  } else if (representing.length === 1 && representing[0] !== undefined) organisationId = representing[0];
  else if (representing.length === 0) return err({ kind: 'not-a-representative' });
  else return err({ kind: 'choose-organisation', options: representing });
  const description = input.interestDescription.trim();
  if (description === '') return err({ kind: 'description-required' });
  if (description.length > MAX_INTEREST_DESCRIPTION) return err({ kind: 'description-too-long', max: MAX_INTEREST_DESCRIPTION });
  return ok({ id: args.newId(), organisationId, declaredBy: declarer, description, declaredAt: now.toISOString() });
}

/** The chair records how a declaration is handled; a later decision replaces an earlier one. */
export function handleInterest(args: { poll: Poll; collaborative: Collaborative; chair: Person; input: HandleInput; now: Date }): Result<Declaration, InterestError> {
  const { poll, collaborative, chair, input, now } = args;
  if (!isOpen(poll, now)) return err({ kind: 'poll-closed' });
  if (!rolesOf(collaborative, chair.aadObjectId).isChair) return err({ kind: 'not-chair' });
  const declaration = (poll.declarations ?? []).find((candidate) => candidate.id === input.declarationId);
  if (!declaration) return err({ kind: 'choose-declaration' });
  if (input.handlingValue === '') return err({ kind: 'choose-handling' });
  return ok({ ...declaration, handling: { kind: input.handlingValue, by: chair, at: now.toISOString() } });
}

const excludes = (declaration: Declaration): boolean => declaration.handling !== undefined && declaration.handling.kind !== 'noted';

/** Whether this person may not cast this member's position on this poll (a declaration the chair excluded them for). */
export function excludedByInterest(poll: Poll, aadObjectId: string, organisationId: string): boolean {
  return (poll.declarations ?? []).some((declaration) =>
    declaration.organisationId === organisationId && excludes(declaration) && sameAadObjectId(declaration.declaredBy.aadObjectId, aadObjectId));
}

/**
 * Members none of whose representatives or deputy may take part: shown as conflicted. They record
 * no position, so they are not counted towards the quorum (only recorded positions count, see
 * DecisionRule.quorum); a representative who is not excluded can still record the position.
 */
export function conflictedMembers(poll: Poll, collaborative: Collaborative): Set<string> {
  const conflicted = new Set<string>();
  for (const member of collaborative.members) {
    if (!(poll.declarations ?? []).some((declaration) => declaration.organisationId === member.id && excludes(declaration))) continue;
    const people = [...member.representatives, ...(member.deputy ? [member.deputy] : [])];
    if (people.every((person) => excludedByInterest(poll, person, member.id))) conflicted.add(member.id);
  }
  return conflicted;
}

/** "Megan Bowen (Barnsley): non-executive director of the provider: may not take part in the decision (Alex Wilber)". */
export function declarationText(declaration: Declaration, nameOf: (organisationId: string) => string): string {
  const handling = declaration.handling
    ? `${HANDLING_WORDS[declaration.handling.kind]} (decided by ${displayName(declaration.handling.by)})`
    : 'awaiting the chair’s decision';
  return `${displayName(declaration.declaredBy)} (${nameOf(declaration.organisationId)}): ${declaration.description}: ${handling}`;
}

export const declarationTexts = (poll: Poll, collaborative: Collaborative): string[] =>
  (poll.declarations ?? []).map((declaration) => declarationText(declaration, (id) => memberName(collaborative, id)));
