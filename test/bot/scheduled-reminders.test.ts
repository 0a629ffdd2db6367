import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startConcord, type Concord } from '../../src/app.js';
import { parseConfig } from '../../src/config/config.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import { openFileStore } from '../../src/store/file/file-store.js';
import type { Store } from '../../src/store/store.js';
import { ALEX, cardAction, message, post } from '../support/activities.js';
import { representative, writeCollaborative } from '../support/collaborative.js';
import { FakeConnector, type ConnectorCall } from '../support/fake-connector.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * Scheduled reminders through /api/messages with an injected clock. The fake connector outlives
 * each Concord (saved conversation references name its URL), so a restart is a new Concord on the
 * same store and connector. Each check is a real timer, so tests wait on what the connector
 * receives, or stop Concord (which waits for a reminder run in flight) and then look.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const T0 = new Date('2026-11-23T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const CHANNEL = 'channel-1';
const PERSONAL_2 = 'personal-rep-2';

type StoreKind = 'memory' | 'file';

/**
 * Hands each Concord the store and closes it when the last Concord using it closes. The memory
 * store is one object for the whole test (a "restart" keeps it, as a database would); the file
 * store is closed and opened again from its directory, so a restart reads what was on disk. Two
 * Concords running at once share one open file store: its directory lock admits one process (a
 * second process's open is refused), so two instances on the file store means two in one process.
 */
class StoreHost {
  private opened?: Promise<Store>;
  private users = 0;
  private readonly memory?: Store;
  private readonly dataDir?: string;

  constructor(kind: StoreKind) {
    if (kind === 'memory') {
      const memory = createMemoryStore();
      this.memory = memory;
      cleanups.push(() => memory.close());
    } else {
      this.dataDir = tempDir('reminders');
      // Runs before the directory is removed: a Concord left open by a failed test closes first.
      cleanups.push(async () => { while (this.users > 0) await this.release(); });
    }
  }

  async acquire(): Promise<Store> {
    this.users += 1;
    this.opened ??= this.memory ? Promise.resolve(this.memory) : openFileStore({ dataDir: this.dataDir! });
    const store = await this.opened;
    let closed = false;
    return new Proxy(store, {
      get: (target, property) => {
        if (property === 'close') return async () => { if (!closed) { closed = true; await this.release(); } };
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  private async release(): Promise<void> {
    this.users -= 1;
    if (this.users > 0 || this.memory) return;
    const opened = this.opened;
    this.opened = undefined;
    await (await opened)?.close();
  }

  /** A view for the test's own reads: each call uses the open store, or opens it for the call. */
  view(): Store {
    return new Proxy({} as Store, {
      get: (_target, property) => async (...args: unknown[]) => {
        const store = await this.acquire();
        try {
          return await (Reflect.get(store, property) as (...values: unknown[]) => Promise<unknown>)(...args);
        } finally {
          await store.close();
        }
      },
    });
  }
}

async function setUp(kind: StoreKind) {
  const connector = await new FakeConnector().start();
  cleanups.push(() => connector.stop());
  const clock = { now: T0 };
  const host = new StoreHost(kind);
  const config = parseConfig({ HOST: '127.0.0.1', PORT: '0', CONCORD_LOG_LEVEL: 'silent', CONCORD_RATE_LIMIT_PER_MINUTE: '10000', CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) }, '0.0.0-test');
  const start = async (instanceId = 'instance-a'): Promise<Concord> => {
    const concord = await startConcord({ config, logger: pino({ level: process.env['DEBUG_LOG'] ? 'debug' : 'silent' }), store: await host.acquire(), clock: { now: () => clock.now }, instanceId });
    cleanups.push(() => concord.close());
    return concord;
  };
  return { connector, clock, store: host.view(), start };
}

/** Opens a poll in CHANNEL closing in `closesInMinutes` with reminders at `reminders` minutes before; rep 2 has a personal chat with Concord. */
async function openScheduledPoll(concord: Concord, connector: FakeConnector, closesInMinutes: number, reminders: string): Promise<string> {
  const personal = { ...message(connector.url, 'help', { from: representative(2) }), conversation: { id: PERSONAL_2, conversationType: 'personal', tenantId: 'tenant-1' } };
  expect((await post(concord.url, personal)).status).toBe(200);
  const opened = await post(concord.url, cardAction(connector.url, 'poll.open', { category: '1', title: 'Shared pathology', proposal: 'Agree', closesInMinutes: String(closesInMinutes), reminders }, { replyToId: 'poll-card', conversationId: CHANNEL }));
  expect(opened.status).toBe(200);
  const [poll] = await concord.store.listPolls();
  expect(poll?.reminders).toEqual(reminders.split(',').map(Number));
  return poll!.id;
}

const isReminder = (call: ConnectorCall) => String(call.body.text ?? '').startsWith('Reminder:');
const reminders = (connector: FakeConnector, conversationId: string) => connector.sent(conversationId).filter(isReminder);
const remindedEvents = async (store: Store, pollId: string) =>
  (await store.readAudit({ subject: pollId })).filter((event) => event.action === 'poll.reminded');

describe.each<StoreKind>(['memory', 'file'])('scheduled reminders (%s store)', (kind) => {
  it('fire once when due: one @mention message in the channel and a personal message where Concord can reach the person', async () => {
    const { connector, clock, store, start } = await setUp(kind);
    const concord = await start();
    const pollId = await openScheduledPoll(concord, connector, 120, '60');
    await post(concord.url, cardAction(connector.url, 'poll.vote', { pollId, positionValue: 'support' }, { from: representative(1), replyToId: 'poll-card', conversationId: CHANNEL }));
    expect(reminders(connector, CHANNEL)).toHaveLength(0);

    clock.now = at(61);
    await connector.waitFor(() => reminders(connector, PERSONAL_2).length > 0, 15_000);
    const [posted] = reminders(connector, CHANNEL);
    const mentioned = (posted?.body.entities as { mentioned: { id: string } }[]).map((entity) => entity.mentioned.id);
    expect(mentioned).toEqual([representative(2).aadObjectId, representative(3).aadObjectId]);
    expect(String(reminders(connector, PERSONAL_2)[0]?.body.text)).toContain('Shared pathology');
    // Representative 3 never talked to Concord: the channel @mention is all that reaches them.
    expect(connector.sent().filter(isReminder).map((call) => call.conversationId).sort()).toEqual([CHANNEL, PERSONAL_2]);
    expect((await remindedEvents(store, pollId)).map((event) => event.detail)).toMatchObject([{ offset: 60, how: 'schedule', organisationIds: ['trust-2', 'trust-3'] }]);

    // Later checks, and a restart while still within the hour, send nothing more.
    await concord.close();
    await (await start()).close();
    expect(reminders(connector, CHANNEL)).toHaveLength(1);
    expect(await remindedEvents(store, pollId)).toHaveLength(1);
  });

  it('survive a restart: a reminder that fell due while Concord was down is sent on start, once', async () => {
    const { connector, clock, store, start } = await setUp(kind);
    const first = await start();
    const pollId = await openScheduledPoll(first, connector, 120, '60');
    await first.close();

    clock.now = at(90);
    await (await start()).close();
    expect(reminders(connector, CHANNEL)).toHaveLength(1);
    clock.now = at(95);
    await (await start()).close();
    expect(reminders(connector, CHANNEL)).toHaveLength(1);
    expect(await remindedEvents(store, pollId)).toHaveLength(1);
  });

  it('never fire after close: a poll whose reminder and closing time both passed while Concord was down is closed, not reminded', async () => {
    const { connector, clock, store, start } = await setUp(kind);
    const first = await start();
    const pollId = await openScheduledPoll(first, connector, 120, '60');
    await first.close();

    clock.now = at(130);
    await (await start()).close();
    expect((await store.getPoll(pollId))?.status).toBe('closed');
    expect(connector.sent().filter(isReminder)).toHaveLength(0);
    expect(await remindedEvents(store, pollId)).toHaveLength(0);
  });

  it('with two instances on one store, fire once', async () => {
    const { connector, clock, store, start } = await setUp(kind);
    const a = await start('instance-a');
    const pollId = await openScheduledPoll(a, connector, 120, '60');
    await a.close();

    clock.now = at(70);
    const both = await Promise.all([start('instance-a'), start('instance-b')]);
    await Promise.all(both.map((concord) => concord.close()));
    expect(reminders(connector, CHANNEL)).toHaveLength(1);
    expect(reminders(connector, PERSONAL_2)).toHaveLength(1);
    expect(await remindedEvents(store, pollId)).toHaveLength(1);
  });

  it('a failed send is retried, and recorded as sent only once it went out', async () => {
    const { connector, clock, store, start } = await setUp(kind);
    const first = await start();
    const pollId = await openScheduledPoll(first, connector, 120, '60');
    await first.close();

    connector.injectFor(CHANNEL, { status: 503 }, { status: 503 });
    clock.now = at(61);
    await (await start()).close();
    expect(reminders(connector, CHANNEL)).toHaveLength(1);
    expect(await remindedEvents(store, pollId)).toHaveLength(1);
  });

  it('a channel throttled (429) beyond the HTTP pipeline\'s own retries is sent once Teams lets it, and recorded once', async () => {
    const { connector, clock, store, start } = await setUp(kind);
    const first = await start();
    const pollId = await openScheduledPoll(first, connector, 120, '60');
    await first.close();

    // botbuilder's pipeline retries a 429 three times itself; the fourth refusal reaches Concord,
    // which waits what Retry-After asks (0 s here, so the test does not wait) and sends again.
    connector.injectFor(CHANNEL, ...Array.from({ length: 4 }, () => ({ status: 429, retryAfterSeconds: 0 })));
    clock.now = at(61);
    await (await start()).close();
    expect(reminders(connector, CHANNEL)).toHaveLength(1);
    expect(await remindedEvents(store, pollId)).toHaveLength(1);
  });
});
