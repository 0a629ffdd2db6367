import type { CloudAdapter } from 'botbuilder';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Answerer } from '../knowledge/index.js';
import type { CollaborativeScope, Store } from '../store/store.js';
import type { Clock, NewId } from '../shared/clock.js';
import type { CommandHandlers } from './concord-bot.js';
import { agendas } from './agendas.js';
import { CardUpdater } from './card-updater.js';
import { Conversations, MEMORY_CAPACITY } from './conversations.js';
import { BoundedMap } from '../shared/bounded-map.js';
import { guidance } from './guidance.js';
import { membership } from './membership.js';
import { PeopleDirectory } from './people-directory.js';
import { DEFAULT_BINDING } from '../membership/model.js';
import type { Outcome } from '../decisions/outcome.js';
import type { Poll } from '../decisions/model.js';
import type { Agenda } from '../agenda/model.js';
import { OutcomePublisher } from './outcome-publisher.js';
import { polls } from './polls.js';
import { MEETING_END_EVENT, meetings, teamsParticipantLookup, type MeetingNotifier, type ParticipantLookup, type SetNowResult, type SidePanel } from './meetings.js';
import type { Minutes } from '../register/minutes.js';
import { memberName, rolesOf } from '../decisions/collaborative.js';
import type { VoteInput } from '../decisions/vote.js';
import { toPollCardData, type PollCardData } from '../decisions/poll-card.js';
import type { Person } from '../people/model.js';

/** What the meeting bubble page reads and does; plain data so the server needs no bot types. */
export interface MeetingPolls {
  view(pollId: string, aadObjectId: string): Promise<{
    pollId: string; title: string; proposal: string; isOpen: boolean; agendaText: string;
    /** As on the poll card: status, counts, and each member's position (hidden while open if the chair chose). */
    statusText: string; countsText: string; positions: { name: string; state: string }[];
    /** "At the start of P173/21: Present: … · Absent: …" when the chair marked the poll's item "Now"; else empty. */
    itemAttendanceText: string;
    /** Members this person may record a position for; empty for anyone else. */
    organisations: { organisationId: string; name: string }[];
  } | undefined>;
  castFor(person: Person, input: VoteInput): Promise<{ recorded: boolean; message: string }>;
  /** The meeting side panel: the latest agenda posted in the meeting chat, with running times, the "Now" marker and poll status. */
  sidePanel(chatId: string, aadObjectId: string): Promise<SidePanel | undefined>;
  /** 400 for an item not on the agenda, 403 for anyone but the chair or secretariat, 404 for an agenda not on record. */
  setNow(agendaId: string, itemRef: string, by: Person): Promise<SetNowResult>;
}

const pick = ({ statusText, countsText, positions }: PollCardData) => ({ statusText, countsText, positions });
import { register } from './register.js';
import { helpCard } from './help.js';
import type { CardRenderer } from './render.js';
import { sendCard } from './send.js';
import { scheduledReminders } from './scheduled-reminders.js';
import { verbRoutes, verbTable } from './verbs.js';
import type { Turn, Verb } from './verb.js';

export interface FeatureDependencies {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly newId: NewId;
  /** This process's name in the store's leases (several instances may share one store). */
  readonly instanceId: string;
  readonly store: Store;
  readonly answerer: Answerer;
  readonly renderer: CardRenderer;
  readonly adapter: CloudAdapter;
  /** Whether a person is in a Teams meeting; Teams' participant API unless a test injects one. */
  readonly participantLookup?: ParticipantLookup;
  /** The targeted meeting notification; Teams' own (TeamsInfo.sendMeetingNotification) unless a test injects one. */
  readonly meetingNotifier?: MeetingNotifier;
}

export interface Features {
  readonly commands: CommandHandlers;
  readonly verbs: ReadonlyMap<string, Verb<unknown>>;
  readonly onInstalled: (turn: Turn) => Promise<void>;
  /** Teams meeting events: the draft minutes when a meeting ends. */
  readonly onEvent: (turn: Turn) => Promise<{ outcome: 'ok' | 'ignored'; detail?: string }>;
  /** The meeting bubble page's view of a poll and its position recording (server/meeting-tab.ts). */
  readonly meetingPolls: MeetingPolls;
  /** Draft minutes of the meeting an agenda belongs to, for the register tab's download. */
  readonly minutesForAgenda: (agendaId: string) => Promise<Minutes | undefined>;
  /** Background work: deadline closing, reminders, retention. */
  start(): Promise<void>;
  /** Background work started once the port is open: outcomes still to post. */
  afterListening(): void;
  stop(): Promise<void>;
}

