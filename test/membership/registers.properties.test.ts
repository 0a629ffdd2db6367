import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BINDING } from '../../src/membership/model.js';
import { visibleOutcomes } from '../../src/server/tab/visible-outcomes.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { aCollaborative } from '../store/collaborative-contract.js';
import { anOutcome, aPoll, CHAIR } from '../store/builders.js';

/**
 * Issue 19: two collaboratives in one deployment. Whatever polls are opened in either (or before
 * collaboratives existed, so in the default), each register holds exactly its own collaborative's
 * outcomes: the two never mix, and together they are the whole register.
 */
const owner = fc.constantFrom<'acute' | 'mental-health' | 'legacy'>('acute', 'mental-health', 'legacy');
const pollsArb = fc.array(fc.tuple(owner, fc.boolean()), { minLength: 0, maxLength: 25 });

describe('two collaboratives\' registers never mix', () => {
  it('in the store, for the register card, the export and the tab', async () => {
    await fc.assert(fc.asyncProperty(pollsArb, async (specs) => {
      const store = createMemoryStore();
      try {
        const at = '2025-03-01T09:00:00.000Z';
        const chairOf = { acute: 'aad-acute-chair', 'mental-health': 'aad-mh-chair' } as const;
        for (const id of ['acute', 'mental-health'] as const) {
          await store.saveCollaborativeVersion({ collaborativeId: id, version: 1, collaborative: aCollaborative(id, { chairs: [chairOf[id]], secretariat: [chairOf[id]] }), change: { kind: 'import', source: 'test' }, by: CHAIR, at });
        }
        await store.bindConversation({ conversationId: DEFAULT_BINDING, collaborativeId: 'acute', by: CHAIR, at });
        const ownerOf = new Map<string, 'acute' | 'mental-health'>();
        for (const [index, [who, closed]] of specs.entries()) {
          const id = `poll-${index}`;
          await store.createPoll(aPoll({ id, ...(who === 'legacy' ? {} : { collaborativeId: who }) }));
          ownerOf.set(id, who === 'legacy' ? 'acute' : who);
          if (closed) await store.transitionPoll(id, 'open', 'closed', { closedBy: CHAIR, closedAt: '2025-03-01T11:00:00.000Z' }, anOutcome(id));
        }
        const all = await store.listOutcomes();
        const registerOf = (id: string) => store.listOutcomes({ collaboratives: { ids: [id], defaultId: 'acute' } });
        const acute = await registerOf('acute');
        const mentalHealth = await registerOf('mental-health');
        expect(acute.every((o) => ownerOf.get(o.pollId) === 'acute')).toBe(true);
        expect(mentalHealth.every((o) => ownerOf.get(o.pollId) === 'mental-health')).toBe(true);
        expect([...acute, ...mentalHealth].map((o) => o.id).sort()).toEqual(all.map((o) => o.id).sort());
        expect(await store.countOutcomes({ collaboratives: { ids: ['acute'], defaultId: 'acute' } })).toBe(acute.length);
        // The tab: each chair reads their own collaborative's register, a stranger reads nothing.
        expect(await visibleOutcomes(store, chairOf.acute, {})).toEqual(acute);
        expect(await visibleOutcomes(store, chairOf['mental-health'], {})).toEqual(mentalHealth);
        expect(await visibleOutcomes(store, 'aad-stranger', {})).toEqual([]);
      } finally {
        await store.close();
      }
    }), { numRuns: 60 });
  });
});
