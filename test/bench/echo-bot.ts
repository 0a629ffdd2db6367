/**
 * The baseline for the vote bench: an echo bot on the same restify server, body parser and
 * botbuilder CloudAdapter as Concord (src/server/), answering every invoke with a one-line card
 * and doing nothing else. What a vote costs beyond this is Concord's own work; on a shared machine
 * the ratio holds when the absolute figures do not.
 */
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { pino } from 'pino';
import type { Config } from '../../src/config/config.js';
import { createBotAdapter } from '../../src/server/bot-adapter.js';
import { startServer, type RunningServer } from '../../src/server/server.js';

const ECHO_CARD = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Echo', wrap: true }] };

export async function startEchoBot(config: Config): Promise<RunningServer> {
  const logger = pino({ level: 'silent' });
  const onTurn = async (context: TurnContext): Promise<void> => {
    if (context.activity.type !== ActivityTypes.Invoke) return;
    const body = { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: ECHO_CARD };
    await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
  };
  return startServer({ config, logger, adapter: createBotAdapter(config, logger), onTurn, storeState: () => 'ready' });
}
