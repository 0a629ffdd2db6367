import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConnectorCall {
  method: string;
  path: string;
  conversationId: string;
  /** The activity being replied to (POST) or updated (PUT), when the path names one. */
  activityId?: string;
  body: Record<string, unknown>;
}

/** A failure, a fixed stall, or a call held until the test releases it (`until`): tests wait on state, not time. */
export type Fault = { status: number; retryAfterSeconds?: number } | { delayMs: number } | { until: Promise<void> };

/**
 * A stand-in for the Bot Connector service that Concord replies to (the activity's serviceUrl).
 * It records every call, answers with new activity ids, and can be told to fail or stall.
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  /** What the Bot Framework members API answers for every conversation (TeamsInfo.getPagedMembers / getMember). */
  roster: { id: string; name: string; aadObjectId: string }[] = [];
  private server?: http.Server;
  private nextId = 1;
  private faults: Fault[] = [];
  private conversationFaults = new Map<string, Fault[]>();
  private waiters: { predicate: () => boolean; resolve: () => void }[] = [];
  /** Teams meeting roster for the participant API: aadObjectId → in the meeting now; anyone else is a 404. */
  readonly participants = new Map<string, boolean>();
  /** Participant ids Concord asked about, in order. */
  readonly participantLookups: string[] = [];
  /** Targeted meeting notifications Concord sent (POST v1/meetings/{meetingId}/notification), in order. */
  readonly meetingNotifications: { meetingId: string; body: Record<string, unknown> }[] = [];
  /** How Teams answers a meeting notification: 202 (all delivered), 207 with recipientsFailureInfo, or a refusal. */
  meetingNotificationAnswer: { status: number; body: Record<string, unknown> } = { status: 202, body: {} };

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('fake connector not started');
    return `http://127.0.0.1:${address.port}/`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  /** The next calls fail or stall in this order, then calls succeed again. */
  inject(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  /** Like inject, for calls to one conversation only. */
  injectFor(conversationId: string, ...faults: Fault[]): void {
    this.conversationFaults.set(conversationId, [...(this.conversationFaults.get(conversationId) ?? []), ...faults]);
  }

  /** Messages sent into a conversation (new activities, not updates). */
  sent(conversationId?: string): ConnectorCall[] {
    return this.calls.filter((call) => call.method === 'POST' && (!conversationId || call.conversationId === conversationId));
  }

  updates(conversationId?: string): ConnectorCall[] {
    return this.calls.filter((call) => call.method === 'PUT' && (!conversationId || call.conversationId === conversationId));
  }

  async waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    if (predicate()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fake connector: condition not met in ${timeoutMs} ms (${this.calls.length} calls)`)), timeoutMs);
      this.waiters.push({ predicate, resolve: () => { clearTimeout(timer); resolve(); } });
    });
  }

  /** GET …/pagedmembers and …/members/{id}: the roster, one page. */
  private answerMembers(url: string, res: http.ServerResponse): boolean {
    const one = /\/v3\/conversations\/[^/]+\/members\/([^/?]+)/.exec(url);
    if (!/\/pagedmembers/.test(url) && !one) return false;
    const member = one && this.roster.find((m) => m.aadObjectId === decodeURIComponent(one[1] ?? '') || m.id === decodeURIComponent(one[1] ?? ''));
    res.writeHead(one && !member ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(one ? (member ?? { error: { code: 'NotFound', message: 'no such member' } }) : { members: this.roster }));
    return true;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const notification = /\/v1\/meetings\/([^/]+)\/notification/.exec(req.url ?? '');
    if (notification && req.method === 'POST') {
      this.meetingNotifications.push({ meetingId: decodeURIComponent(notification[1]!), body: JSON.parse(text) as Record<string, unknown> });
      res.writeHead(this.meetingNotificationAnswer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(this.meetingNotificationAnswer.body));
      return;
    }
    const participant = /\/v1\/meetings\/([^/]+)\/participants\/([^/?]+)/.exec(req.url ?? '');
    if (participant) {
      const id = decodeURIComponent(participant[2]!);
      this.participantLookups.push(id);
      const inMeeting = this.participants.get(id);
      const fault = this.faults.shift();
      if (fault && 'status' in fault) {
        res.writeHead(fault.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'Fault', message: 'injected' } }));
        return;
      }
      res.writeHead(inMeeting === undefined ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(inMeeting === undefined
        ? { error: { code: 'NotFound', message: 'participant not found' } }
        : { user: { id: `29:${id}`, aadObjectId: id }, meeting: { role: 'Attendee', inMeeting }, conversation: { id: 'meeting-chat' } }));
      return;
    }
    if (req.method === 'GET' && this.answerMembers(req.url ?? '', res)) return;
    const match = /\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
    const conversationId = decodeURIComponent(match?.[1] ?? '');
    const fault = this.conversationFaults.get(conversationId)?.shift() ?? this.faults.shift();
    if (fault && 'delayMs' in fault) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault && 'until' in fault) await fault.until;
    if (fault && 'status' in fault) {
      if (fault.retryAfterSeconds !== undefined) res.setHeader('retry-after', String(fault.retryAfterSeconds));
      res.writeHead(fault.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'Fault', message: 'injected' } }));
      return;
    }
    const call: ConnectorCall = {
      method: req.method ?? 'GET',
      path: req.url ?? '',
      conversationId: decodeURIComponent(match?.[1] ?? ''),
      activityId: match?.[2] ? decodeURIComponent(match[2]) : undefined,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
    this.calls.push(call);
    const id = call.method === 'PUT' && call.activityId ? call.activityId : `activity-${this.nextId++}`;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id }));
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.predicate()) return true;
      waiter.resolve();
      return false;
    });
  }
}

/** The first Adaptive Card in a recorded call's activity. */
export function cardOf(call: ConnectorCall | undefined): Record<string, unknown> | undefined {
  const attachments = call?.body.attachments as { contentType: string; content: Record<string, unknown> }[] | undefined;
  return attachments?.find((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

/** Every TextBlock text and FactSet fact in a card, for asserting what a person would read. */
function rowTexts(columns: unknown): string[] | undefined {
  if (!Array.isArray(columns) || columns.length < 2) return undefined;
  const texts = columns.map((column) => {
    const items = (column as { items?: unknown }).items;
    const only = Array.isArray(items) && items.length === 1 ? items[0] as { type?: unknown; text?: unknown } : undefined;
    return only?.type === 'TextBlock' && typeof only.text === 'string' ? only.text : undefined;
  });
  return texts.every((text) => text !== undefined) ? texts as string[] : undefined;
}

export function textOf(card: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      // A row of one text per column (a member and its position) reads like a fact: "name: state".
      const cells = record.type === 'ColumnSet' ? rowTexts(record.columns) : undefined;
      if (cells) return void parts.push(cells.join(': '));
      if (typeof record.text === 'string') parts.push(record.text);
      if (record.type === 'Fact' || (typeof record.title === 'string' && typeof record.value === 'string')) parts.push(`${record.title}: ${record.value}`);
      else if (typeof record.title === 'string') parts.push(record.title);
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  return parts.join('\n');
}
