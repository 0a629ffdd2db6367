import { describe, expect, it } from 'vitest';
import { maskPersonalDetails } from '../../src/shared/redact.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { message, post } from '../support/activities.js';
import { useTestConcord } from '../support/concord.js';

describe('item 11: what the question log keeps', () => {
  it.each([
    ['patient 943 476 5919 is waiting', 'patient [NHS number] is waiting'],
    ['NHS no 9434765919.', 'NHS no [NHS number].'],
    ['number 943-476-5919', 'number [NHS number]'],
    ['mail jo.bloggs@nhs.net please', 'mail [e-mail] please'],
    ['ring 07700 900123', 'ring [phone]'],
    ['ring +44 7700 900123', 'ring [phone]'],
    ['ring +44 (0)20 7946 0958', 'ring [phone]'],
    ['ring (020) 7946 0958 today', 'ring [phone] today'],
    ['ring 0114 496 0000', 'ring [phone]'],
    ['P173/21 on 2026-12-01 at 09:30', 'P173/21 on 2026-12-01 at 09:30'],
    ['42 trusts, 1,000 staff, 2021 to 2026', '42 trusts, 1,000 staff, 2021 to 2026'],
  ])('%j → %j', (text, want) => expect(maskPersonalDetails(text)).toBe(want));

  it('keeps only the category of a question refused as clinical or personal, and masks the rest', async () => {
    const running = await useTestConcord();
    await post(running.url, message(running.connector.url, 'what dosage of paracetamol for patient 943 476 5919?'));
    await post(running.url, message(running.connector.url, 'how do I claim my expenses, email me at sam.patel@nhs.net'));
    await post(running.url, message(running.connector.url, 'what is a lead provider model? call 07700 900123 or email sam.patel@nhs.net'));
    await running.connector.waitFor(() => running.connector.sent().length === 3);
    const logged = await running.store.listQuestions();
    expect(logged.map((entry) => [entry.withheld, entry.question])).toEqual([
      ['clinical', ''],
      ['personal', ''],
      [undefined, 'what is a lead provider model? call [phone] or email [e-mail]'],
    ]);
    expect(JSON.stringify(logged)).not.toMatch(/943|5919|sam\.patel|07700/);
  });

  it.each([
    [undefined, ['recent']],
    ['200', ['old', 'recent']],
  ])('CONCORD_RETENTION_DAYS=%s: questions older are deleted when Concord starts', async (days, kept) => {
    const now = new Date('2026-06-01T12:00:00.000Z');
    const store = createMemoryStore();
    await store.logQuestion({ id: 'old', question: 'q', answered: true, confidence: 1, askedBy: 'aad-1', at: '2026-01-01T12:00:00.000Z' });
    await store.logQuestion({ id: 'recent', question: 'q', answered: true, confidence: 1, askedBy: 'aad-1', at: '2026-05-01T12:00:00.000Z' });
    await store.recordFeedback({ questionId: 'old', helpful: true, by: 'aad-1', at: '2026-05-02T12:00:00.000Z' });
    const running = await useTestConcord(days ? { CONCORD_RETENTION_DAYS: days } : {}, { store, clock: { now: () => now } });
    expect((await store.listQuestions()).map((entry) => entry.id)).toEqual(kept);
    expect((await store.listFeedback()).length).toBe(kept.includes('old') ? 1 : 0);
  });
});
