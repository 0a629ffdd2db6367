import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';

// botbuilder does not re-export these from botframework-connector; they are read off the method.
type ConnectorFactory = ReturnType<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>;
type ClaimsIdentity = Parameters<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>[0];
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;
/** AuthenticationConstants.AudienceClaim and AppIdClaim (a channel's token names the bot in `aud`, the Emulator's in `appid`). */
const AUDIENCE_CLAIM = 'aud';
const APP_ID_CLAIM = 'appid';

/** Distinct (app, service URL, audience) triples kept; a bot talks to a handful, so this is only a bound. */
const MAX_CLIENTS = 64;

/**
 * botbuilder's CloudAdapter asks for a new ConnectorClient on every turn, invoke or not, and building
 * one (credentials, HTTP pipeline) was 7% of a vote's CPU. A client holds no per-turn state: it signs
 * each request with its credentials, which fetch a token when theirs has expired. So one client per
 * bot app id, service URL and audience serves every turn, and keeping the credentials also keeps
 * their token cache instead of starting a new one per turn.
 */
export class ReusedConnectorsAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly clients = new Map<string, Promise<ConnectorClient>>();

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    const inner = super.createConnectorFactory(claimsIdentity);
    // The app id the inner factory builds credentials for (as botframework-connector reads it).
    const appId = claimsIdentity.getClaimValue(AUDIENCE_CLAIM) ?? claimsIdentity.getClaimValue(APP_ID_CLAIM) ?? '';
    return {
      create: (serviceUrl: string, audience?: string) => {
        const key = JSON.stringify([appId, serviceUrl, audience ?? null]);
        let client = this.clients.get(key);
        if (!client) {
          if (this.clients.size >= MAX_CLIENTS) this.clients.clear();
          client = inner.create(serviceUrl, audience);
          this.clients.set(key, client);
          // A failed build (a bad app id) is not kept: the next turn tries again.
          client.catch(() => { if (this.clients.get(key) === client) this.clients.delete(key); });
        }
        return client;
      },
    };
  }
}
