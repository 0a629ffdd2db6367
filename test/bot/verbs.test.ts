import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { VERB, verbRoutes, verbTable, type FeatureVerbs } from '../../src/bot/verbs.js';
import type { Turn, Verb } from '../../src/bot/verb.js';

const CARDS = new URL('../../cards/', import.meta.url);
const verbsInCards = (): string[] => readdirSync(CARDS).filter((name) => name.endsWith('.json')).flatMap((name) =>
  [...readFileSync(new URL(name, CARDS), 'utf8').matchAll(/"verb"\s*:\s*"([^"]+)"/g)].map((match) => match[1] ?? ''));

const handled: string[] = [];
const stub = (name: string): Verb<unknown> => ({
  input: z.unknown(),
  handle: async () => { handled.push(name); return { kind: 'refusal', title: name, message: '' }; },
});
const features: FeatureVerbs = {
  guidance: { ask: stub(VERB.answerAsk), feedback: stub(VERB.answerFeedback) },
  agendas: { edit: stub(VERB.agendaEdit), save: stub(VERB.agendaSave), declareInterest: stub(VERB.agendaDeclareInterest), handleInterest: stub(VERB.agendaHandleInterest) },
  polls: {
    start: stub(VERB.pollStart), open: stub(VERB.pollOpen), vote: stub(VERB.pollVote), onBehalf: stub(VERB.pollOnBehalf), onBehalfForm: stub(VERB.pollOnBehalfForm),
    refresh: stub(VERB.pollRefresh), close: stub(VERB.pollClose), remind: stub(VERB.pollRemind), reopen: stub(VERB.pollReopen),
  },
  interests: { declare: stub(VERB.interestDeclare), handle: stub(VERB.interestHandle) },
  register: { show: stub(VERB.outcomeShow), addAction: stub(VERB.outcomeAddAction) },
  membership: {
    setup: stub(VERB.membershipSetup), add: stub(VERB.membershipAdd), rename: stub(VERB.membershipRename),
    retire: stub(VERB.membershipRetire), assign: stub(VERB.membershipAssign), rule: stub(VERB.membershipRule),
  },
};
const rows = verbTable(features);

describe('the verb table', () => {
  it('has one row per verb name, each with its own handler', async () => {
    expect(rows.map((row) => row.name).sort()).toEqual(Object.values(VERB).sort());
    for (const row of rows) await row.verb.handle({} as Turn, {});
    expect(handled).toEqual(rows.map((row) => row.name));
  });

  it('answers every verb the cards send, and every verb it answers is on a card', () => {
    expect([...new Set(verbsInCards())].sort()).toEqual(Object.values(VERB).sort());
  });

  it('remembers the conversation before the verbs whose shared card is refreshed later', async () => {
    const remembered: string[] = [];
    const routes = verbRoutes(rows, async (turn) => { remembered.push(turn.conversationId); });
    for (const name of Object.values(VERB)) await routes.get(name)?.handle({ conversationId: name } as Turn, {});
    expect(remembered.sort()).toEqual([VERB.agendaSave, VERB.agendaDeclareInterest, VERB.agendaHandleInterest, VERB.interestDeclare, VERB.interestHandle, VERB.pollOnBehalf, VERB.pollOpen, VERB.pollVote].sort());
  });
});
