import type { SourceRef } from './schema.js';

/**
 * What changed after a 2021 source was written, in the later sources' own words. An entry
 * whose facts were overtaken names the change in its `updates`, and the answer ends with the
 * note and cites the later source: staff reading "if the Health and Care Bill passes" need to
 * know that it did.
 */
export const UPDATE_IDS = ['act-2022', 'icbs-july-2022', 'providers-by-july-2022'] as const;
export type UpdateId = (typeof UPDATE_IDS)[number];

export interface Update {
  readonly note: string;
  readonly source: SourceRef;
}

export const UPDATES: Readonly<Record<UpdateId, Update>> = {
  // Survey, "Delegated responsibilities from ICBs": sections 65Z5 and 65Z6; no delegation to providers in 2022/23.
  'act-2022': {
    note: 'The Bill became the Health and Care Act 2022. Its sections 65Z5 and 65Z6 let ICBs, trusts and foundation trusts delegate functions to each other, exercise functions jointly and form joint committees, though NHS England recommended that ICBs did not delegate functions to providers in 2022/23.',
    source: { document: 'confed-survey-2023', section: 'Delegated responsibilities from ICBs' },
  },
  // Survey, "Relationships with ICBs": "having only been set up in July 2022".
  'icbs-july-2022': {
    note: 'The Health and Care Act 2022 put ICSs on a statutory footing: integrated care boards were set up as statutory bodies in July 2022, not April 2022.',
    source: { document: 'confed-survey-2023', section: 'Relationships with ICBs' },
  },
  // Webinar, national policy slide: "become part of a provider collaborative by July 2022".
  'providers-by-july-2022': {
    note: "NHS England's 2022/23 webinar gave the date as July 2022: every NHS provider of acute and mental health services, specialist trusts included, to be part of a provider collaborative by then.",
    source: { document: 'nhse-webinar-2022', section: 'NHSE has set an expectation that all NHS providers of acute and mental health' },
  },
};
