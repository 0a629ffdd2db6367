import { z } from 'zod';
import { Person } from '../people/model.js';

/**
 * Declarations of interest, as NHS boards open every item with them (DESIGN.md, "Board practice
 * around a decision"). A representative or deputy declares; the chair records how it is handled.
 * The shipped guidance does not cover conflicts (README, "Declarations of interest"), so the
 * handling options and their effect follow common board standing orders:
 * - `noted`: recorded, the person takes part as usual;
 * - `no-part`: stays in the meeting but may not take part in the decision;
 * - `leaves`: leaves the meeting for the item, so takes no part either.
 */
export const INTEREST_HANDLINGS = ['noted', 'no-part', 'leaves'] as const;
export const InterestHandling = z.enum(INTEREST_HANDLINGS);
export type InterestHandling = z.infer<typeof InterestHandling>;

export const HANDLING_WORDS: Record<InterestHandling, string> = {
  noted: 'noted only',
  'no-part': 'may not take part in the decision',
  leaves: 'leaves the meeting for this item',
};

export const MAX_INTEREST_DESCRIPTION = 300;

export const Declaration = z.object({
  id: z.string().min(1).max(100),
  /** The member the declarer acts for on this poll or agenda item. */
  organisationId: z.string(),
  declaredBy: Person,
  description: z.string().min(1).max(MAX_INTEREST_DESCRIPTION),
  declaredAt: z.string(),
  handling: z.object({ kind: InterestHandling, by: Person, at: z.string() }).optional(),
});
export type Declaration = z.infer<typeof Declaration>;


/** A declaration made on an agenda item (`itemRef`); a poll started from the item carries it. */
export const ItemDeclaration = Declaration.extend({ itemRef: z.string().min(1).max(30) });
export type ItemDeclaration = z.infer<typeof ItemDeclaration>;
