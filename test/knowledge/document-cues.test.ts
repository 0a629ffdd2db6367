import { describe, expect, it } from 'vitest';
import { documentCues } from '../../src/knowledge/document-cues.js';
import { createKnowledgeIndex } from '../../src/knowledge/search.js';
import type { KnowledgeEntry } from '../../src/knowledge/schema.js';

describe('the paper a question names', () => {
  it.each([
    ['lead provider % in confed survey', ['confed-survey-2023']],
    ['what does the stepwise paper say about mergers', ['stepwise-design-2021']],
    ['wat does step 2 of the stepwize aproach involve', ['stepwise-design-2021']],
    ['NUH view on specialised services', ['nuh-insight-2021']],
    ['per the nhse webinar, are fragile services a priority', ['nhse-webinar-2022']],
    ['what does the national guidance say about clinical leadership', ['trft-board-2021']],
    ['why was Rotherham FT licence condition lifted', ['trft-board-2021']],
    ['the NUH deck and the national guidance on objectives', ['nuh-insight-2021', 'trft-board-2021']],
    // "the guidance" alone is said of every source; "insight" alone is an ordinary word.
    ['what does the guidance say about quorum', []],
    ['any insight on voting rules', []],
  ])('%s → %o', (question, want) => expect([...documentCues(question)].sort()).toEqual(want));
});

const entry = (id: string, document: KnowledgeEntry['sources'][number]['document']): KnowledgeEntry => ({
  id,
  question: 'Which governance models do collaboratives use?',
  phrasings: [],
  answer: 'Most use a provider leadership board; some use committees in common.',
  tags: ['governance models'],
  sources: [{ document, section: 'Governance' }],
  followUps: [],
  updates: [],
});

describe('ranking when the question names a paper', () => {
  const index = createKnowledgeIndex([entry('stepwise-models', 'stepwise-design-2021'), entry('survey-models', 'confed-survey-2023')]);

  it.each([
    ['which governance models do collaboratives use, per the survey', 'survey-models'],
    ['which governance models do collaboratives use in the stepwise paper', 'stepwise-models'],
  ])('%s → %s first', (question, want) => expect(index.search(question).candidates[0]?.entry.id).toBe(want));

  it('ranks both alike when no paper is named', () => {
    const [first, second] = index.search('which governance models do collaboratives use').candidates;
    expect(first?.rank).toBe(second?.rank);
  });
});
