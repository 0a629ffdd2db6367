import type { DocumentId } from './documents.js';

/**
 * Staff often say which paper they mean ("per the Confed survey", "in the stepwise paper",
 * "the NUH deck", "on the NHSE webinar slide"). Several documents cover the same topic (each has
 * its own take on lead providers or governance models), so an entry from another document that
 * wins on shared words answers a question the person did not ask. Only names that point at one
 * document are cues: "the guidance" alone is said of every source.
 */
const CUES: readonly (readonly [DocumentId, RegExp])[] = [
  ['confed-survey-2023', /\b(confed|confederation|nhs providers|survey|evolution of provider collab)/i],
  ['nhse-webinar-2022', /\b(webinar|scie)\b/i],
  ['stepwise-design-2021', /\b(step-?wi[sz]e|teneo|hill dickinson|dalton)/i],
  ['nuh-insight-2021', /\b(nuh|insight deck|nuh deck)\b/i],
  ['trft-board-2021', /\b(rotherham|trft|board papers?|working together at scale|(national|nhse?i?|august|aug|2021) guidance)\b/i],
];

/** The documents the question names; empty when it names none. */
export function documentCues(question: string): ReadonlySet<DocumentId> {
  return new Set(CUES.filter(([, pattern]) => pattern.test(question)).map(([document]) => document));
}
