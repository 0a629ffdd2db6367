import { describe, expect, it } from 'vitest';
import { checkGatewayStage, gatewayStatus } from '../../src/decisions/gateway.js';
import type { GatewayStage } from '../../src/decisions/model.js';
import type { Outcome } from '../../src/decisions/outcome.js';
import { outcome } from './fixtures.js';

const programme = 'Elective recovery hub';
const decided = (stage: GatewayStage, status: Outcome['status'], id: string, closedAt = '2025-03-04T10:00:00.000Z'): Outcome =>
  outcome({ id, gateway: { programme, stage }, status, closedAt });

const states = (outcomes: Outcome[]): string[] => gatewayStatus(programme, outcomes).map((s) => `${s.stage}: ${s.state}`);

describe('gatewayStatus: initiation → case for change → options → options appraisal', () => {
  it.each<[string, Outcome[], string[]]>([
    ['a new programme', [], ['initiation: open', 'case-for-change: waiting for earlier stages', 'options: waiting for earlier stages', 'options-appraisal: waiting for earlier stages']],
    [
      'initiation agreed',
      [decided('initiation', 'agreed', 'o1')],
      ['initiation: agreed (locked)', 'case-for-change: open', 'options: waiting for earlier stages', 'options-appraisal: waiting for earlier stages'],
    ],
    [
      'case for change not agreed',
      [decided('initiation', 'agreed', 'o1'), decided('case-for-change', 'not-agreed', 'o2')],
      ['initiation: agreed (locked)', 'case-for-change: open', 'options: waiting for earlier stages', 'options-appraisal: waiting for earlier stages'],
    ],
    [
      'case for change in dispute resolution',
      [decided('initiation', 'agreed', 'o1'), decided('case-for-change', 'referred-to-dispute-resolution', 'o2')],
      ['initiation: agreed (locked)', 'case-for-change: open', 'options: waiting for earlier stages', 'options-appraisal: waiting for earlier stages'],
    ],
    [
      'a failed reopening leaves the earlier agreement locked',
      [decided('initiation', 'agreed', 'o1'), decided('initiation', 'not-agreed', 'o2', '2025-03-05T10:00:00.000Z')],
      ['initiation: agreed (locked)', 'case-for-change: open', 'options: waiting for earlier stages', 'options-appraisal: waiting for earlier stages'],
    ],
    [
      'a superseded agreement no longer locks',
      [decided('initiation', 'superseded', 'o1')],
      ['initiation: open', 'case-for-change: waiting for earlier stages', 'options: waiting for earlier stages', 'options-appraisal: waiting for earlier stages'],
    ],
    [
      'all four agreed',
      [decided('options-appraisal', 'agreed', 'o4'), decided('options', 'agreed', 'o3'), decided('case-for-change', 'agreed', 'o2'), decided('initiation', 'agreed', 'o1')],
      ['initiation: agreed (locked)', 'case-for-change: agreed (locked)', 'options: agreed (locked)', 'options-appraisal: agreed (locked)'],
    ],
  ])('%s', (_name, outcomes, want) => expect(states(outcomes)).toEqual(want));

  it('names the latest agreed outcome that locks a stage, and the earlier stages missing', () => {
    const status = gatewayStatus(programme, [
      decided('options', 'agreed', 'early', '2025-03-01T10:00:00.000Z'),
      decided('options', 'agreed', 'late', '2025-03-02T10:00:00.000Z'),
    ]);
    expect(status[2]).toEqual({ stage: 'options', state: 'agreed (locked)', agreedOutcomeId: 'late', missing: ['initiation', 'case-for-change'] });
  });

  it('ignores outcomes with no gateway', () => {
    expect(states([outcome()])[0]).toBe('initiation: open');
  });
});

describe('checkGatewayStage', () => {
  const history = [decided('initiation', 'agreed', 'o1')];
  it.each<[GatewayStage, string | undefined, unknown]>([
    ['case-for-change', undefined, { ok: true, value: { reopensLockedStage: false } }],
    ['initiation', undefined, { ok: false, error: { kind: 'gateway-locked', stage: 'initiation' } }],
    ['initiation', 'Public interest: new data', { ok: true, value: { reopensLockedStage: true } }],
    ['options', 'A reason does not skip a stage', { ok: false, error: { kind: 'gateway-out-of-order', stage: 'options', missing: ['case-for-change'] } }],
  ])('%s with reason %j → %o', (stage, reason, want) => expect(checkGatewayStage(programme, stage, history, reason)).toEqual(want));
});
