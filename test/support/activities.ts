import { textOf } from './fake-connector.js';

export interface Member {
  aadObjectId: string;
  name: string;
}

export const ALEX: Member = { aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };

let sequence = 0;

function base(serviceUrl: string, from: Member, conversationId: string) {
  sequence += 1;
  return {
    id: `incoming-${sequence}`,
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: `29:${from.aadObjectId}`, name: from.name, aadObjectId: from.aadObjectId },
    recipient: { id: '28:concord', name: 'Concord' },
    conversation: { id: conversationId, conversationType: 'channel', tenantId: 'tenant-1' },
    channelData: { tenant: { id: 'tenant-1' } },
  };
}

export function message(serviceUrl: string, text: string, options: { from?: Member; conversationId?: string; mention?: boolean } = {}) {
  const activity = base(serviceUrl, options.from ?? ALEX, options.conversationId ?? 'conversation-1');
  const withMention = options.mention ? `<at>Concord</at> ${text}` : text;
  return {
    ...activity,
    type: 'message',
    text: withMention,
    entities: options.mention
      ? [{ type: 'mention', text: '<at>Concord</at>', mentioned: { id: '28:concord', name: 'Concord' } }]
      : [],
  };
}

export function cardAction(
  serviceUrl: string,
  verb: string,
  data: Record<string, unknown>,
  options: { from?: Member; conversationId?: string; replyToId?: string } = {},
) {
  return {
    ...base(serviceUrl, options.from ?? ALEX, options.conversationId ?? 'conversation-1'),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: options.replyToId ?? 'card-activity-1',
    value: { action: { type: 'Action.Execute', verb, data } },
  };
}

export function installed(serviceUrl: string, options: { conversationId?: string } = {}) {
  return {
    ...base(serviceUrl, ALEX, options.conversationId ?? 'conversation-1'),
    type: 'installationUpdate',
    action: 'add',
  };
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try { parsed = text ? JSON.parse(text) : undefined; } catch { /* keep text */ }
  return { status: response.status, body: parsed };
}

/** The text of the card an Action.Execute invoke answered with. */
export const invokeText = (response: { body: unknown }): string => textOf((response.body as { value?: unknown } | undefined)?.value);

/** A vote Concord acknowledged: 200 and the card says it is on the record (a polite refusal is also a 200). */
export const voteAcknowledged = (response: { status: number; body: unknown }): boolean =>
  response.status === 200 && /^(Recorded|Changed):/m.test(invokeText(response));
