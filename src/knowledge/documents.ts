/**
 * The five source documents the knowledge base is built from
 * (see ../shared/sources/README.md). Entries cite them by id. `published` is shown on every
 * answer: guidance written in 2021 predates the Health and Care Act 2022.
 */
export const SOURCE_DOCUMENTS = {
  'trft-board-2021': {
    title: 'Working together at scale: guidance on provider collaboratives (NHS England and NHS Improvement, Aug 2021), in The Rotherham NHS FT Board papers, 10 Sep 2021',
    shortTitle: 'NHS England guidance on provider collaboratives',
    published: 'Aug 2021',
  },
  'nhse-webinar-2022': {
    title: 'Integrated Care webinar: provider collaboratives (NHS England with SCIE, 2022/23)',
    shortTitle: 'NHS England webinar on provider collaboratives',
    published: '2022/23',
  },
  'stepwise-design-2021': {
    title: 'A stepwise approach to designing provider collaboratives (Teneo, Hill Dickinson and Dalton Consulting, Feb 2021)',
    shortTitle: 'A stepwise approach to designing provider collaboratives',
    published: 'Feb 2021',
  },
  'confed-survey-2023': {
    title: 'The evolution of provider collaboration (NHS Confederation and NHS Providers, Mar 2023)',
    shortTitle: 'The evolution of provider collaboration survey',
    published: 'Mar 2023',
  },
  'nuh-insight-2021': {
    title: 'Provider Collaboratives – NUH Insight (Nottingham University Hospitals NHS Trust, Jun 2021)',
    shortTitle: 'Provider Collaboratives – NUH Insight',
    published: 'Jun 2021',
  },
} as const;

export type DocumentId = keyof typeof SOURCE_DOCUMENTS;
export const DOCUMENT_IDS = Object.keys(SOURCE_DOCUMENTS) as [DocumentId, ...DocumentId[]];
