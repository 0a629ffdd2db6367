import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startConcord, type Concord } from '../../src/app.js';
import { parseConfig } from '../../src/config/config.js';
import { createMemoryStore } from '../../src/store/memory-store.js';
import type { Store } from '../../src/store/store.js';
import { ALEX, cardAction, message, post } from '../support/activities.js';
import { representative, writeCollaborative } from '../support/collaborative.js';
import { FakeConnector, type ConnectorCall } from '../support/fake-connector.js';

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

/** A store whose close does nothing, so it outlives one Concord; the test closes it at the end. */
function sharedStore(): Store {
  const store = createMemoryStore();
  cleanups.push(() => store.close());
  return new Proxy(store, {
    get(target, property) {
      if (property === 'close') return async () => {};
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function setUp() {
  const connector = await new FakeConnector().start();
  cleanups.push(() => connector.stop());
  const clock = { now: T0 };
  const store = sharedStore();
  const config = parseConfig({ HOST: '127.0.0.1', PORT: '0', CONCORD_LOG_LEVEL: 'silent', CONCORD_RATE_LIMIT_PER_MINUTE: '10000', CONCORD_COLLABORATIVE_FILE: writeCollaborative(3) }, '0.0.0-test');
  const start = async (instanceId = 'instance-a'): Promise<Concord> => {
    const concord = await startConcord({ config, logger: pino({ level: 'silent' }), store, clock: { now: () => clock.now }, instanceId });
    cleanups.push(() => concord.close());
    return concord;
  };
  return { connector, clock, store, start };
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

describe('scheduled reminders', () => {
  it('fire once when due: one @mention message in the channel and a personal message where Concord can reach the person', async () => {
    const { connector, clock, store, start } = await setUp();
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
    const { connector, clock, store, start } = await setUp();
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
    const { connector, clock, store, start } = await setUp();
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
    const { connector, clock, store, start } = await setUp();
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
    const { connector, clock, store, start } = await setUp();
    const first = await start();
    const pollId = await openScheduledPoll(first, connector, 120, '60');
    await first.close();

    connector.injectFor(CHANNEL, { status: 503 }, { status: 503 });
    clock.now = at(61);
    await (await start()).close();
    expect(reminders(connector, CHANNEL)).toHaveLength(1);
    expect(await remindedEvents(store, pollId)).toHaveLength(1);
  });
});
