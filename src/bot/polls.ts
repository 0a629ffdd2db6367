import { isDeepStrictEqual } from 'node:util';
import { ActivityTypes, type Activity } from 'botbuilder';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Agenda } from '../agenda/model.js';
import { StartPollFromAgendaInput } from '../agenda/actions.js';
import {
  DEADLINE_CLOSER, castVote, closePoll, defaultBasis, defaultRuleText, isDue, openPoll, reopenPoll, rolesOf, memberName, sameProgramme,
  type Collaborative, type CloseError, type Poll, type PollError, type ReopenError, type Vote, type VoteError,
} from '../decisions/index.js';
import { VoteInput } from '../decisions/vote.js';
import { OnBehalfInput, recordOnBehalf, type OnBehalfError } from '../decisions/on-behalf.js';
import { DeclareInput, HandleInput, declarationText, declareInterest, handleInterest, type InterestError } from '../decisions/interests.js';
import { interestRefusalText } from './interest-refusals.js';
import type { Declaration } from '../decisions/declaration.js';
import { declarationsForItem } from '../decisions/item-interests.js';
import type { Result } from '../shared/result.js';
import { reminderFor, type ReminderMessage } from '../decisions/reminders.js';
import { ukDateTime } from '../shared/format.js';
import type { Position } from '../decisions/model.js';
import type { Attendance } from '../decisions/attendance.js';
import { POSITION_DETAILS, ownPositionsNote, toOnBehalfFormData, toPollCardData, type ViewerNote } from '../decisions/poll-card.js';
import { awaitingPositions, toPendingCardData } from '../decisions/pending.js';
import { stageInWords } from '../decisions/gateway.js';
import type { Person } from '../people/model.js';
import type { Outcome } from '../decisions/outcome.js';
import type { AuditEvent, Store } from '../store/store.js';
import type { Clock, NewId } from '../shared/clock.js';
import { KeyedBatcher } from './keyed-batcher.js';
import { KeyedQueue } from './keyed-queue.js';
import type { CardUpdater } from './card-updater.js';
import { DEFAULT_BINDING } from '../membership/model.js';
import { collaborativeOfPoll } from '../membership/scope.js';
import type { CardJson, CardRenderer } from './render.js';
import { refusalCard, sendCard } from './send.js';
import { fitCard } from './fit-card.js';
import { SharedPollCards } from './shared-poll-card.js';
import { refusal, verb, type Turn, type VerbReply } from './verb.js';

export interface PollDependencies {
  readonly store: Store;
  /**
   * The collaborative a turn acts in (its team's or chat's, else the default), and the one a poll
   * decides for. Read at every step, never held: a membership change applies to the next vote.
   */
  readonly collaborativeForTurn: (turn: Turn) => Promise<Collaborative | undefined>;
  readonly collaborativeForPoll: (poll: Poll) => Promise<Collaborative>;
  /** The collaborative an agenda belongs to: only its chair, in its own team, starts polls from it (issue 19). */
  readonly collaborativeForAgenda: (agenda: Agenda) => Promise<Collaborative | undefined>;
  readonly renderer: CardRenderer;
  readonly clock: Clock;
  readonly newId: NewId;
  readonly logger: Logger;
  readonly cardUpdater: CardUpdater;
  /** Hands a logged outcome to the secretariat (posts it, retrying; never loses it). */
  readonly publishOutcome: (outcome: Outcome) => void;
  /** The agenda card as it stands, re-sent when "Start poll" is pressed on it. */
  readonly agendaCard: (agenda: Agenda, collaborative?: Collaborative) => CardJson;
  /** In a Teams meeting: which members are in the call as the poll opens (bot/meetings.ts). */
  readonly attendanceFor?: (turn: Turn) => Promise<Attendance | undefined>;
  /** In a Teams meeting: shows the opened poll in the call (in-meeting notification). */
  readonly announcePoll?: (turn: Turn, poll: Poll) => Promise<void>;
}

/** A position from the member's own representative (from a card, or from the meeting bubble page whose SSO token names the person), or one recorded on its behalf by the chair or secretariat. */
type VoteRequest = { person: Person; now: Date; input: VoteInput } | { person: Person; now: Date; onBehalf: OnBehalfInput };
/** The reply for the card pressed, and the note in it (the `pending` card shows the note over itself). */
type VoteOutcome = { reply: VerbReply; note?: ViewerNote };
/** A vote button's data; `returnTo` says it was pressed on the `pending` card. */
const PollVoteInput = VoteInput.extend({ returnTo: z.enum(['pending']).optional() });
const PollIdInput = z.object({ pollId: z.string().trim().min(1).max(100) });
const ReopenCardInput = z.object({ pollId: z.string().trim().min(1).max(100), reopenReason: z.string().max(1500).default('') });
/** The form's fields as Teams sends them; PollInput (in the core) checks each one. */
const PollFormCardInput = z.object({
  agendaId: z.string().max(100).optional(),
  itemRefValue: z.string().max(30).optional(),
}).catchall(z.unknown());

