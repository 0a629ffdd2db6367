import { beforeEach, describe, expect, it } from 'vitest';
import { ALEX, cardAction, message, post, type Member } from '../support/activities.js';
import { useTestConcord, type TestConcord } from '../support/concord.js';
import { cardOf, textOf } from '../support/fake-connector.js';
import { expectSubmitFallbacks } from '../support/cards.js';

// The sample collaborative (data/collaborative.json): Alex chairs and is secretariat, Megan represents Barnsley.
const MEGAN: Member = { aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
const NEWCOMER: Member = { aadObjectId: 'aad-newcomer', name: 'Nia Newcomer' };
const ROSTER = [ALEX, MEGAN, NEWCOMER, { aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' }];

let running: TestConcord;
beforeEach(async () => {
  running = await useTestConcord();
  running.connector.roster = ROSTER.map((person) => ({ id: `29:${person.aadObjectId}`, ...person }));
});

type Mode = 'Action.Execute' | 'Action.Submit';
const MODES: Mode[] = ['Action.Execute', 'Action.Submit'];

/** Presses a card button either way Teams can send it, and returns the card Concord answered with. */
async function press(mode: Mode, verb: string, data: Record<string, unknown>, options: { from?: Member; team?: string } = {}): Promise<Record<string, unknown> | undefined> {
  const conversationId = options.team ? `19:${options.team}@thread.tacv2` : 'conversation-1';
  const base = cardAction(running.connector.url, verb, data, { from: options.from, conversationId });
  const activity = options.team ? { ...base, channelData: { ...base.channelData, team: { id: options.team } } } : base;
  if (mode === 'Action.Execute') {
    const response = await post(running.url, activity);
    return (response.body as { value?: Record<string, unknown> }).value;
  }
  // A shared reply updates the pressed card (PUT); a refusal is posted as a new message.
  const before = running.connector.calls.length;
  await post(running.url, { ...activity, type: 'message', name: undefined, value: { verb, ...data } });
  await running.connector.waitFor(() => running.connector.calls.slice(before).some((call) => cardOf(call) !== undefined));
  return cardOf(running.connector.calls.slice(before).find((call) => cardOf(call) !== undefined));
}

async function say(text: string, from: Member = ALEX, team?: string): Promise<Record<string, unknown> | undefined> {
  const before = running.connector.sent().length;
  const base = message(running.connector.url, text, { from, conversationId: team ? `19:${team}@thread.tacv2` : 'conversation-1' });
  await post(running.url, team ? { ...base, channelData: { ...base.channelData, team: { id: team } } } : base);
  await running.connector.waitFor(() => running.connector.sent().length > before);
  return cardOf(running.connector.sent().at(-1));
}

const sampleId = 'south-yorkshire-acute-federation-sample';
const current = async () => (await running.store.getCollaborative(sampleId))!;

describe('members: the card', () => {
  it('shows the secretariat every member with people by display name, never by id, with Submit fallbacks', async () => {
    const card = await say('members');
    // What a person reads: the card's body (the action forms hold the ids as choice values).
    const text = textOf(card?.['body']);
    expect(text).toContain('Barnsley Hospital NHS Foundation Trust');
    expect(text).toContain('Megan Bowen');
    expect(text).toContain('Alex Wilber');
    expect(text).not.toContain(MEGAN.aadObjectId);
    expect(JSON.stringify(card)).toContain('graph.microsoft.com/users?scope=currentContext');
    // The roster fallback for clients without the people picker.
    expect(JSON.stringify(card)).toContain('Nia Newcomer');
    expectSubmitFallbacks(card!);
  });

  it('refuses anyone but the secretariat politely', async () => {
    expect(textOf(await say('members', MEGAN))).toContain('Only the secretariat can do that');
  });
});

describe.each(MODES)('membership verbs by %s', (mode) => {
  it.each([
    ['membership.add', { addName: 'Chesterfield Royal Hospital', addPeople: NEWCOMER.aadObjectId }, (c: Awaited<ReturnType<typeof current>>) => c.collaborative.members.some((m) => m.name === 'Chesterfield Royal Hospital' && m.representatives[0] === NEWCOMER.aadObjectId)],
    ['membership.rename', { changeMember: 'barnsley', renameName: 'Barnsley Hospital' }, (c: Awaited<ReturnType<typeof current>>) => c.collaborative.members.some((m) => m.id === 'barnsley' && m.name === 'Barnsley Hospital')],
    ['membership.retire', { changeMember: 'sheffield-childrens' }, (c: Awaited<ReturnType<typeof current>>) => !c.collaborative.members.some((m) => m.id === 'sheffield-childrens')],
    ['membership.assign', { assignRole: 'representatives', assignMember: 'barnsley', assignPeople: `${NEWCOMER.aadObjectId}` }, (c: Awaited<ReturnType<typeof current>>) => c.collaborative.members.find((m) => m.id === 'barnsley')?.representatives.join() === NEWCOMER.aadObjectId],
    ['membership.assign', { assignRole: 'observers', assignPeople: `${NEWCOMER.aadObjectId}` }, (c: Awaited<ReturnType<typeof current>>) => c.collaborative.observers?.join() === NEWCOMER.aadObjectId],
    ['membership.rule', { ruleValue: 'majority-members' }, (c: Awaited<ReturnType<typeof current>>) => c.collaborative.defaultRule.kind === 'majority'],
  ] as const)('%s %o by the secretariat makes version 2, audited', async (verb, data, check) => {
    const card = await press(mode, verb, { version: '1', ...data });
    expect(textOf(card)).toContain('Saved as version 2');
    const version = await current();
    expect(version.version).toBe(2);
    expect(check(version)).toBe(true);
    const audit = (await running.store.readAudit({ subject: sampleId })).filter((e) => e.action === 'collaborative.changed');
    expect(audit.at(-1)).toMatchObject({ by: { aadObjectId: ALEX.aadObjectId }, detail: { version: 2 } });
  });

  it.each([
    ['a representative', MEGAN, { version: '1', changeMember: 'barnsley', renameName: 'X' }, 'Only the secretariat can do that'],
    ['the secretariat from an old card', ALEX, { version: '7', changeMember: 'barnsley', renameName: 'X' }, 'Changed meanwhile'],
    ['the secretariat, for an unknown member', ALEX, { version: '1', changeMember: 'nowhere', renameName: 'X' }, 'Member not found'],
  ])('refuses %s, changing nothing', async (_who, from, data, title) => {
    expect(textOf(await press(mode, 'membership.rename', data, { from }))).toContain(title);
    expect((await current()).version).toBe(1);
  });

  it('setup in a team without a collaborative: the person becomes secretariat and chair; a second setup is refused', async () => {
    const card = await press(mode, 'membership.setup', { collaborativeName: 'Mental Health Collaborative', firstMember: 'Trust A', setupPeople: MEGAN.aadObjectId, ruleValue: 'consensus' }, { from: NEWCOMER, team: 'team-mh' });
    expect(textOf(card)).toContain('Mental Health Collaborative is set up for this team');
    const bound = await running.store.collaborativeFor('team-mh');
    expect(bound?.collaborative).toMatchObject({ name: 'Mental Health Collaborative', chairs: [NEWCOMER.aadObjectId], secretariat: [NEWCOMER.aadObjectId] });
    const again = await press(mode, 'membership.setup', { collaborativeName: 'Another', firstMember: 'Trust B', setupPeople: MEGAN.aadObjectId }, { from: ALEX, team: 'team-mh' });
    expect(textOf(again)).toContain('Already set up');
    // The sample is still the default elsewhere, unchanged.
    expect((await running.store.collaborativeFor('conversation-1'))?.collaborativeId).toBe(sampleId);
  });
});

describe('the roster list beside the people picker (clients without the picker, e.g. the Agents Playground)', () => {
  it.each([
    ['membership.setup', { collaborativeName: 'Community', firstMember: 'Trust C', setupRoster: MEGAN.aadObjectId }, 'team-roster', NEWCOMER],
    ['membership.add', { version: '1', addName: 'Chesterfield Royal Hospital', addRoster: NEWCOMER.aadObjectId }, undefined, ALEX],
    ['membership.assign', { version: '1', assignRole: 'chairs', assignPeople: ALEX.aadObjectId, assignRoster: NEWCOMER.aadObjectId }, undefined, ALEX],
  ] as const)('%s takes the people chosen in the roster list, with the picker\'s', async (verb, data, team, from) => {
    const card = await press('Action.Execute', verb, data, { from, team });
    expect(textOf(card)).toMatch(/set up for this team|Saved as version 2/);
    const saved = (await running.store.collaborativeFor(team ?? 'conversation-1'))!.collaborative;
    const chosen = { 'membership.setup': saved.members[0]?.representatives, 'membership.add': saved.members.find((m) => m.name === 'Chesterfield Royal Hospital')?.representatives, 'membership.assign': saved.chairs }[verb];
    expect(chosen).toEqual(verb === 'membership.setup' ? [MEGAN.aadObjectId] : verb === 'membership.add' ? [NEWCOMER.aadObjectId] : [ALEX.aadObjectId, NEWCOMER.aadObjectId]);
  });

  it('the form offers the roster as its own list, without the picker\'s query', async () => {
    const form = await say('setup', NEWCOMER, 'team-new');
    const roster = JSON.stringify(form).includes('"id":"setupRoster"');
    expect(roster).toBe(true);
    const input = (form!['body'] as Record<string, unknown>[]).find((element) => element['id'] === 'setupRoster')!;
    expect(input['choices.data']).toBeUndefined();
    expect(JSON.stringify(input['choices'])).toContain('Nia Newcomer');
  });

  it('refuses a setup with nobody chosen in either, politely, changing nothing', async () => {
    const card = await press('Action.Execute', 'membership.setup', { collaborativeName: 'Nobody', firstMember: 'Trust N' }, { from: NEWCOMER, team: 'team-empty' });
    expect(textOf(card)).not.toContain('set up for this team');
    expect(await running.store.collaborativeFor('team-empty')).toMatchObject({ collaborativeId: sampleId });
  });
});

describe('setup command', () => {
  it('offers the form in a team that has none, and says who it belongs to otherwise', async () => {
    const form = await say('setup', NEWCOMER, 'team-new');
    expect(JSON.stringify(form)).toContain('membership.setup');
    expectSubmitFallbacks(form!);
    await press('Action.Execute', 'membership.setup', { collaborativeName: 'Community', firstMember: 'Trust C', setupPeople: NEWCOMER.aadObjectId }, { from: NEWCOMER, team: 'team-new' });
    expect(textOf(await say('setup', ALEX, 'team-new'))).toContain('already belongs to Community');
  });
});

describe('membership changes reach polls and the register', () => {
  it('a replaced representative can no longer cast on an open poll, and the poll keeps the members it opened with', async () => {
    await press('Action.Execute', 'poll.open', { title: 'Shared theatre lists', proposal: 'Agree shared lists', category: '1', rule: 'consensus' });
    const poll = (await running.store.listPolls())[0]!;
    expect(poll.collaborativeId).toBe(sampleId);
    await press('Action.Execute', 'membership.assign', { version: '1', assignRole: 'representatives', assignMember: 'barnsley', assignPeople: NEWCOMER.aadObjectId });
    await press('Action.Execute', 'membership.retire', { version: '2', changeMember: 'sheffield-childrens' });
    const refused = await press('Action.Execute', 'poll.vote', { pollId: poll.id, positionValue: 'support' }, { from: MEGAN });
    expect(textOf(refused)).toContain('Only a member organisation’s named representative or deputy');
    await press('Action.Execute', 'poll.vote', { pollId: poll.id, positionValue: 'support' }, { from: NEWCOMER });
    expect((await running.store.votes(poll.id)).map((v) => [v.organisationId, v.castBy.aadObjectId])).toEqual([['barnsley', NEWCOMER.aadObjectId]]);
    expect((await running.store.getPoll(poll.id))?.membersInScope).toContain('sheffield-childrens');
  });

  it('"decisions" in a team shows its own collaborative\'s register only', async () => {
    await press('Action.Execute', 'membership.setup', { collaborativeName: 'Mental Health', firstMember: 'Trust M', setupPeople: NEWCOMER.aadObjectId }, { from: NEWCOMER, team: 'team-mh' });
    const open = async (title: string, from: Member, team?: string) => {
      await press('Action.Execute', 'poll.open', { title, proposal: 'Agree it', category: '1', rule: 'consensus' }, { from, team });
      const poll = (await running.store.listPolls()).find((p) => p.title === title)!;
      await press('Action.Execute', 'poll.close', { pollId: poll.id }, { from, team });
    };
    await open('Acute only decision', ALEX);
    await open('Mental health only decision', NEWCOMER, 'team-mh');
    const acute = textOf(await say('decisions', ALEX));
    const mentalHealth = textOf(await say('decisions', NEWCOMER, 'team-mh'));
    expect(acute).toContain('Acute only decision');
    expect(acute).not.toContain('Mental health only decision');
    expect(mentalHealth).toContain('Mental health only decision');
    expect(mentalHealth).not.toContain('Acute only decision');
  });

  it.each(MODES)('an outcome is shown or changed only in its own collaborative\'s conversations (%s)', async (mode) => {
    await press('Action.Execute', 'membership.setup', { collaborativeName: 'Mental Health', firstMember: 'Trust M', setupPeople: NEWCOMER.aadObjectId }, { from: NEWCOMER, team: 'team-mh' });
    await press('Action.Execute', 'poll.open', { title: 'Mental health bed base', proposal: 'Agree it', category: '1', rule: 'consensus' }, { from: NEWCOMER, team: 'team-mh' });
    const poll = (await running.store.listPolls()).find((p) => p.title === 'Mental health bed base')!;
    await press('Action.Execute', 'poll.close', { pollId: poll.id }, { from: NEWCOMER, team: 'team-mh' });
    const outcome = (await running.store.getOutcomeByPoll(poll.id))!;
    // Alex chairs the acute collaborative and presses the mental health outcome's id from the acute channel.
    const shown = await press(mode, 'outcome.show', { outcomeId: outcome.id });
    expect(textOf(shown)).toContain('Outcome not found');
    expect(textOf(shown)).not.toContain('Mental health bed base');
    const added = await press(mode, 'outcome.addAction', { outcomeId: outcome.id, who: 'Alex', what: 'Write to the ICB', when: 'May' });
    expect(textOf(added)).toContain('Outcome not found');
    expect((await running.store.getOutcome(outcome.id))?.actions).toEqual([]);
    // In its own team the same press shows it.
    const before = running.connector.sent().length;
    await press('Action.Execute', 'outcome.show', { outcomeId: outcome.id }, { from: NEWCOMER, team: 'team-mh' });
    await running.connector.waitFor(() => running.connector.sent().slice(before).some((call) => textOf(cardOf(call)).includes('Mental health bed base')));
  });

  it.each(MODES)('an agenda belongs to the collaborative it was posted in: only its own people edit it or start polls from it (%s)', async (mode) => {
    await press('Action.Execute', 'membership.setup', { collaborativeName: 'Mental Health', firstMember: 'Trust M', setupPeople: NEWCOMER.aadObjectId }, { from: NEWCOMER, team: 'team-mh' });
    const mentalHealthId = (await running.store.collaborativeFor('team-mh'))!.collaborativeId;
    await say('agenda Meeting: MH Board\nDate: 2026-12-01\nStart: 09:30\nM1/26 | Crisis beds | N Newcomer | decision | 20 | Agree the bed base', NEWCOMER, 'team-mh');
    await say('agenda Meeting: Acute Board\nDate: 2026-12-02\nStart: 10:00\nA1/26 | Theatres | A Wilber | decision | 20', ALEX);
    const agendas = await running.store.listAgendas();
    const mentalHealth = agendas.find((agenda) => agenda.current.meeting.title === 'MH Board')!;
    expect(mentalHealth.collaborativeId).toBe(mentalHealthId);
    expect(agendas.find((agenda) => agenda.current.meeting.title === 'Acute Board')?.collaborativeId).toBe(sampleId);

    // Alex chairs the acute collaborative; from its channel, the mental health agenda is not his.
    const agendaId = mentalHealth.id;
    expect(textOf(await press(mode, 'agenda.edit', { agendaId }))).toContain('belongs to another collaborative');
    expect(textOf(await press(mode, 'agenda.save', { agendaId, expectedVersion: '1', title: 'Taken over', date: '2026-12-01', startTime: '09:30', items: 'M1/26 | Crisis beds | X | decision | 5' }))).toContain('belongs to another collaborative');
    expect((await running.store.getAgenda(agendaId))?.current.version).toBe(1);
    expect(textOf(await press(mode, 'poll.start', { agendaId, itemRef: 'M1/26' }))).toContain('belongs to another collaborative');
    expect(textOf(await press(mode, 'poll.open', { agendaId, itemRefValue: 'M1/26', title: 'Crisis beds', proposal: 'Agree it', category: '1', rule: 'consensus' }))).toContain('belongs to another collaborative');
    expect(await running.store.listPolls()).toEqual([]);

    // Its own chair, in its own team, puts the item to a poll of that collaborative.
    await press('Action.Execute', 'poll.open', { agendaId, itemRefValue: 'M1/26', title: 'Crisis beds', proposal: 'Agree it', category: '1', rule: 'consensus' }, { from: NEWCOMER, team: 'team-mh' });
    expect((await running.store.listPolls()).map((poll) => [poll.agenda?.itemRef, poll.collaborativeId])).toEqual([['M1/26', mentalHealthId]]);
  });
});
