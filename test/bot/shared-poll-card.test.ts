import { describe, expect, it } from 'vitest';
import { SharedPollCards } from '../../src/bot/shared-poll-card.js';
import type { Collaborative, Poll, Vote } from '../../src/decisions/index.js';
import { aCollaborative, aPoll, aVote } from '../store/builders.js';

const poll = aPoll();
const votes = [aVote('poll-1', 'org-a'), aVote('poll-1', 'org-b', 'object')];
const collaborative = aCollaborative('acute');

describe('the shared poll card, rendered once per version of what it shows', () => {
  it.each<[string, Poll, Vote[], Collaborative, 'reused' | 'rendered']>([
    ['the same poll, vote objects and collaborative version', { ...poll }, [...votes], collaborative, 'reused'],
    ['the poll changed (closed)', { ...poll, status: 'closed' }, votes, collaborative, 'rendered'],
    ['a vote replaced, even by an equal one', poll, [votes[0]!, { ...votes[1]! }], collaborative, 'rendered'],
    ['a vote more', poll, [...votes, aVote('poll-1', 'org-c')], collaborative, 'rendered'],
    ['another collaborative version', poll, votes, { ...collaborative }, 'rendered'],
  ])('%s: %s', (_case, nextPoll, nextVotes, nextCollaborative, want) => {
    const cards = new SharedPollCards();
    let renders = 0;
    const render = () => ({ type: 'AdaptiveCard', n: (renders += 1) });
    const first = cards.card(poll, votes, collaborative, render);
    const second = cards.card(nextPoll, nextVotes, nextCollaborative, render);
    expect(renders).toBe(want === 'reused' ? 1 : 2);
    expect(second === first).toBe(want === 'reused');
  });
});
