import { TestAdapter, type Activity } from 'botbuilder';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ConcordBot, type CommandHandlers } from '../../src/bot/concord-bot.js';
import { checkSender } from '../../src/bot/identity.js';
import { RateLimiter } from '../../src/bot/rate-limit.js';
import { CardRenderer } from '../../src/bot/render.js';

const AAD = '00000000-0000-0000-0000-00000000abcd';
const teams = (overrides: Record<string, unknown> = {}): Partial<Activity> => ({
  type: 'message',
  channelId: 'msteams',
  from: { id: '29:someone', name: 'Sam', aadObjectId: AAD },
  conversation: { id: 'c1', tenantId: 'tenant-1', isGroup: true, conversationType: 'channel', name: '' },
  channelData: { tenant: { id: 'tenant-1' } },
  ...overrides,
} as Partial<Activity>);

describe('item 6: who sent an activity, outside local mode', () => {
  it.each([
    ['a Teams activity', teams(), { ok: true }],
    ['another channel (Web Chat)', teams({ channelId: 'webchat' }), { ok: false, kind: 'not-teams' }],
    ['no channel', teams({ channelId: undefined }), { ok: false, kind: 'not-teams' }],
    ['no aadObjectId: never from.id', teams({ from: { id: '29:someone', name: 'Sam' } }), { ok: false, kind: 'no-aad-object-id' }],
    ['blank aadObjectId', teams({ from: { id: '29:someone', aadObjectId: ' ' } }), { ok: false, kind: 'no-aad-object-id' }],
    ['tenants that disagree', teams({ channelData: { tenant: { id: 'tenant-2' } } }), { ok: false, kind: 'tenant-mismatch' }],
    ['only the conversation tenant', teams({ channelData: {} }), { ok: true }],
  ])('%s', (_name, activity, want: { ok: boolean; kind?: string }) => {
    const result = checkSender(activity, { localMode: false });
    expect(result.ok).toBe(want.ok);
    if (!result.ok) expect(result.error.kind).toBe(want.kind);
  });

  it.each([
    ['from.id stands in locally', teams({ channelId: 'emulator', from: { id: 'user-1' } }), 'user-1'],
    ['aadObjectId when sent', teams(), AAD],
  ])('local mode: %s', (_name, activity, id) => {
    const result = checkSender(activity, { localMode: true });
    expect(result.ok && result.value.aadObjectId).toBe(id);
  });

  it('the key is normalised, so ABC and abc are one person', () => {
    const upper = checkSender(teams({ from: { id: 'x', aadObjectId: AAD.toUpperCase() } }), { localMode: false });
    const lower = checkSender(teams(), { localMode: false });
    expect(upper.ok && lower.ok && upper.value.key === lower.value.key).toBe(true);
  });

  it('the bot acts on none of the refused activities and answers an invoke with 403', async () => {
    const handled: string[] = [];
    const commands = new Proxy({}, { get: () => async (_turn: unknown, command: { kind: string }) => { handled.push(command.kind); } }) as CommandHandlers;
    const bot = new ConcordBot({
      logger: pino({ level: 'silent' }),
      clock: { now: () => new Date('2026-01-01T00:00:00Z') },
      renderer: new CardRenderer(),
      commands,
      verbs: new Map(),
      rateLimiter: new RateLimiter(100),
      localMode: false,
      allowedTenants: ['tenant-1', 'tenant-2'],
      onInstalled: async () => { handled.push('installed'); },
    });
    const adapter = new TestAdapter(async (context) => bot.onTurn(context));
    for (const activity of [
      teams({ channelId: 'webchat', text: 'help' }),
      teams({ from: { id: '29:someone' }, text: 'help' }),
      teams({ channelData: { tenant: { id: 'tenant-2' } }, text: 'help' }),
    ]) await adapter.send(activity);
    expect(handled).toEqual([]);
    await adapter.send(teams({ text: 'help' }));
    expect(handled).toEqual(['help']);

    const invoke = teams({ type: 'invoke', name: 'adaptiveCard/action', channelId: 'webchat', value: { action: { type: 'Action.Execute', verb: 'x', data: {} } } });
    const replies: Partial<Activity>[] = [];
    await adapter.processActivity(invoke, async (context) => {
      context.onSendActivities(async (_ctx, activities, next) => { replies.push(...activities); return next(); });
      await bot.onTurn(context);
    });
    expect((replies.find((reply) => reply.type === 'invokeResponse')?.value as { status: number }).status).toBe(403);
  });
});
