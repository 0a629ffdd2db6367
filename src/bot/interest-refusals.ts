import type { InterestError } from '../decisions/interests.js';
import type { ItemInterestError } from '../decisions/item-interests.js';

/** What a declaration of interest refused by the core says, on a poll or an agenda item alike. */
export function interestRefusalText(error: InterestError | ItemInterestError): string {
  switch (error.kind) {
    case 'poll-closed': return 'This poll is closed. Nothing was changed.';
    case 'choose-item': return 'Choose the agenda item your interest is in. Nothing was changed.';
    case 'no-such-item': return 'That item is no longer on the agenda; it may have been edited. Nothing was changed.';
    case 'not-a-representative': return 'Only a member organisation’s representative or deputy declares an interest here. Nothing was changed.';
    case 'choose-organisation': return 'You act for more than one member. Choose which one under “For”, then declare again.';
    case 'description-required': return 'Describe the interest in a few words. Nothing was changed.';
    case 'description-too-long': return `Keep the description to ${error.max} characters. Nothing was changed.`;
    case 'not-chair': return 'Only the chair records how a declaration of interest is handled. Nothing was changed.';
    case 'choose-declaration': return 'Choose the declaration to handle. Nothing was changed.';
    case 'choose-handling': return 'Choose how the declaration is handled. Nothing was changed.';
  }
}