/**
 * The poll card with the most detail that fits in a Teams message (see PositionDetail); every
 * level shows every member's position.
 */
export const renderPollCard = (renderer: CardRenderer, poll: Poll, votes: readonly Vote[], collaborative: Collaborative): CardJson =>
  fitCard(POSITION_DETAILS, (detail) => renderer.render('poll', toPollCardData(poll, votes, collaborative, detail)));

const FORM_FIELDS = ['title', 'proposal', 'rule', 'threshold', 'quorum', 'category', 'affectedMembers', 'gatewayProgramme', 'gatewayStage', 'reopenReason', 'closesAt', 'closesInMinutes', 'hidePositions', 'reminders'] as const;

/**
 * Polls in Teams: the chair opens one from a form (or from an agenda item), representatives
 * record their organisation's position, the chair (or the closing time) closes it. Every step
 * runs through the pure decision core; this file only moves data between Teams, the core and
 * the store, one poll at a time.
 */
export function polls(deps: PollDependencies) {
  const { store, renderer } = deps;
  const noCollaborative = () => refusal('No collaborative here yet', 'Type "setup" to set one up for this team, then open polls in it. Nothing was changed.');
  const agendaElsewhere = () => refusal('That agenda belongs to another collaborative', 'Polls on its items are started by its own chair, in its own team. Nothing was changed.');
  // Handlers for one poll run one at a time, so each sees the previous one's write.
  const queue = new KeyedQueue();

  /**
   * The card everyone sees; a person who just acted also gets a note at the top of their copy.
   * The shared part is rendered once and the note added to each copy, so a batch of 200 voters
   * costs one render of a 200-member card, not 200.
   */
  const withNote = (card: CardJson, note?: ViewerNote): CardJson =>
    note ? { ...card, body: [renderer.render('viewer-note', note), ...(card.body as unknown[])] } : card;
  const sharedCards = new SharedPollCards();
  const sharedCard = (poll: Poll, votesNow: readonly Vote[], collaborative: Collaborative): CardJson =>
    sharedCards.card(poll, votesNow, collaborative, () => renderPollCard(renderer, poll, votesNow, collaborative));
  const pollCard = async (poll: Poll, note?: ViewerNote): Promise<CardJson> =>
    withNote(sharedCard(poll, await store.votes(poll.id), await deps.collaborativeForPoll(poll)), note);


  const refreshShared = (poll: Poll) => {
    if (!poll.activityId) return;
    const pollId = poll.id;
    deps.cardUpdater.request(poll.conversationId, poll.activityId, async () => {
      const latest = await store.getPoll(pollId);
      return latest ? pollCard(latest) : renderer.render('message', { title: 'Poll not found', message: '', hint: '', tone: 'warning' });
    });
  };

  const formCard = (collaborative: Collaborative, prefill: { title?: string; proposal?: string; agendaId?: string; itemRef?: string; note?: string }) =>
    renderer.render('poll-form', {
      collaborative: collaborative.name,
      agendaNote: prefill.note ?? '',
      titleValue: prefill.title ?? '',
      proposalValue: prefill.proposal ?? '',
      ruleValue: collaborative.defaultRule.kind,
      basisValue: defaultBasis(collaborative),
      defaultRuleText: defaultRuleText(collaborative),
      programmeValue: '',
      members: collaborative.members.map((member) => ({ name: member.name, organisationId: member.id })),
      agendaId: prefill.agendaId ?? '',
      itemRefValue: prefill.itemRef ?? '',
    });

  const notChair = (collaborative: Collaborative) => refusal('Only the chair can do that', `Opening, closing and reopening polls is for the chair of ${collaborative.name}. Nothing was changed.`);

  /** An audit event about a poll's record: the store writes it in the same atomic step as the record. */
  const event = (action: 'poll.opened' | 'poll.closed' | 'poll.reopened' | 'outcome.logged', by: Person, subject: string, at: Date, detail: Record<string, unknown> = {}): AuditEvent =>
    ({ action, by, subject, at: at.toISOString(), detail });
  /** Audit events for actions that change no vote or poll status (declarations, reminders). */
  const audit = (action: 'poll.opened' | 'poll.closed' | 'poll.reopened' | 'vote.cast' | 'vote.changed' | 'outcome.logged' | 'interest.declared' | 'interest.handled' | 'poll.reminded', by: Person, subject: string, at: Date, detail: Record<string, unknown> = {}) =>
    store.appendAudit({ action, by, subject, at: at.toISOString(), detail });

  /** Closes a poll once: the store's conditional transition decides which closer wins. */
  const close = async (poll: Poll, by: Person | 'deadline', now: Date): Promise<{ poll: Poll; outcome?: Outcome; error?: CloseError }> => {
    const votesRead = await store.votes(poll.id);
    const collaborative = await deps.collaborativeForPoll(poll);
    const closed = closePoll({ poll, votes: votesRead, collaborative, by, now, newOutcomeId: deps.newId });
    if (!closed.ok) return { poll, error: closed.error };
    const { poll: closedPoll } = closed.value;
    let { outcome } = closed.value;
    const closer = by === 'deadline' ? DEADLINE_CLOSER : by;
    const stored = await store.transitionPoll(poll.id, 'open', 'closed', { closedBy: closedPoll.closedBy, closedAt: closedPoll.closedAt }, outcome, [
      event('poll.closed', closer, poll.id, now, { result: outcome.result, outcomeId: outcome.id }),
      event('outcome.logged', closer, outcome.id, now, { pollId: poll.id, status: outcome.status }),
    ]);
    if (!stored) {
      const current = await store.getPoll(poll.id);
      return { poll: current ?? poll, error: { kind: 'poll-closed' } };
    }
    outcome = await recountAfterClose(poll, votesRead, outcome, by, now);
    deps.publishOutcome(outcome);
    return { poll: stored, outcome };
  };

  /**
   * The per-poll queue orders votes and the close within this process only. Another instance on the
   * same store may record a vote between our read of the votes and our close; the store accepts it
   * (the poll was still open) and its voter was told "Recorded". No vote can land after the close,
   * so the votes read now are final: if they differ, the outcome is tallied again, under the same
   * id, before anyone sees it.
   */
  const recountAfterClose = async (poll: Poll, votesRead: Vote[], outcome: Outcome, by: Person | 'deadline', now: Date): Promise<Outcome> => {
    const final = await store.votes(poll.id);
    if (isDeepStrictEqual(final, votesRead)) return outcome;
    const collaborative = await deps.collaborativeForPoll(poll);
    const recounted = closePoll({ poll, votes: final, collaborative, by, now, newOutcomeId: () => outcome.id });
    if (!recounted.ok) return outcome;
    deps.logger.info({ pollId: poll.id, outcomeId: outcome.id, votesRead: votesRead.length, votesFinal: final.length }, 'a vote landed through another instance while closing; outcome recounted');
    const updated = await store.updateOutcome(outcome.id, (current) => ({ ...recounted.value.outcome, delivery: current.delivery, actions: current.actions }));
    return updated ?? outcome;
  };

  /**
   * Votes on one poll, handled as a batch (see KeyedBatcher): each is checked by the pure core,
   * the accepted ones are written in one durable step that only succeeds while the poll is open,
   * then every voter gets their own view of the card, rendered from what was stored.
   */
  const recordVoteBatch = async (pollId: string, requests: VoteRequest[]): Promise<VoteOutcome[]> => {
    const poll = await store.getPoll(pollId);
    if (!poll) return requests.map(() => ({ reply: refusal('Poll not found', 'That poll is no longer on record. Nothing was changed.') }));
    const notes: (ViewerNote | undefined)[] = [];
    // Why each refused request was refused (a VoteError kind), for the turn's log line.
    const refusals: (string | undefined)[] = [];
    const accepted: { index: number; vote: Vote; person: Person; now: Date }[] = [];
    // The current version: a representative replaced since the poll opened can no longer cast.
    const collaborative = await deps.collaborativeForPoll(poll);
    requests.forEach((request, index) => {
      const { person, now } = request;
      if ('onBehalf' in request) {
        const recorded = recordOnBehalf({ poll, collaborative, recorder: person, input: request.onBehalf, now });
        if (recorded.ok) accepted.push({ index, vote: recorded.value, person: person, now });
        else notes[index] = { text: onBehalfRefusalText(recorded.error), tone: 'warning' };
        return;
      }
      const cast = castVote({ poll, collaborative, voter: person, input: request.input, now });
      if (cast.ok) accepted.push({ index, vote: cast.value, person: person, now });
      else {
        notes[index] = { text: voteRefusalText(cast.error), tone: 'warning' };
        refusals[index] = cast.error.kind;
      }
    });
    if (accepted.length > 0) {
      // The votes' audit events are written in the same durable step as the votes (issue 15).
      const voteEvents = (previousVotes: readonly (Vote | undefined)[]): AuditEvent[] => accepted.flatMap(({ vote, person, now }, position) => {
        const previous = previousVotes[position];
        // Who stands behind a position is part of the record: a representative confirming a
        // position recorded on the member's behalf (or the reverse) is audited as a change too.
        const reattributed = previous !== undefined && (previous.onBehalf?.note !== vote.onBehalf?.note || previous.castBy.aadObjectId !== vote.castBy.aadObjectId);
        if (previous && previous.position === vote.position && !reattributed) return [];
        return [{
          action: previous ? 'vote.changed' : 'vote.cast', by: person, subject: poll.id, at: now.toISOString(),
          detail: {
            organisationId: vote.organisationId, position: vote.position, previous: previous?.position, binding: vote.binding,
            ...(vote.onBehalf ? { onBehalf: true, note: vote.onBehalf.note } : {}),
            ...(previous?.onBehalf ? { previousOnBehalf: { by: previous.castBy, note: previous.onBehalf.note } } : {}),
          },
        } satisfies AuditEvent];
      });
      const written = await store.recordVotes(poll.id, accepted.map(({ vote }) => vote), voteEvents);
      if (!written.recorded) {
        for (const { index } of accepted) {
          notes[index] = { text: voteRefusalText({ kind: 'poll-closed' }), tone: 'warning' };
          refusals[index] = 'poll-closed';
        }
      } else {
        accepted.forEach(({ index, vote }, position) => {
          const previous = written.previous[position];
          const changed = previous !== undefined && previous.position !== vote.position;
          const name = memberName(collaborative, vote.organisationId);
          notes[index] = {
            tone: 'good',
            text: vote.onBehalf
              ? `Recorded on behalf of ${name}: ${positionWords(vote.position)}${vote.binding ? '' : ' (a non-binding view)'}. Its representative or deputy can change it until the poll closes.`
              : changed
                ? `Changed: ${name} now ${positionWords(vote.position)} (was ${positionWords(previous.position)}).`
                : `Recorded: ${name} ${positionWords(vote.position)}${vote.binding ? '' : ' (a non-binding view)'}. You can change it until the poll closes.`,
          };
        });
        refreshShared(poll);
      }
    }
    // Rendered once per batch, from what was stored: every voter in the batch sees the same record,
    // with the members the batch's votes were checked against (a second copy of a 200-member
    // collaborative cost about 0.25 ms; the positions are still read back from the store).
    const stored = (await store.getPoll(poll.id)) ?? poll;
    const shared = sharedCard(stored, await store.votes(poll.id), collaborative);
    return requests.map((_, index): VoteOutcome => {
      const refused = refusals[index];
      const note = notes[index];
      const reply: VerbReply = { kind: 'card', card: withNote(shared, note) };
      if (note) reply.confirmation = note.text;
      if (refused) reply.refused = refused;
      return { reply, note };
    });
  };
  const votes = new KeyedBatcher<VoteRequest, VoteOutcome>(queue, recordVoteBatch);

  /** The `pending` card for one person, as the store stands now. */
  const pendingCard = async (turn: Turn, note?: ViewerNote): Promise<CardJson> => {
    const { person, now } = turn;
    // The polls of this conversation's collaborative (issue 19): names and scopes come from it.
    const collaborative = await deps.collaborativeForTurn(turn);
    if (!collaborative) return renderer.render('pending', toPendingCardData([], undefined, note));
    const everyOpen = await store.listPolls({ status: 'open' });
    const open: Poll[] = [];
    for (const poll of everyOpen) if ((await deps.collaborativeForPoll(poll)).id === collaborative.id) open.push(poll);
    const votesByPoll = new Map(await Promise.all(open.map(async (poll) => [poll.id, await store.votes(poll.id)] as const)));
    return renderer.render('pending', toPendingCardData(awaitingPositions(open, votesByPoll, collaborative, person.aadObjectId, now), collaborative, note));
  };

  const commandPending = async (turn: Turn): Promise<void> => {
    await sendCard(turn.context, await pendingCard(turn));
  };

  /** Records a position for `person` outside a card (the meeting bubble page), through the same batch and core. */
  const castFor = async (person: Person, now: Date, input: VoteInput): Promise<{ recorded: boolean; message: string }> => {
    const { note } = await votes.submit(input.pollId, { person, now, input });
    return { recorded: note?.tone === 'good', message: note?.text ?? 'Nothing was changed.' };
  };

  const commandPoll = async (turn: Turn, proposal: string): Promise<void> => {
    const collaborative = await deps.collaborativeForTurn(turn);
    if (!collaborative || !rolesOf(collaborative, turn.person.aadObjectId).isChair) {
      await sendCard(turn.context, refusalCard(renderer, collaborative ? notChair(collaborative) : noCollaborative()));
      return;
    }
    await sendCard(turn.context, formCard(collaborative, { proposal }));
  };

  const verbs = {
    start: verb(StartPollFromAgendaInput, async (turn, input) => {
      const agenda = await store.getAgenda(input.agendaId);
      const item = agenda?.current.items.find((candidate) => candidate.ref === input.itemRef);
      if (!agenda || !item) return refusal('That agenda item has changed', 'I could not find that item on the current agenda; it may have been edited. Nothing was changed.');
      const collaborative = await deps.collaborativeForTurn(turn);
      if (!collaborative) return noCollaborative();
      if ((await deps.collaborativeForAgenda(agenda))?.id !== collaborative.id) return agendaElsewhere();
      if (!rolesOf(collaborative, turn.person.aadObjectId).isChair) return notChair(collaborative);
      await sendCard(turn.context, formCard(collaborative, {
        // The reference travels separately (the agenda link) and heads the register entry.
        title: item.title,
        proposal: item.recommendation || item.title,
        agendaId: agenda.id,
        itemRef: item.ref,
        note: `For agenda item ${item.ref}, ${agenda.current.meeting.title}`,
      }));
      // Teams replaces the pressed card with the reply: give back the agenda as it is.
      return { kind: 'card', card: deps.agendaCard(agenda, collaborative) };
    }),

    open: verb(PollFormCardInput, async (turn, input) => {
      // "none" is the form's own choice for "not a gateway decision" (a choice needs a value).
      const formValues = Object.fromEntries(FORM_FIELDS
        .filter((field) => input[field] !== undefined && !(field === 'gatewayStage' && input[field] === 'none'))
        .map((field) => [field, input[field]]));
      let agendaLink: Poll['agenda'];
      // Declarations made on the agenda item before the poll opened travel with it (item-interests.ts).
      let itemDeclarations: Declaration[] = [];
      let agendaOwner: string | undefined;
      if (input.agendaId) {
        // The reference heads the register entry, so it is taken from the stored agenda, never
        // from the card: an item that is not on the current agenda is refused.
        const agenda = await store.getAgenda(input.agendaId);
        const item = agenda?.current.items.find((candidate) => candidate.ref === input.itemRefValue);
        if (!agenda || !item) return refusal('That agenda item has changed', 'I could not find that item on the current agenda; it may have been edited. Nothing was changed.');
        agendaLink = { agendaId: agenda.id, itemRef: item.ref, meetingTitle: agenda.current.meeting.title, meetingDate: agenda.current.meeting.date };
        itemDeclarations = declarationsForItem(agenda, item.ref);
        agendaOwner = (await deps.collaborativeForAgenda(agenda))?.id;
      }
      const collaborative = await deps.collaborativeForTurn(turn);
      if (!collaborative) return noCollaborative();
      // The poll would belong to this team's collaborative: an item of another's agenda cannot be put to it.
      if (agendaLink && agendaOwner !== collaborative.id) return agendaElsewhere();
      // Gateways are locked per collaborative: another collaborative's programme of the same name is not this one's.
      const defaultId = (await store.collaborativeFor(DEFAULT_BINDING))?.collaborativeId;
      // Only this collaborative's gateway decisions: the embedded store reads those files, not the whole register (issue 22).
      const outcomes = await store.listOutcomes({ gateway: true, collaboratives: { ids: [collaborative.id], defaultId } });
      const opened = openPoll({
        input: agendaLink ? { ...formValues, agenda: agendaLink } : formValues,
        collaborative,
        by: turn.person,
        now: turn.now,
        newId: deps.newId,
        conversationId: turn.conversationId,
        gatewayHistory: outcomes,
      });
      if (!opened.ok && opened.error.kind === 'invalid') {
        // Keep what the chair typed: the form comes back with the problems listed above it.
        const text = (field: string) => (typeof input[field] === 'string' ? input[field] : '');
        return {
          kind: 'card',
          card: formCard(collaborative, { title: text('title'), proposal: text('proposal'), agendaId: input.agendaId, itemRef: input.itemRefValue, note: `Please check: ${opened.error.issues.join('; ')}` }),
        };
      }
      if (!opened.ok) return pollRefusal(opened.error);
      const poll = { ...opened.value, activityId: turn.cardActivityId, collaborativeId: collaborative.id, ...(itemDeclarations.length > 0 ? { declarations: itemDeclarations } : {}) };
      if (poll.gateway) {
        const gateway = poll.gateway;
        // A stage is decided by one poll at a time; a second open poll could lock it twice.
        const rival = (await store.listPolls({ status: 'open' })).find((other) => collaborativeOfPoll(other, defaultId) === collaborative.id &&
          other.gateway && sameProgramme(other.gateway.programme, gateway.programme) && other.gateway.stage === gateway.stage);
        if (rival) return refusal('That gateway stage already has an open poll', `“${rival.title}” is deciding the ${stageInWords(gateway.stage)} stage of ${gateway.programme}. Close it first.`);
      }
      const attendance = await deps.attendanceFor?.(turn);
      if (attendance) poll.attendance = attendance;
      await store.createPoll(poll, [event('poll.opened', turn.person, poll.id, turn.now, { title: poll.title, rule: poll.rule.kind, category: poll.category })]);
      // The poll is open and its card is the reply whatever happens here; a failed notification is logged.
      await deps.announcePoll?.(turn, poll).catch((error: unknown) => deps.logger.warn({ err: error, pollId: poll.id }, 'could not show the poll in the meeting'));
      // Read back: the store gave the poll its decision reference (D-2026-014), which the card shows.
      return { kind: 'card', card: await pollCard((await store.getPoll(poll.id)) ?? poll), shared: true };
    }),

    vote: verb(PollVoteInput, async (turn, input) => {
      const { reply, note } = await votes.submit(input.pollId, { person: turn.person, now: turn.now, input });
      // Pressed on the `pending` card: that card comes back, less what was just recorded; the
      // poll's own card in its channel is refreshed by the coalescing updater like any vote.
      if (input.returnTo === 'pending' && reply.kind === 'card') return { kind: 'card', card: await pendingCard(turn, note) } satisfies VerbReply;
      return reply;
    }),

    onBehalf: verb(OnBehalfInput, async (turn, input) => (await votes.submit(input.pollId, { person: turn.person, now: turn.now, onBehalf: input })).reply),

    // The form lists every member, so it is a card of its own rather than part of everyone's poll card.
    onBehalfForm: verb(PollIdInput, async (turn, input) => {
      const poll = await store.getPoll(input.pollId);
      if (!poll) return refusal('Poll not found', 'That poll is no longer on record.');
      const collaborative = await deps.collaborativeForPoll(poll);
      const roles = rolesOf(collaborative, turn.person.aadObjectId);
      if (!roles.isChair && !roles.isSecretariat) return { kind: 'card', card: await pollCard(poll, { text: onBehalfRefusalText({ kind: 'not-chair-or-secretariat' }), tone: 'warning' }), refused: 'not-chair-or-secretariat' } satisfies VerbReply;
      if (poll.status !== 'open') return { kind: 'card', card: await pollCard(poll, { text: onBehalfRefusalText({ kind: 'poll-closed' }), tone: 'warning' }), refused: 'poll-closed' } satisfies VerbReply;
      return { kind: 'card', card: renderer.render('on-behalf-form', toOnBehalfFormData(poll, collaborative)) } satisfies VerbReply;
    }),

    // Teams asks for this automatically for each listed representative who has the card on screen
    // (Universal Actions refresh), so their own copy keeps showing what is on record for them.
    refresh: verb(PollIdInput, async (turn, input) => {
      const poll = await store.getPoll(input.pollId);
      if (!poll) return refusal('Poll not found', 'That poll is no longer on record.');
      const text = ownPositionsNote(poll, await store.votes(poll.id), await deps.collaborativeForPoll(poll), turn.person.aadObjectId);
      return { kind: 'card', card: await pollCard(poll, text ? { text, tone: 'good' } : undefined) } satisfies VerbReply;
    }),

    close: verb(PollIdInput, async (turn, input) => queue.run(input.pollId, async () => {
      const poll = await store.getPoll(input.pollId);
      if (!poll) return refusal('Poll not found', 'That poll is no longer on record.');
      const result = await close(poll, turn.person, turn.now);
      if (result.error) {
        if (result.error.kind === 'not-chair') return { kind: 'card', card: await pollCard(poll, { text: 'Only the chair can close this poll. Nothing was changed.', tone: 'warning' }), refused: 'not-chair' } satisfies VerbReply;
        // Already closed (another chair, the deadline or a retried press): show the result as recorded.
        return { kind: 'card', card: await pollCard(result.poll), shared: true } satisfies VerbReply;
      }
      return { kind: 'card', card: await pollCard(result.poll), shared: true } satisfies VerbReply;
    })),

    // The chair chases those not yet on record: one message in the poll's conversation that
    // @mentions the representatives and deputies of each member with no position.
    remind: verb(PollIdInput, async (turn, input) => {
      const poll = await store.getPoll(input.pollId);
      if (!poll) return refusal('Poll not found', 'That poll is no longer on record.');
      const collaborative = await deps.collaborativeForPoll(poll);
      if (!rolesOf(collaborative, turn.person.aadObjectId).isChair) return { kind: 'card', card: await pollCard(poll, { text: 'Only the chair sends reminders. Nothing was sent.', tone: 'warning' }) } satisfies VerbReply;
      const votesNow = await store.votes(poll.id);
      const reminder = poll.status === 'open' && !isDue(poll, turn.now)
        ? reminderFor(poll, votesNow, collaborative, poll.closesAt ? `${ukDateTime(poll.closesAt)} (UK time)` : undefined)
        : undefined;
      if (!reminder) {
        const text = poll.status === 'open' ? 'Every member in scope is on record: there is no one to remind.' : 'This poll is closed: there is no one to remind.';
        return { kind: 'card', card: await pollCard(poll, { text, tone: 'good' }) } satisfies VerbReply;
      }
      await turn.context.sendActivity(mentionMessage(reminder));
      await audit('poll.reminded', turn.person, poll.id, turn.now, { organisationIds: reminder.organisationIds, mentioned: reminder.mentions.length, how: 'chair' });
      const count = reminder.organisationIds.length;
      return { kind: 'card', card: await pollCard(poll, { text: `Reminder posted here for ${count === 1 ? '1 member' : `${count} members`} not yet on record (${reminder.mentions.length} people mentioned).`, tone: 'good' }) } satisfies VerbReply;
    }),

    reopen: verb(ReopenCardInput, async (turn, input) => queue.run(input.pollId, async () => {
      const poll = await store.getPoll(input.pollId);
      if (!poll) return refusal('Poll not found', 'That poll is no longer on record.');
      const reopened = reopenPoll({ poll, collaborative: await deps.collaborativeForPoll(poll), by: turn.person, reason: input.reopenReason, now: turn.now });
      if (!reopened.ok) return { kind: 'card', card: await pollCard(poll, { text: reopenRefusalText(reopened.error), tone: 'warning' }), refused: reopened.error.kind } satisfies VerbReply;
      const previous = await store.getOutcomeByPoll(poll.id);
      const stored = await store.transitionPoll(poll.id, 'closed', 'open', { closedBy: undefined, closedAt: undefined, reopenings: reopened.value.reopenings }, undefined, [
        event('poll.reopened', turn.person, poll.id, turn.now, { reason: input.reopenReason.trim(), supersedes: previous?.id }),
      ]);
      if (!stored) return { kind: 'card', card: await pollCard((await store.getPoll(poll.id)) ?? poll) } satisfies VerbReply;
      // The earlier outcome stays on the register, marked superseded, so the record shows both.
      if (previous) await store.updateOutcome(previous.id, (outcome) => ({ ...outcome, status: 'superseded' }));
      return { kind: 'card', card: await pollCard(stored), shared: true } satisfies VerbReply;
    })),
  };

  /**
   * Declarations of interest and the chair's handling: checked by the core, written under the
   * poll's lock (so a close or another instance cannot lose one), audited, and shown on the card.
   */
  const interestStep = async (turn: Turn, pollId: string, decide: (poll: Poll, collaborative: Collaborative) => Result<Declaration, InterestError>, action: 'interest.declared' | 'interest.handled'): Promise<VerbReply> =>
    queue.run(pollId, async () => {
      const poll = await store.getPoll(pollId);
      if (!poll) return refusal('Poll not found', 'That poll is no longer on record. Nothing was changed.');
      const collaborative = await deps.collaborativeForPoll(poll);
      const decided = decide(poll, collaborative);
      if (!decided.ok) return { kind: 'card', card: await pollCard(poll, { text: interestRefusalText(decided.error), tone: 'warning' }) } satisfies VerbReply;
      const stored = await store.recordDeclaration(poll.id, decided.value);
      if (!stored) return { kind: 'card', card: await pollCard((await store.getPoll(poll.id)) ?? poll, { text: interestRefusalText({ kind: 'poll-closed' }), tone: 'warning' }) } satisfies VerbReply;
      const declaration = decided.value;
      await audit(action, turn.person, poll.id, turn.now, {
        declarationId: declaration.id, organisationId: declaration.organisationId, declaredBy: declaration.declaredBy,
        description: declaration.description, handling: declaration.handling?.kind,
      });
      refreshShared(stored);
      const text = action === 'interest.declared'
        ? 'Your declaration is on the record. The chair will record whether you may take part.'
        : `Recorded: ${declarationText(declaration, (id) => memberName(collaborative, id))}.`;
      return { kind: 'card', card: await pollCard(stored, { text, tone: 'good' }) } satisfies VerbReply;
    });

  const interestVerbs = {
    declare: verb(DeclareInput, async (turn, input) => interestStep(turn, input.pollId,
      (poll, collaborative) => declareInterest({ poll, collaborative, declarer: turn.person, input, now: turn.now, newId: deps.newId }), 'interest.declared')),
    handle: verb(HandleInput, async (turn, input) => interestStep(turn, input.pollId,
      (poll, collaborative) => handleInterest({ poll, collaborative, chair: turn.person, input, now: turn.now }), 'interest.handled')),
  };

  /** Closes every open poll whose closing time has passed: on start (after downtime) and on a timer. */
  const closeDuePolls = async (): Promise<number> => {
    const now = deps.clock.now();
    let closed = 0;
    for (const poll of await store.listPolls({ status: 'open' })) {
      if (!isDue(poll, now)) continue;
      const result = await queue.run(poll.id, async () => {
        const current = await store.getPoll(poll.id);
        return current && current.status === 'open' ? close(current, 'deadline', now) : undefined;
      });
      if (result?.outcome) {
        closed += 1;
        refreshShared(result.poll);
        deps.logger.info({ pollId: poll.id, outcomeId: result.outcome.id, result: result.outcome.result }, 'poll closed at its closing time');
      }
    }
    return closed;
  };

  return { commandPoll, commandPending, verbs, interestVerbs, closeDuePolls, pollCard, castFor };
}

