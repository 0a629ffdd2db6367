import type { Outcome } from './outcome.js';
import { err, ok, type Result } from '../shared/result.js';
import { GATEWAY_STAGES, type GatewayStage } from './model.js';

/**
 * Locked gateways, from the guidance ("Options for strengthening decision-making", option 2):
 * "Providers agree to different stages in the decision-making process, and at each stage once a
 * decision is made it will not be reopened unless this in the best interest of the public.
 * Usually there are four stages: initiation, case for change, options, options appraisal."
 *
 * Read from the register: a stage is agreed (locked) when any outcome for it is agreed and has
 * not been superseded. A later poll on a locked stage that fails does not unlock it — the earlier
 * decision stands until the secretariat marks it superseded.
 */

export type GatewayStageState = 'agreed (locked)' | 'open' | 'waiting for earlier stages';

export interface GatewayStageStatus {
  stage: GatewayStage;
  state: GatewayStageState;
  /** The latest agreed outcome that locks the stage. */
  agreedOutcomeId?: string;
  /** Earlier stages not yet agreed; empty when the stage may be polled in order. */
  missing: GatewayStage[];
}

export type GatewayRefusal =
  | { kind: 'gateway-locked'; stage: GatewayStage }
  | { kind: 'gateway-out-of-order'; stage: GatewayStage; missing: GatewayStage[] };

/** Chairs type programme names; "Elective Recovery  Hub" and "elective recovery hub" are one programme. */
export const sameProgramme = (a: string, b: string): boolean => {
  const normalise = (name: string): string => name.trim().replace(/\s+/g, ' ').toLowerCase();
  return normalise(a) === normalise(b);
};

const STAGE_WORDS: Record<GatewayStage, string> = {
  initiation: 'initiation',
  'case-for-change': 'case for change',
  options: 'options',
  'options-appraisal': 'options appraisal',
};
export const stageInWords = (stage: GatewayStage): string => STAGE_WORDS[stage];

const latestAgreed = (programme: string, stage: GatewayStage, outcomes: readonly Outcome[]): Outcome | undefined => {
  let latest: Outcome | undefined;
  for (const outcome of outcomes) {
    if (outcome.status !== 'agreed' || outcome.gateway === undefined) continue;
    if (outcome.gateway.stage !== stage || !sameProgramme(outcome.gateway.programme, programme)) continue;
    const later =
      latest === undefined ||
      outcome.closedAt > latest.closedAt ||
      (outcome.closedAt === latest.closedAt && outcome.id > latest.id);
    if (later) latest = outcome;
  }
  return latest;
};

export const gatewayStatus = (programme: string, outcomes: readonly Outcome[]): GatewayStageStatus[] => {
  const agreed = GATEWAY_STAGES.map((stage) => latestAgreed(programme, stage, outcomes));
  return GATEWAY_STAGES.map((stage, index) => {
    const missing = GATEWAY_STAGES.slice(0, index).filter((_, earlier) => agreed[earlier] === undefined);
    const lock = agreed[index];
    const state: GatewayStageState =
      lock !== undefined ? 'agreed (locked)' : missing.length === 0 ? 'open' : 'waiting for earlier stages';
    return lock === undefined ? { stage, state, missing } : { stage, state, agreedOutcomeId: lock.id, missing };
  });
};

/**
 * May a poll be opened on this stage? Only when every earlier stage is agreed, and — when the
 * stage is itself already agreed — only with a reason for reopening it in the public interest.
 */
export const checkGatewayStage = (
  programme: string,
  stage: GatewayStage,
  outcomes: readonly Outcome[],
  reopenReason?: string,
): Result<{ reopensLockedStage: boolean }, GatewayRefusal> => {
  const status = gatewayStatus(programme, outcomes).find((s) => s.stage === stage);
  if (status === undefined) throw new Error(`unknown gateway stage ${stage}`);
  if (status.missing.length > 0) return err({ kind: 'gateway-out-of-order', stage, missing: status.missing });
  if (status.state === 'agreed (locked)') {
    if (reopenReason === undefined || reopenReason.trim() === '') return err({ kind: 'gateway-locked', stage });
    return ok({ reopensLockedStage: true });
  }
  return ok({ reopensLockedStage: false });
};
