import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type TurnContext,
} from 'botbuilder';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';

/**
 * botbuilder's CloudAdapter. With no app id (local mode) it skips authentication, which is
 * what the Agents Playground speaks; with one, every request must carry a valid Bot Framework
 * token or it is refused with 401 before any Concord code runs.
 */
export function createBotAdapter(config: Config, logger: Logger): CloudAdapter {
  const settings = {
    MicrosoftAppId: config.bot.appId ?? '',
    MicrosoftAppPassword: config.bot.appPassword ?? '',
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId ?? '',
  };
  const credentials = new ConfigurationServiceClientCredentialFactory(settings);
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(settings, credentials));
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    // The bot catches its own errors; reaching here means the adapter itself failed to send.
    logger.error({ err: error, conversationId: context.activity.conversation?.id }, 'adapter turn error');
  };
  return adapter;
}
