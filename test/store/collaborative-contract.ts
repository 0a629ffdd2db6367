import { describe, expect, it } from 'vitest';
import { ConflictError, type Store } from '../../src/store/store.js';
import { DEFAULT_BINDING } from '../../src/membership/model.js';
import { tagAgendas } from '../../src/store/tag-agendas.js';
import { aCollaborative, anAgenda, aVersion, CHAIR } from './builders.js';

// The builders live with the other store builders (the crash-test writer, a plain child process, uses them too).
export { aCollaborative, aVersion };

const binding = (conversationId: string, collaborativeId: string) => ({ conversationId, collaborativeId, by: CHAIR, at: '2025-03-01T10:00:00.000Z' });

/** Store contract, issue 19: versioned collaboratives, each change audited, and conversation bindings. */
export function collaborativeContract(store: () => Store): void {
  describe('collaboratives: versioned, audited, bound to conversations', () => {
    it('keeps every version and answers the current one', async () => {
      for (const n of [1, 2, 3]) await store().saveCollaborativeVersion(aVersion('acute', n));
      expect(await store().getCollaborative('acute')).toEqual(aVersion('acute', 3));
      expect((await store().collaborativeHistory('acute')).map((v) => v.version)).toEqual([1, 2, 3]);
      expect(await store().getCollaborative('missing')).toBeUndefined();
    });

    it('hands out the current version so no caller can change it: a change throws or leaves the record as it was', async () => {
      await store().saveCollaborativeVersion(aVersion('acute', 1));
      const read = (await store().getCollaborative('acute'))!;
      const tryTo = (change: () => void) => { try { change(); } catch { /* a frozen record refuses */ } };
      tryTo(() => { read.collaborative.name = 'Renamed by a caller'; });
      tryTo(() => { read.collaborative.members.pop(); });
      expect(await store().getCollaborative('acute')).toEqual(aVersion('acute', 1));
    });

    it.each([
      ['version 1 again (two set-ups at once)', [1], 1],
      ['version 2 again (two secretaries changed version 1)', [1, 2], 2],
      ['a version that skips one', [1], 3],
      ['a first version numbered 2', [], 2],
    ])('refuses %s as a conflict, writing nothing', async (_case, saved, attempt) => {
      for (const n of saved) await store().saveCollaborativeVersion(aVersion('acute', n));
      await expect(store().saveCollaborativeVersion({ ...aVersion('acute', attempt), by: { aadObjectId: 'someone-else', name: '' } })).rejects.toBeInstanceOf(ConflictError);
      expect((await store().collaborativeHistory('acute')).map((v) => v.by.aadObjectId)).toEqual(saved.map(() => CHAIR.aadObjectId));
    });

    it('writes one audit event per change: who, when, before and after', async () => {
      await store().saveCollaborativeVersion(aVersion('acute', 1));
      await store().saveCollaborativeVersion(aVersion('acute', 2));
      const events = await store().readAudit({ subject: 'acute' });
      expect(events.map((e) => [e.action, e.by, e.at, e.detail['version']])).toEqual([
        ['collaborative.changed', CHAIR, aVersion('acute', 1).at, 1],
        ['collaborative.changed', CHAIR, aVersion('acute', 2).at, 2],
      ]);
      expect(events[1]?.detail).toMatchObject({ before: aVersion('acute', 1).collaborative, after: aVersion('acute', 2).collaborative });
    });

    it('lists the current version of each collaborative', async () => {
      await store().saveCollaborativeVersion(aVersion('mental-health', 1));
      await store().saveCollaborativeVersion(aVersion('acute', 1));
      await store().saveCollaborativeVersion(aVersion('acute', 2));
      expect((await store().listCollaboratives()).map((v) => [v.collaborativeId, v.version])).toEqual([['acute', 2], ['mental-health', 1]]);
    });

    it('finds a conversation\'s collaborative by its binding, else the default, else none', async () => {
      await store().saveCollaborativeVersion(aVersion('acute', 1));
      await store().saveCollaborativeVersion(aVersion('community', 1));
      expect(await store().collaborativeFor('team-1')).toBeUndefined();
      await store().bindConversation(binding('*', 'acute'));
      await store().bindConversation(binding('team-2', 'community'));
      expect((await store().collaborativeFor('team-1'))?.collaborativeId).toBe('acute');
      expect((await store().collaborativeFor('team-2'))?.collaborativeId).toBe('community');
      await store().bindConversation(binding('team-2', 'acute'));
      expect((await store().collaborativeFor('team-2'))?.collaborativeId).toBe('acute');
      expect((await store().listBindings()).map((b) => [b.conversationId, b.collaborativeId])).toEqual([['*', 'acute'], ['team-2', 'acute']]);
      expect((await store().readAudit({ subject: 'community' })).map((e) => e.action)).toEqual(['collaborative.changed', 'collaborative.bound']);
    });

    it('refuses to bind a conversation to a collaborative that does not exist', async () => {
      await expect(store().bindConversation(binding('team-1', 'nowhere'))).rejects.toThrow(/no collaborative nowhere/);
      expect(await store().listBindings()).toEqual([]);
    });

    it('tags agendas stored before they named a collaborative with their conversation\'s, else the default; once, and leaves tagged ones alone', async () => {
      await store().saveCollaborativeVersion(aVersion('acute', 1));
      await store().saveCollaborativeVersion(aVersion('mental-health', 1));
      await store().bindConversation(binding(DEFAULT_BINDING, 'acute'));
      await store().bindConversation(binding('team-mh', 'mental-health'));
      await store().putAgenda(anAgenda('in-mh', 1, { conversationId: 'team-mh' }));
      await store().putAgenda(anAgenda('elsewhere', 2, { conversationId: 'chat-1' }));
      await store().putAgenda(anAgenda('already', 1, { conversationId: 'team-mh', collaborativeId: 'acute' }));
      expect(await tagAgendas(store())).toBe(2);
      const tagged = Object.fromEntries((await store().listAgendas()).map((agenda) => [agenda.id, [agenda.collaborativeId, agenda.current.version]]));
      expect(tagged).toEqual({ 'in-mh': ['mental-health', 1], elsewhere: ['acute', 2], already: ['acute', 1] });
      expect(await tagAgendas(store())).toBe(0);
    });
  });
}
