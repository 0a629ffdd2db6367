import { expect, it } from 'vitest';
import { cardAction, message, post, type Member } from '../support/activities.js';
import { useTestConcord } from '../support/concord.js';
import { cardOf, textOf } from '../support/fake-connector.js';

const SECRETARY: Member = { aadObjectId: 'aad-secretary', name: 'Sam Secretary' };
const REP_A: Member = { aadObjectId: 'aad-rep-a', name: 'Asha Rep' };
const REP_B: Member = { aadObjectId: 'aad-rep-b', name: 'Ben Rep' };
const TEAM = 'team-board';

/** README, "From an empty team to the first recorded decision": no file is edited on the way. */
it('goes from an empty team to a first recorded decision in Teams alone', async () => {
  const running = await useTestConcord({ CONCORD_COLLABORATIVE_FILE: 'none' });
  const concord = running;
  concord.connector.roster = [SECRETARY, REP_A, REP_B].map((person) => ({ id: `29:${person.aadObjectId}`, ...person }));
  const inTeam = <T extends { channelData: Record<string, unknown> }>(activity: T) => ({ ...activity, conversation: { id: `19:${TEAM}@thread.tacv2`, conversationType: 'channel', tenantId: 'tenant-1' }, channelData: { ...activity.channelData, team: { id: TEAM } } });
  const press = async (verb: string, data: Record<string, unknown>, from: Member) =>
    (await post(concord.url, inTeam(cardAction(concord.connector.url, verb, data, { from })))).body as { value?: Record<string, unknown> };

  expect(await concord.store.listCollaboratives()).toEqual([]);
  await post(concord.url, inTeam(message(concord.connector.url, 'poll', { from: SECRETARY })));
  await concord.connector.waitFor(() => concord.connector.sent().length === 1);
  expect(textOf(cardOf(concord.connector.sent()[0]))).toContain('No collaborative here yet');

  const setUp = await press('membership.setup', { collaborativeName: 'Acute Collaborative', firstMember: 'Trust A', setupPeople: REP_A.aadObjectId, ruleValue: 'majority-members' }, SECRETARY);
  expect(textOf(setUp.value)).toContain('Acute Collaborative is set up for this team');
  const added = await press('membership.add', { version: '1', addName: 'Trust B', addPeople: REP_B.aadObjectId }, SECRETARY);
  expect(textOf(added.value?.['body'])).toContain('Ben Rep');

  await press('poll.open', { title: 'Shared pathology', proposal: 'Share pathology services', category: '1', rule: 'majority', basis: 'members' }, SECRETARY);
  const poll = (await concord.store.listPolls())[0]!;
  expect(poll.membersInScope).toEqual(['trust-a', 'trust-b']);
  await press('poll.vote', { pollId: poll.id, positionValue: 'support' }, REP_A);
  await press('poll.vote', { pollId: poll.id, positionValue: 'support' }, REP_B);
  await press('poll.close', { pollId: poll.id }, SECRETARY);
  const outcome = await concord.store.getOutcomeByPoll(poll.id);
  expect(outcome).toMatchObject({ result: 'agreed', title: 'Shared pathology' });
  expect(outcome?.positions.map((p) => p.organisationId)).toEqual(['trust-a', 'trust-b']);
});
