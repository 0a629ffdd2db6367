import { describe, expect, it } from 'vitest';
import { createAnswerer } from '../../src/knowledge/answer.js';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeBase } from '../../src/knowledge/load.js';
import type { KnowledgeEntry } from '../../src/knowledge/schema.js';
import { outOfScope } from '../../src/knowledge/scope.js';
import { termOf } from '../../src/knowledge/text.js';

/** A small KB of our own, so the engine's mechanics are tested apart from the shipped content. */
const fixture: KnowledgeEntry[] = [
  ['locked-gateway', 'What is a locked gateway?', ['gateway stages', 'can an agreed stage be reopened'], 'A stage once decided is not reopened unless that is in the best interest of the public.', ['gateways']],
  ['committees-in-common', 'What is a committee in common?', ['how do committees in common work'], 'Each trust board delegates to its own committee; the committees meet together and take aligned decisions.', ['governance']],
  ['provider-leadership-board', 'What is a provider leadership board?', ['CEOs board running the collaborative'], 'Chief executives of the member trusts meet as a board to agree shared priorities and plans.', ['governance']],
  ['majority-vs-consensus', 'Can one trust block a collaborative decision?', ['majority voting', 'consensus or majority'], 'Members may agree to adopt the decision supported by a majority, so a single trust cannot block it.', ['decisions']],
  ['joint-venture', 'What is a joint venture between trusts?', ['corporate vehicle'], 'Two or more trusts set up a separate company they jointly own to run a shared service.', ['legal forms']],
  ['integrated-care-system', 'What is an integrated care system?', ['ICS purpose'], 'A partnership of organisations that plan and deliver joined-up health and care services for a population.', ['systems']],
  ['dispute-resolution', 'How are disputes resolved in a provider collaborative?', ['disagreement between trusts'], 'Members agree a dispute resolution process in advance, escalating from the chief executives to an independent mediator.', ['decisions']],
].map(([id, question, phrasings, answer, tags]) => ({
  id: id as string,
  question: question as string,
  phrasings: phrasings as string[],
  answer: answer as string,
  tags: tags as string[],
  sources: [{ document: 'trft-board-2021' as const, section: 'Options for strengthening decision-making' }],
  followUps: id === 'majority-vs-consensus' ? ['dispute-resolution'] : [],
  updates: [],
}));