const EXAMPLE_QUESTIONS = ['What is a lead provider model?', 'Can one trust block a decision?', 'How many provider collaboratives are there?'];

/** A second installation notice within this time is the same installation. */
const GREETING_QUIET_MS = 5 * 60_000;

/** How often open polls are checked against their closing time. */
const DEADLINE_CHECK_MS = 5_000;
/**
 * With several instances on one store, only the holder of this lease closes polls at their closing
 * time. The holder renews it at every check; if it stops, another takes over within the ttl.
 */
const DEADLINE_LEASE = 'deadline-closer';
const DEADLINE_LEASE_MS = 3 * DEADLINE_CHECK_MS;
/** Only the holder of this lease sends scheduled reminders, so several instances send each once. */
const REMINDER_LEASE = 'reminder-sender';
/** Longer than the closer's: one run may pace and retry many messages before the next renewal. */
const REMINDER_LEASE_MS = 60_000;
/** Old questions are pruned at start and then this often. */
const RETENTION_CHECK_MS = 6 * 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

/** Wires each feature's shell to the core and the store; the one place that knows them all. */
export function buildFeatures(deps: FeatureDependencies): Features {
  const { config, logger, store, renderer } = deps;
  const conversations = new Conversations(deps.adapter, store, config.bot.appId ?? '');
  const registerUrl = config.publicUrl ? `${config.publicUrl}/tab/register` : undefined;
  // Named for the team's collaborative (issue 19); before `setup` there is none to name.
  const help = async (turn: Turn, greeting?: string) => helpCard(renderer, {
    collaborativeName: (await membershipFeature.current(turn))?.collaborative.name ?? 'no collaborative yet (type setup)',
    examples: EXAMPLE_QUESTIONS.map((question) => ({ question, questionValue: question })),
  }, greeting);

  const cardUpdater = new CardUpdater({
    send: (conversationId, activityId, card) => conversations.update(conversationId, activityId, card),
    logger,
    cardIntervalMs: config.cardUpdateIntervalMs,
    sendTimeoutMs: config.connectorTimeoutMs,
    // One instance refreshes a given card at a time (see CardUpdater.fire).
    claim: (lease, ttlMs) => store.acquireLease(lease, deps.instanceId, ttlMs, deps.clock.now()),
  });
  const publisher = new OutcomePublisher({
    store, conversations, renderer, logger, clock: deps.clock,
    instanceId: deps.instanceId,
    secretariatConversationId: config.secretariatConversationId,
    registerUrl,
    sendTimeoutMs: config.connectorTimeoutMs,
  });
  const membershipFeature = membership({ store, renderer, people: new PeopleDirectory(logger), newId: deps.newId, logger });
  // Read per turn and per poll, never held: a membership change applies from the next action (issue 19).
  const collaborativeForTurn = async (turn: Turn) => (await membershipFeature.current(turn))?.collaborative;
  const defaultCollaborative = () => store.collaborativeFor(DEFAULT_BINDING);
  const collaborativeForPoll = async (poll: Poll) =>
    (poll.collaborativeId ? await store.getCollaborative(poll.collaborativeId) : await defaultCollaborative())?.collaborative
      ?? missing(poll);
  // A bug or a hand-edited store, not something a person can cause: fail the turn loudly.
  const missing = (poll: Poll): never => { throw new Error(`poll ${poll.id} names collaborative ${poll.collaborativeId ?? '(default)'}, which is not in the store`); };
  /** This conversation's register only: the outcomes of its collaborative's polls. */
  const registerScope = async (turn: Turn): Promise<CollaborativeScope | undefined> => {
    const here = await membershipFeature.current(turn);
    if (!here) return undefined;
    return { ids: [here.collaborativeId], defaultId: (await defaultCollaborative())?.collaborativeId };
  };
  const qa = guidance({ answerer: deps.answerer, store, renderer, newId: deps.newId });
  // An agenda names its collaborative (issue 19); one stored before that and not yet tagged at
  // start-up belongs to its conversation's, as its polls did.
  const collaborativeForAgenda = async (agenda: Agenda) =>
    (agenda.collaborativeId ? await store.getCollaborative(agenda.collaborativeId) : await store.collaborativeFor(agenda.conversationId))?.collaborative;
  const agendaFeature = agendas({ store, collaborativeForTurn, collaborativeForAgenda, renderer, newId: deps.newId, logger });
  const collaborativeForConversation = async (conversationId: string) =>
    ((await store.collaborativeFor(conversationId)) ?? (await defaultCollaborative()))?.collaborative;
  const meetingFeature = meetings({
    store, collaborativeForConversation, collaborativeForTurn, collaborativeForAgenda, conversations, logger, newId: deps.newId,
    secretariatConversationId: config.secretariatConversationId, registerUrl,
    participantLookup: deps.participantLookup ?? teamsParticipantLookup(logger), appId: config.bot.appId, publicUrl: config.publicUrl,
    meetingNotifier: deps.meetingNotifier,
    inConversation: (conversationId, logic) => conversations.within(conversationId, logic),
    now: () => deps.clock.now(),
  });
  const pollFeature = polls({
    store, collaborativeForTurn, collaborativeForPoll, collaborativeForAgenda, renderer, clock: deps.clock, newId: deps.newId, logger, cardUpdater,
    publishOutcome: (outcome) => publisher.publish(outcome),
    agendaCard: agendaFeature.agendaCard,
    attendanceFor: meetingFeature.attendanceFor,
    announcePoll: meetingFeature.announcePoll,
  });
  const registerFeature = register({ store, collaborativeForTurn, registerScope, renderer, registerUrl });

  const sendDueReminders = scheduledReminders({
    store, conversations, collaborativeForPoll, clock: deps.clock, logger, sendTimeoutMs: config.connectorTimeoutMs,
  });

  // Every command saves its conversation's reference (once per process): a personal chat is how a
  // scheduled reminder reaches a representative, so it is saved from the first message.
  const remembered = <C>(handle: (turn: Turn, command: C) => Promise<void>) => async (turn: Turn, command: C): Promise<void> => {
    await conversations.remember(turn.context, turn.now);
    await handle(turn, command);
  };
  const commands: CommandHandlers = {
    help: remembered(async (turn) => { await sendCard(turn.context, await help(turn)); }),
    question: remembered(async (turn, command: { text: string }) => qa.question(turn, command.text)),
    agenda: remembered(async (turn, command: { pasted: string }) => agendaFeature.commandAgenda(turn, command.pasted)),
    poll: remembered(async (turn, command: { proposal: string }) => pollFeature.commandPoll(turn, command.proposal)),
    decisions: remembered(async (turn, command: { words: string }) => registerFeature.commandDecisions(turn, command.words)),
    pending: remembered(async (turn) => pollFeature.commandPending(turn)),
    members: remembered(async (turn) => membershipFeature.commandMembers(turn)),
    setup: remembered(async (turn) => membershipFeature.commandSetup(turn)),
  };

  const verbs = verbRoutes(
    verbTable({ guidance: qa.verbs, agendas: agendaFeature.verbs, polls: pollFeature.verbs, interests: pollFeature.interestVerbs, register: registerFeature.verbs, membership: membershipFeature.verbs }),
    (turn) => conversations.remember(turn.context, turn.now),
  );

  // Bounded: forgetting a greeting older than the quiet period changes nothing.
  const greetedAt = new BoundedMap<string, number>(MEMORY_CAPACITY);
  let deadlineTimer: NodeJS.Timeout | undefined;
  // Only the lease holder runs the deadline closer. A second closer would be harmless (the store's
  // conditional transition closes a poll once), but it would read every open poll for nothing.
  const closeDuePolls = async (): Promise<number> => {
    if (!(await store.acquireLease(DEADLINE_LEASE, deps.instanceId, DEADLINE_LEASE_MS, deps.clock.now()))) return 0;
    return pollFeature.closeDuePolls();
  };
  // Data protection: questions (who asked what) are kept for CONCORD_RETENTION_DAYS, then deleted.
  let retentionTimer: NodeJS.Timeout | undefined;
  const pruneOldQuestions = async () => {
    const before = new Date(deps.clock.now().getTime() - config.retentionDays * DAY_MS).toISOString();
    const pruned = await store.pruneQuestions(before);
    if (pruned.questions + pruned.feedback > 0) logger.info({ event: 'retention.pruned', before, ...pruned }, 'deleted questions and feedback past the retention period');
  };
  const pruneQuietly = () => pruneOldQuestions().catch((error: unknown) => logger.error({ err: error }, 'pruning old questions failed'));
  const checkDeadlines = () => closeDuePolls().catch((error: unknown) => logger.error({ err: error }, 'closing due polls failed'));
  // Runs after the closer at each check, so a poll that just closed is not reminded; one run at a time.
  let remindersRun: Promise<void> | undefined;
  const remindDue = (): Promise<void> => {
    remindersRun ??= remindOnce().finally(() => { remindersRun = undefined; });
    return remindersRun;
  };
  const remindOnce = async (): Promise<void> => {
    try {
      if (!(await store.acquireLease(REMINDER_LEASE, deps.instanceId, REMINDER_LEASE_MS, deps.clock.now()))) return;
      await sendDueReminders();
    } catch (error) {
      logger.error({ err: error, event: 'reminder.run-failed' }, 'sending scheduled reminders failed; will try again');
    }
  };
  const checkSchedule = async () => { await checkDeadlines(); await remindDue(); };

  return {
    commands,
    verbs,
    onInstalled: async (turn) => {
      await conversations.remember(turn.context, turn.now);
      // Teams announces one installation twice (installationUpdate and conversationUpdate): greet once.
      const greeted = greetedAt.get(turn.conversationId);
      if (greeted !== undefined && turn.now.getTime() - greeted < GREETING_QUIET_MS) return;
      greetedAt.set(turn.conversationId, turn.now.getTime());
      await sendCard(turn.context, await help(turn, `Hello, I'm Concord`));
    },
    onEvent: async (turn) => (turn.context.activity.name === MEETING_END_EVENT
      ? meetingFeature.onMeetingEnd(turn)
      : { outcome: 'ignored', detail: turn.context.activity.name }),
    minutesForAgenda: meetingFeature.minutesForAgenda,
    meetingPolls: {
      view: async (pollId, aadObjectId) => {
        const poll = await store.getPoll(pollId);
        if (!poll) return undefined;
        const collaborative = await collaborativeForPoll(poll);
        const roles = rolesOf(collaborative, aadObjectId);
        return {
          pollId: poll.id,
          title: poll.title,
          proposal: poll.proposal,
          isOpen: poll.status === 'open',
          agendaText: poll.agenda ? `${poll.agenda.itemRef} · ${poll.agenda.meetingTitle}` : '',
          organisations: roles.representing.map((id) => ({ organisationId: id, name: memberName(collaborative, id) })),
          itemAttendanceText: await meetingFeature.itemAttendanceText(poll, collaborative),
          ...pick(toPollCardData(poll, await store.votes(poll.id), collaborative)),
        };
      },
      sidePanel: meetingFeature.sidePanel,
      setNow: meetingFeature.setNow,
      castFor: (person, input) => pollFeature.castFor(person, deps.clock.now(), input),
    },
    start: async () => {
      // Polls whose closing time passed while Concord was down close now (here, or on the instance
      // holding the closer's lease); castVote refuses votes on a due poll meanwhile either way.
      const closed = await closeDuePolls();
      if (closed > 0) logger.info({ closed }, 'closed polls whose closing time passed while Concord was stopped');
      // Reminders due while Concord was down (and not yet sent) go now.
      void remindDue();
      deadlineTimer = setInterval(() => void checkSchedule(), DEADLINE_CHECK_MS);
      deadlineTimer.unref();
      await pruneQuietly();
      retentionTimer = setInterval(() => void pruneQuietly(), RETENTION_CHECK_MS);
      retentionTimer.unref();
    },
    afterListening: () => {
      // Reads the register's delivery states, which the embedded store finishes opening after the port opens.
      void publisher.deliverPending().catch((error: unknown) => logger.error({ err: error }, 'delivering pending outcomes failed'));
    },
    stop: async () => {
      clearInterval(deadlineTimer);
      clearInterval(retentionTimer);
      await remindersRun;
      await cardUpdater.flush();
      await publisher.stop();
      // Hand the closer over now rather than after the ttl: another instance takes it at its next check.
      await store.releaseLease(DEADLINE_LEASE, deps.instanceId).catch((error: unknown) => logger.warn({ err: error }, 'could not release the deadline-closer lease; it expires by itself'));
      await store.releaseLease(REMINDER_LEASE, deps.instanceId).catch((error: unknown) => logger.warn({ err: error }, 'could not release the reminder-sender lease; it expires by itself'));
    },
  };
}
