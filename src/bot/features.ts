import type { CloudAdapter } from 'botbuilder';
import type restify from 'restify';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Answerer } from '../knowledge/index.js';
import type { Collaborative } from '../decisions/collaborative.js';
import type { Store } from '../store/store.js';
import type { Clock, NewId } from '../shared/clock.js';
import type { CommandHandlers } from './concord-bot.js';
import { Conversations } from './conversations.js';
import { guidance } from './guidance.js';
import { helpCard } from './help.js';
import type { CardRenderer } from './render.js';
import { sendCard } from './send.js';
import type { Turn, Verb } from './verb.js';

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

/** Wires each feature's shell to the core and the store; the one place that knows them all. */
export function buildFeatures(deps: FeatureDependencies): Features {
  const conversations = new Conversations(deps.adapter, deps.store, deps.config.bot.appId ?? '');
  const help = (greeting?: string) => helpCard(deps.renderer, {
    collaborativeName: deps.collaborative.name,
    examples: EXAMPLE_QUESTIONS.map((question) => ({ question, questionValue: question })),
  }, greeting);
  const qa = guidance({ answerer: deps.answerer, store: deps.store, renderer: deps.renderer, newId: deps.newId });

  const commands: CommandHandlers = {
    help: async (turn) => { await sendCard(turn.context, help()); },
    question: async (turn, command) => qa.question(turn, command.text),
    agenda: async (turn) => { await sendCard(turn.context, help()); },
    poll: async (turn) => { await sendCard(turn.context, help()); },
    decisions: async (turn) => { await sendCard(turn.context, help()); },
  };

  return {
    commands,
    verbs: new Map(Object.entries({ ...qa.verbs })),
    onInstalled: async (turn) => {
      await conversations.remember(turn.context, turn.now);
      await sendCard(turn.context, help(`Hello, I'm Concord`));
    },
    start: async () => {},
    stop: async () => {},
    mount: () => {},
  };
}