/** A reminder as a Teams message: each `<at>` span in the text has its mention entity (Teams resolves `mentioned.id`, an Entra object id). */
export function mentionMessage(reminder: ReminderMessage): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    text: reminder.text,
    textFormat: 'markdown',
    entities: reminder.mentions.map((mention) => ({
      type: 'mention',
      text: mention.text,
      mentioned: { id: mention.aadObjectId, name: mention.text.replace(/^<at>|<\/at>$/g, '') },
    })),
  };
}

const POSITION_VERBS: Record<Position, string> = { support: 'supports', object: 'objects', abstain: 'abstains' };
const positionWords = (position: Position): string => POSITION_VERBS[position];

function voteRefusalText(error: VoteError): string {
  switch (error.kind) {
    case 'poll-closed': return 'This poll is closed, so positions can no longer be recorded. Nothing was changed.';
    case 'not-a-representative': return 'Only a member organisation’s named representative or deputy can record its position. Nothing was changed.';
    case 'choose-organisation': return `You act for more than one member. Choose which one under “Voting for”, then press your position again.`;
    case 'not-in-scope': return 'That organisation is not in scope for this decision. Nothing was changed.';
    case 'excluded-by-interest': return 'After your declaration of interest the chair recorded that you may not take part in this decision, so you cannot record this member’s position. Its other representative or deputy can. Nothing was changed.';
  }
}