describe('answering on a small fixture KB', () => {
  const { answer } = createAnswerer(fixture);

  it.each([
    ['what is a locked gatway', 'locked-gateway'],
    ['comittees in comon', 'committees-in-common'],
    ['provider leadershp board', 'provider-leadership-board'],
  ])('forgives the typo in %j → %s', (question, id) => {
    expect(answer(question)).toMatchObject({ answered: true, entryId: id });
  });

  it.each([
    ['what is a CiC', 'committees-in-common'],
    ['what is a PLB', 'provider-leadership-board'],
    ['what is a JV', 'joint-venture'],
    ['what does ICS stand for', 'integrated-care-system'],
    ['can one trust veto a decision', 'majority-vs-consensus'],
  ])('expands the acronym or synonym in %j → %s', (question, id) => {
    expect(answer(question)).toMatchObject({ answered: true, entryId: id });
  });

  it.each([
    ['gateway', 'locked-gateway'],
    ['disputes', 'dispute-resolution'],
    ['gatew', 'locked-gateway'],
    ['dispuets', 'dispute-resolution'],
  ])('answers the one-word, partial or mistyped query %j → %s', (question, id) => {
    expect(answer(question)).toMatchObject({ answered: true, entryId: id });
  });

  it('returns the source with the document title, and the follow-ups as questions', () => {
    const result = answer('can a single trust block a decision');
    expect(result.sources).toEqual([
      { document: 'trft-board-2021', section: 'Options for strengthening decision-making', title: expect.stringContaining('NHS England'), published: 'Aug 2021' },
    ]);
    expect(result.followUps).toEqual([{ id: 'dispute-resolution', question: 'How are disputes resolved in a provider collaborative?' }]);
    expect(result.reason).toBe('answered');
  });

  it('ends an overtaken answer with what changed since, and cites the later source with its date', () => {
    const dated = fixture.map((entry) => (entry.id === 'committees-in-common' ? { ...entry, updates: ['act-2022' as const] } : entry));
    const result = createAnswerer(dated).answer('what is a committee in common');
    expect(result.entryId).toBe('committees-in-common');
    expect(result.answer).toMatch(/^Each trust board delegates[^]*\n\nSince then: The Bill became the Health and Care Act 2022\./);
    expect(result.sources.map((source) => [source.document, source.published])).toEqual([
      ['trft-board-2021', 'Aug 2021'],
      ['confed-survey-2023', 'Mar 2023'],
    ]);
  });

  it.each([
    ['', 'empty'],
    ['   ?  ', 'empty'],
    ['what is it', 'empty'],
    ['zebra crossing maintenance schedule', 'low-confidence'],
  ])('does not answer %j (%s) and offers at most three suggestions', (question, reason) => {
    const result = answer(question);
    expect(result).toMatchObject({ answered: false, reason, sources: [] });
    expect(result.answer).toMatch(/provider collaboratives/);
    expect(result.suggestions.length).toBeGreaterThan(0);
    expect(result.suggestions.length).toBeLessThanOrEqual(3);
  });

  it('says "I don\'t know that one yet" when unsure, suggesting the nearest entries', () => {
    const result = answer('how are gateway stages scored by the regulator in wales');
    expect(result.answered).toBe(false);
    expect(result.answer).toMatch(/^I don't know that one yet/);
    expect(result.suggestions).toContain('What is a locked gateway?');
  });

  it('keeps confidence within 0..1', () => {
    for (const question of ['gateway', 'what is a CiC', 'weather in Leeds', '', 'zebra']) {
      const { confidence } = answer(question);
      expect(confidence).toBeGreaterThanOrEqual(0);
      expect(confidence).toBeLessThanOrEqual(1);
    }
  });
});

describe('questions out of scope are never answered from the KB', () => {
  const { answer } = createAnswerer(loadKnowledgeBase(DEFAULT_KNOWLEDGE_DIR).entries);

  it.each([
    ['what are the symptoms of sepsis', 'clinical'],
    ['what dose of paracetamol for a child', 'clinical'],
    ['my patient has chest pain in a lead provider trust', 'clinical'],
    ['how do I refer a patient to CAMHS', 'clinical'],
    ['is the booster vaccine safe in pregnancy', 'clinical'],
    ['how do I view my payslip', 'hr-it'],
    ['how much annual leave do I get', 'hr-it'],
    ['I am locked out, reset my password', 'hr-it'],
    ['the VPN on my laptop keeps dropping', 'hr-it'],
    ['Teams is not working', 'hr-it'],
    ['what is the weather in Rotherham', 'general'],
    ['what is the capital of France', 'general'],
    ["what is our trust's current CQC rating", 'general'],
    ['what is the collaborative budget this year', 'general'],
    ['can I swap my rota this weekend', 'hr-it'],
    ['who is the mayor of Leeds', 'general'],
    ['who won the football', 'general'],
    ['hi', 'chit-chat'],
    ['how are you', 'chit-chat'],
    ['tell me a joke', 'chit-chat'],
  ])('%j → %s', (question, scope) => {
    const result = answer(question);
    expect(result).toMatchObject({ answered: false, reason: 'out-of-scope', scope, sources: [] });
    expect(result.answer).toMatch(/provider collaboratives/);
    expect(result.suggestions.length).toBeGreaterThan(0);
  });

  it('points clinical questions to a clinician, NHS 111 or 999', () => {
    expect(answer('what is the treatment for a fever').answer).toMatch(/clinician, NHS 111, or 999 in an emergency/);
  });

  it.each([
    'can a trust leave the collaborative',
    'jab uptake across SYB',
    'standardising sepsis pathways across trusts',
    'does the south west collab do CAMHS + eating disorders',
    'what is the role of clinical networks',
    'how do committees in common take decisions',
    'what is a PC',
    'help with decision making',
    'cancer alliances',
    'what did the mayor of south yorkshire say about bassetlaw',
    "our trusts' rota systems and patient records don't talk to each other - what does the guidance say about digital",
    "what CQC rating did BSUH reach after shared leadership",
    'our collaborative is setting its priorities for next year - what did the survey say about inequalities',
  ])('does not mistake the guidance question %j for an out-of-scope one', (question) => {
    expect(outOfScope(question)).toBeNull();
  });
});

describe('answering on the shipped KB', () => {
  const { answer } = createAnswerer(loadKnowledgeBase(DEFAULT_KNOWLEDGE_DIR).entries);

  it.each([
    ['what is a locked gatway', 'guidance-locked-gateways'],
    ['what is a provider colaborative', 'guidance-what-is-provider-collaborative'],
    ['how do committes in common work', 'guidance-committees-in-common'],
    ['what is a PLB', 'guidance-provider-leadership-board'],
    ['what is a CiC', 'guidance-committees-in-common'],
    ['can one trust veto a decision', 'guidance-majority-vs-consensus'],
    ['what is the role of MH trusts', 'guidance-mental-health-providers'],
    ['VCSE', 'guidance-voluntary-sector'],
    ['gateway', 'guidance-locked-gateways'],
    ['vanguards', 'webinar-timeline-vanguards'],
    ['WYAAT', 'guidance-wyaat'],
    ['dispute resolution', 'guidance-dispute-resolution'],
    ['who gets a vote on a category 2 decision', 'guidance-categorised-decisions'],
    // Staff shorthand for names in the documents.
    ['how many CDCs in cheshire', 'webinar-cmast-capacity-productivity-results'],
    ['PTL', 'webinar-example-humber-coast-vale'],
    ['SW mental health collaborative', 'webinar-sw-mhpc-about'],
    ['councils and collaboratives', 'guidance-local-authorities'],
    // One word family: "decide" finds "decisions are taken".
    ['how does CMAST decide', 'webinar-cmast-decision-making'],
    // A year the entry mentions.
    ['what was the elective recovery fund target in 2021', 'trft-elective-recovery'],
  ])('%j → %s', (question, id) => {
    expect(answer(question)).toMatchObject({ answered: true, entryId: id });
  });

  it('does not answer for a year the knowledge base never mentions', () => {
    expect(answer('what is the elective recovery fund target for 2030')).toMatchObject({ answered: false, reason: 'low-confidence' });
  });
});

describe('text processing', () => {
  it.each([
    ['decision', 'decide'],
    ['delivery', 'delivering'],
    ['disagreement', 'disagree'],
    ['prioritise', 'priorities'],
  ])('folds %j and %j onto one term', (a, b) => {
    expect(termOf(a)).toBe(termOf(b));
  });

  it('keeps "authority" (a council, delegated powers) apart from "authors"', () => {
    expect(termOf('authority')).toBe(termOf('authorities'));
    expect(termOf('authority')).not.toBe(termOf('authors'));
  });

  it.each(['between', 'according', 'per', 'figure'])('treats %j as filler', (word) => {
    expect(termOf(word)).toBeNull();
  });
});
