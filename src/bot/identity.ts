import type { Activity } from 'botbuilder';
import type { Result } from '../shared/result.js';

/**
 * Who sent an activity, from the fields Teams sets. Outside local mode the Bot Framework token
 * proves only that the activity came through the Bot Connector, for this bot; these checks keep
 * Concord from acting on fields another channel (Web Chat, Direct Line) lets the caller choose.
 */
export type IdentityError =
  | { readonly kind: 'not-teams'; readonly channelId: string }
  | { readonly kind: 'no-aad-object-id' }
  | { readonly kind: 'tenant-mismatch'; readonly channelDataTenant: string; readonly conversationTenant: string };

export interface Sender {
  /** As sent: shown to people and matched to the collaborative's members (case-insensitively). */
  readonly aadObjectId: string;
  /** Normalised, for keys that must not tell `ABC` from `abc` (the rate limit). */
  readonly key: string;
}

export const personKey = (id: string): string => id.trim().toLowerCase();

function channelDataTenant(activity: Partial<Activity>): string | undefined {
  const channelData: unknown = activity.channelData;
  if (channelData && typeof channelData === 'object' && 'tenant' in channelData) {
    const tenant = (channelData as { tenant?: { id?: unknown } }).tenant;
    if (typeof tenant?.id === 'string') return tenant.id;
  }
  return undefined;
}

/** The tenant an activity is from: Teams sets both fields, and outside local mode they must agree. */
export function tenantOf(activity: Partial<Activity>): string | undefined {
  return channelDataTenant(activity) ?? activity.conversation?.tenantId;
}

export function checkSender(activity: Partial<Activity>, options: { readonly localMode: boolean }): Result<Sender, IdentityError> {
  const aadObjectId = activity.from?.aadObjectId;
  if (options.localMode) {
    // The Agents Playground and emulators may send no aadObjectId; nothing is authenticated anyway.
    const id = aadObjectId ?? activity.from?.id ?? 'unknown';
    return { ok: true, value: { aadObjectId: id, key: personKey(id) } };
  }
  if (activity.channelId !== 'msteams') return { ok: false, error: { kind: 'not-teams', channelId: activity.channelId ?? 'none' } };
  // from.id is per-bot and per-channel; only the Entra object id names the person everywhere.
  if (!aadObjectId || aadObjectId.trim() === '') return { ok: false, error: { kind: 'no-aad-object-id' } };
  const fromChannelData = channelDataTenant(activity);
  const fromConversation = activity.conversation?.tenantId;
  if (fromChannelData !== undefined && fromConversation !== undefined && fromChannelData.toLowerCase() !== fromConversation.toLowerCase()) {
    return { ok: false, error: { kind: 'tenant-mismatch', channelDataTenant: fromChannelData, conversationTenant: fromConversation } };
  }
  return { ok: true, value: { aadObjectId, key: personKey(aadObjectId) } };
}