function onBehalfRefusalText(error: OnBehalfError): string {
  switch (error.kind) {
    case 'poll-closed': return 'This poll is closed, so positions can no longer be recorded. Nothing was changed.';
    case 'not-chair-or-secretariat': return 'Only the chair or the secretariat can record a position on a member’s behalf. Nothing was changed.';
    case 'choose-member': return 'Choose the member whose position you are recording. Nothing was changed.';
    case 'choose-position': return 'Choose the position the member sent in. Nothing was changed.';
    case 'note-required': return 'Add a note saying how the position came in (for example “by e-mail from the chief executive, 3 Dec 10:02”). Nothing was changed.';
    case 'note-too-long': return `Keep the note to ${error.max} characters. Nothing was changed.`;
    case 'not-in-scope': return 'That organisation is not in scope for this decision. Nothing was changed.';
    case 'excluded-by-interest': return 'After your declaration of interest for this member you may not take part in this decision, so you cannot record its position. Nothing was changed.';
  }
}

function reopenRefusalText(error: ReopenError): string {
  switch (error.kind) {
    case 'not-chair': return 'Only the chair can reopen a poll. Nothing was changed.';
    case 'poll-open': return 'This poll is already open.';
    case 'reason-required': return 'Reopening needs a recorded reason: why it is in the best interest of the public.';
    case 'invalid': return `Not reopened: ${error.issues.join('; ')}`;
  }
}

function pollRefusal(error: PollError): VerbReply {
  switch (error.kind) {
    case 'not-chair': return refusal('Only the chair can open a poll', 'Ask the chair to put the proposal. Nothing was changed.');
    case 'gateway-locked': return refusal('That gateway stage is locked', `The ${stageInWords(error.stage)} stage was agreed and is locked. To reopen it, record why it is in the best interest of the public.`);
    case 'gateway-out-of-order': return refusal('Earlier gateway stages come first', `The ${stageInWords(error.stage)} stage needs ${error.missing.map(stageInWords).join(', ')} agreed first.`);
    case 'invalid': return refusal('The poll needs a few changes', error.issues.join('\n'));
  }
}
