import {
  type Activity,
  CloudAdapter,
  ConfigurationServiceClientCredentialFactory,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { ReusedConnectorsAuthentication } from './reused-connectors.js';

/**
 * botbuilder's CloudAdapter. With no app id (local mode) it skips authentication, which is
 * what the Agents Playground speaks; with one, every request must carry a valid Bot Framework
 * token or it is refused with 401 before any Concord code runs.
 */
export class ConcordAdapter extends CloudAdapter {
  /**
   * Runs one already-parsed activity: checks its token, then the turn. Throws botbuilder's
   * AuthenticationError for a bad token. Used instead of `process(req, res)`, which writes
   * botbuilder's internal error text (host names, DNS failures) into the response and console.
   */
  async handle(authorization: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    // What `process` does before this (botbuilder's validateAndFixActivity): dates arrive as text.
    const fixed = activity as Activity & Record<string, unknown>;
    for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['expiration', 'rawExpiration'], ['localTimestamp', 'rawLocalTimestamp']] as const) {
      const value = fixed[field];
      if (typeof value === 'string') Object.assign(fixed, { [raw]: value, [field]: new Date(value) });
    }
    return this.processActivity(authorization, fixed, logic);
  }
}

export function createBotAdapter(config: Config, logger: Logger): ConcordAdapter {
  const settings = {
    MicrosoftAppId: config.bot.appId ?? '',
    MicrosoftAppPassword: config.bot.appPassword ?? '',
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId ?? '',
  };
  const credentials = new ConfigurationServiceClientCredentialFactory(settings);
  const adapter = new ConcordAdapter(new ReusedConnectorsAuthentication(settings, credentials));
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    // The bot catches its own errors; reaching here means the adapter itself failed to send.
    logger.error({ err: error, conversationId: context.activity.conversation?.id }, 'adapter turn error');
  };
  return adapter;
}
