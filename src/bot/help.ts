import type { CardRenderer, CardJson } from './render.js';

export interface HelpContent {
  readonly collaborativeName: string;
  /** A few knowledge-base entries offered as one-press examples. */
  readonly examples: readonly { question: string; questionValue: string }[];
}

const COMMANDS = [
  { name: 'help', description: 'This card.' },
  { name: 'agenda', description: 'Post a meeting agenda: opens a form, or paste one item per line as "ref | title | lead | purpose | minutes".' },
  { name: 'poll', description: 'Chairs: put a proposal to the member organisations, decided by consensus, unanimity, simple majority or qualified majority (e.g. two thirds).' },
  { name: 'pending', description: 'Representatives and deputies: open polls still waiting for a position from a member you act for, with the vote buttons.' },
  { name: 'decisions', description: 'Recent outcomes from the decision register; add words to search, e.g. "decisions elective".' },
  { name: 'any question', description: 'Guidance on provider collaboratives, with the source it came from.' },
];

export function helpCard(renderer: CardRenderer, content: HelpContent, greeting = 'Concord: aligned decisions for provider collaboratives'): CardJson {
  return renderer.render('help', {
    greeting,
    collaborative: content.collaborativeName,
    commands: COMMANDS,
    examples: content.examples,
  });
}
