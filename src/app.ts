import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ConfigError, startupProblems, type Config } from './config/config.js';
import { missingPaths } from './config/paths.js';
import { ConcordBot } from './bot/concord-bot.js';
import { CardRenderer } from './bot/render.js';
import { RateLimiter } from './bot/rate-limit.js';
import { buildFeatures } from './bot/features.js';
import { buildAnswerer, loadKnowledgeBase, type Answerer } from './knowledge/index.js';
import { loadCollaborative } from './decisions/collaborative.js';
import { createBotAdapter } from './server/bot-adapter.js';
import { startServer } from './server/server.js';
import { mountRegisterTab } from './server/register-tab.js';
import { mountMeetingTab } from './server/meeting-tab.js';
import { openFileStore } from './store/file/file-store.js';
import type { StartSummary } from './server/start-banner.js';
import type { Store } from './store/store.js';
import { seedCollaborative } from './store/seed-collaborative.js';
import { tagAgendas } from './store/tag-agendas.js';
import { systemClock, type Clock, type NewId } from './shared/clock.js';

export interface ConcordOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly newId?: NewId;
  /** Tests pass an in-memory store; otherwise PostgreSQL when DATABASE_URL is set, else the lowdb store under config.dataDir. */
  readonly store?: Store;
  /** Names this process in the store's leases; random by default, so every process is its own holder. */
  readonly instanceId?: string;
}

export interface Concord {
  readonly url: string;
  readonly port: number;
  readonly store: Store;
  /** What was loaded, for the line `npm start` prints on a terminal. */
  readonly summary: StartSummary;
  /** Finishes in-flight requests and pending writes, then releases the store. */
  close(): Promise<void>;
}

/** Composes Concord: everything read and validated up front, so a bad file stops the start. */
export async function startConcord(options: ConcordOptions): Promise<Concord> {
  const { config, logger } = options;
  const problems = startupProblems(config);
  if (problems.length > 0) throw new ConfigError(problems);
  const clock = options.clock ?? systemClock;
  const newId = options.newId ?? randomUUID;
  const missing = missingPaths(config);
  if (missing.length > 0) throw new ConfigError(missing);
  const knowledge = loadKnowledgeBase(config.knowledgeDir);
  // The search index is built in steps just after the port opens (below), or finished at once by
  // the first question if that comes sooner: the files are checked now, so a bad knowledge base
  // still stops the start.
  const building = buildAnswerer(knowledge.entries);
  let index: Answerer | undefined;
  let buildFailure: unknown;
  /** One step of the build; true once the answerer is ready. A build that failed fails again for every caller. */
  const stepIndex = (): boolean => {
    if (index !== undefined) return true;
    if (buildFailure !== undefined) throw buildFailure;
    try {
      const step = building.next();
      if (step.done) index = step.value;
      return step.done === true;
    } catch (error) {
      buildFailure = error;
      throw error;
    }
  };
  const buildIndex = (): Answerer => {
    while (!stepIndex()) {
      // the rest of the build, now: a question is waiting
    }
    return index!;
  };
  const answerer: Answerer = { answer: (question) => buildIndex().answer(question) };
  // Validated up front, so a bad file stops the start; `none` starts with no collaborative (teams run `setup`).
  const collaborative = config.collaborativeFile === 'none' ? undefined : await loadCollaborative(config.collaborativeFile);
  const renderer = new CardRenderer();
  const instanceId = options.instanceId ?? randomUUID();
  // One setting decides: several instances share PostgreSQL; one instance keeps the embedded store.
  // The PostgreSQL client is loaded only when it is used, so a single instance starts without it.
  const store = options.store ?? (config.databaseUrl
    ? await (await import('./store/postgres/postgres-store.js')).openPostgresStore({ connectionString: config.databaseUrl, logger })
    : await openFileStore({ dataDir: config.dataDir, logger }));
  try {
    await seedCollaborative(store, collaborative, config.collaborativeFile, clock.now(), logger);
    await tagAgendas(store, logger);
  } catch (error) {
    await store.close();
    throw error;
  }
  const adapter = createBotAdapter(config, logger);

  const features = buildFeatures({ config, logger, clock, newId, instanceId, store, answerer, renderer, adapter });
  const bot = new ConcordBot({
    logger,
    clock,
    renderer,
    commands: features.commands,
    verbs: features.verbs,
    rateLimiter: new RateLimiter(config.rateLimitPerMinute),
    localMode: config.localMode,
    allowedTenants: config.allowedTenants,
    onInstalled: features.onInstalled,
    onEvent: features.onEvent,
  });

  let server;
  try {
    await features.start();
    server = await startServer({
      config,
      logger,
      adapter,
      onTurn: (context) => bot.onTurn(context),
      storeState: () => store.state(),
      mount: (restifyServer) => {
        mountRegisterTab(restifyServer, { store, config, logger, minutesForAgenda: features.minutesForAgenda });
        mountMeetingTab(restifyServer, { config, logger, meetingPolls: features.meetingPolls });
      },
    });
  } catch (error) {
    await features.stop();
    await store.close();
    throw error;
  }
  logger.info({ url: server.url, instanceId, localMode: config.localMode, entries: knowledge.entries.length, collaboratives: (await store.listCollaboratives()).length }, 'Concord is listening');
  // The index and the card templates are prepared once the port is open, not before, so they
  // are ready before a person can type a first message (one needed sooner is prepared on the
  // spot). The index goes first, a few milliseconds at a time, so a health check or a first
  // request is served in between; then the templates, one per turn of the event loop (each is
  // one block of up to a few tens of milliseconds: the templating library compiles a card whole).
  const warmUp = (): void => {
    try {
      if (!stepIndex()) {
        setImmediate(warmUp);
        return;
      }
    } catch (error) {
      // A bug, not a bad file (those stopped the start): the first question will report it.
      logger.error({ err: error }, 'knowledge index could not be built');
    }
    renderer.prepareAll().catch((error: unknown) => logger.error({ err: error }, 'card templates could not be compiled'));
  };
  setImmediate(warmUp);
  store.finishOpening?.();
  features.afterListening();
  const running = server;
  return {
    url: running.url,
    port: running.port,
    store,
    summary: {
      url: running.url,
      version: config.version,
      localMode: config.localMode,
      store: options.store ? 'supplied by the caller' : config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded, in ${config.dataDir}`,
      ...(collaborative ? { collaborative: { name: collaborative.name, members: collaborative.members.length, file: config.collaborativeFile } } : {}),
      knowledgeEntries: knowledge.entries.length,
    },
    close: async () => {
      await running.close();
      await features.stop();
      await store.close();
    },
  };
}
