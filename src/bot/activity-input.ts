import { z } from 'zod';

/**
 * The parts of an incoming activity Concord relies on, checked before anything acts on them.
 * Anything else on the activity is passed through untouched for botbuilder.
 */
export const IncomingActivity = z.object({
  type: z.string().min(1).max(64),
  id: z.string().max(512).optional(),
  channelId: z.string().max(64).optional(),
  serviceUrl: z.string().max(2048).optional(),
  text: z.string().max(20_000).optional(),
  replyToId: z.string().max(512).optional(),
  name: z.string().max(256).optional(),
  from: z.object({ id: z.string().max(512), name: z.string().max(512).optional(), aadObjectId: z.string().max(100).optional() }).loose().optional(),
  conversation: z.object({ id: z.string().min(1).max(1024), tenantId: z.string().max(100).optional() }).loose().optional(),
  channelData: z.object({ tenant: z.object({ id: z.string().max(100) }).loose().optional() }).loose().optional(),
}).loose();

/** An Action.Execute invoke (`adaptiveCard/action`). */
export const CardActionValue = z.object({
  action: z.object({
    type: z.literal('Action.Execute'),
    verb: z.string().min(1).max(64),
    data: z.record(z.string(), z.unknown()).optional().default({}),
  }).loose(),
}).loose();

/** An Action.Submit fallback arrives as a message whose value names the verb. */
export const SubmitValue = z.object({ verb: z.string().min(1).max(64) }).loose();

/** Card data beyond this is refused before it is parsed further; no Concord form comes close. */
export const MAX_CARD_DATA_BYTES = 32 * 1024;
