import type { CloudAdapter } from 'botbuilder';
import type restify from 'restify';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Answerer } from '../knowledge/index.js';
import type { Collaborative } from '../decisions/collaborative.js';
import type { Store } from '../store/store.js';
import type { Clock, NewId } from '../shared/clock.js';
import type { CommandHandlers } from './concord-bot.js';
import { agendas } from './agendas.js';
import { CardUpdater } from './card-updater.js';
import { Conversations } from './conversations.js';
import { guidance } from './guidance.js';
import { OutcomePublisher } from './outcome-publisher.js';
import { polls } from './polls.js';
import { register } from './register.js';
import { helpCard } from './help.js';
import type { CardRenderer } from './render.js';
import { sendCard } from './send.js';
import type { Turn, Verb } from './verb.js';
import { mountRegisterTab } from '../server/register-tab.js';

export interface FeatureDependencies {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly newId: NewId;
  readonly store: Store;
  readonly answerer: Answerer;
  readonly collaborative: Collaborative;
  readonly renderer: CardRenderer;
  readonly adapter: CloudAdapter;
}

export interface Features {
  readonly commands: CommandHandlers;
  readonly verbs: ReadonlyMap<string, Verb<unknown>>;
  readonly onInstalled: (turn: Turn) => Promise<void>;
  /** Background work: deadline closing, outcome delivery. */
  start(): Promise<void>;
  stop(): Promise<void>;
  mount(server: restify.Server): void;
}

const EXAMPLE_QUESTIONS = ['What is a lead provider model?', 'Can one trust block a decision?', 'How many provider collaboratives are there?'];

/** How often open polls are checked against their closing time. */
const DEADLINE_CHECK_MS = 5_000;

/** Wires each feature's shell to the core and the store; the one place that knows them all. */
export function buildFeatures(deps: FeatureDependencies): Features {
  const { config, logger, store, renderer, collaborative } = deps;
  const conversations = new Conversations(deps.adapter, store, config.bot.appId ?? '');
  const registerUrl = config.publicUrl ? `${config.publicUrl}/tab/register` : undefined;
  const help = (greeting?: string) => helpCard(renderer, {
    collaborativeName: collaborative.name,
    examples: EXAMPLE_QUESTIONS.map((question) => ({ question, questionValue: question })),
  }, greeting);

  const cardUpdater = new CardUpdater({
    send: (conversationId, activityId, card) => conversations.update(conversationId, activityId, card),
    logger,
    cardIntervalMs: config.cardUpdateIntervalMs,
    sendTimeoutMs: config.connectorTimeoutMs,
  });
  const publisher = new OutcomePublisher({
    store, conversations, renderer, logger, clock: deps.clock,
    secretariatConversationId: config.secretariatConversationId,
    registerUrl,
    sendTimeoutMs: config.connectorTimeoutMs,
  });
  const qa = guidance({ answerer: deps.answerer, store, renderer, newId: deps.newId });
  const agendaFeature = agendas({ store, collaborative, renderer, newId: deps.newId, logger });
  const pollFeature = polls({
    store, collaborative, renderer, clock: deps.clock, newId: deps.newId, logger, cardUpdater,
    publishOutcome: (outcome) => publisher.publish(outcome),
    agendaCard: agendaFeature.agendaCard,
  });
  const registerFeature = register({ store, collaborative, renderer, registerUrl });

  const commands: CommandHandlers = {
    help: async (turn) => { await sendCard(turn.context, help()); },
    question: async (turn, command) => qa.question(turn, command.text),
    agenda: async (turn, command) => agendaFeature.commandAgenda(turn, command.pasted),
    poll: async (turn, command) => {
      await conversations.remember(turn.context, turn.now);
      await pollFeature.commandPoll(turn, command.proposal);
    },
    decisions: async (turn, command) => registerFeature.commandDecisions(turn, command.words),
  };

  const verbs = new Map(Object.entries({ ...qa.verbs, ...agendaFeature.verbs, ...pollFeature.verbs, ...registerFeature.verbs }));
  // Shared cards are refreshed later, from outside the turn: remember the conversation first.
  const remembering = (name: string) => {
    const handler = verbs.get(name);
    if (!handler) return;
    verbs.set(name, { input: handler.input, handle: async (turn, input) => {
      await conversations.remember(turn.context, turn.now);
      return handler.handle(turn, input);
    } });
  };
  ['poll.open', 'poll.vote', 'agenda.save'].forEach(remembering);

  let deadlineTimer: NodeJS.Timeout | undefined;
  const checkDeadlines = () => pollFeature.closeDuePolls().catch((error: unknown) => logger.error({ err: error }, 'closing due polls failed'));

  return {
    commands,
    verbs,
    onInstalled: async (turn) => {
      await conversations.remember(turn.context, turn.now);
      await sendCard(turn.context, help(`Hello, I'm Concord`));
    },
    start: async () => {
      // Polls whose closing time passed while Concord was down close now, before any new vote.
      const closed = await pollFeature.closeDuePolls();
      if (closed > 0) logger.info({ closed }, 'closed polls whose closing time passed while Concord was stopped');
      void publisher.deliverPending().catch((error: unknown) => logger.error({ err: error }, 'delivering pending outcomes failed'));
      deadlineTimer = setInterval(() => void checkDeadlines(), DEADLINE_CHECK_MS);
      deadlineTimer.unref();
    },
    stop: async () => {
      clearInterval(deadlineTimer);
      await cardUpdater.flush();
      await publisher.stop();
    },
    mount: (server) => mountRegisterTab(server, { store, config, logger }),
  };
}
