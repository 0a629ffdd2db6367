import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';

// botbuilder does not re-export these from botframework-connector; they are read off the methods.
type Authentication = ConfigurationBotFrameworkAuthentication;
type ConnectorFactory = ReturnType<Authentication['createConnectorFactory']>;
type ClaimsIdentity = Parameters<Authentication['createConnectorFactory']>[0];
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;
type UserTokenClient = Awaited<ReturnType<Authentication['createUserTokenClient']>>;
type AuthenticateRequestResult = Awaited<ReturnType<Authentication['authenticateRequest']>>;
/** AuthenticationConstants.AudienceClaim and AppIdClaim (a channel's token names the bot in `aud`, the Emulator's in `appid`). */
const AUDIENCE_CLAIM = 'aud';
const APP_ID_CLAIM = 'appid';

/** Distinct clients kept; a bot talks to a handful of service URLs, so this is only a bound. */
const MAX_CLIENTS = 64;

/** The bot app id botframework-connector builds credentials for, read as it reads it. */
const appIdOf = (claimsIdentity: ClaimsIdentity): string =>
  claimsIdentity.getClaimValue(AUDIENCE_CLAIM) ?? claimsIdentity.getClaimValue(APP_ID_CLAIM) ?? '';

/** Promises by key; a rejected one is dropped so the next turn tries again (a bad app id, say). */
class ClientCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  get(key: string, create: () => Promise<T>): Promise<T> {
    let entry = this.entries.get(key);
    if (!entry) {
      if (this.entries.size >= MAX_CLIENTS) this.entries.clear();
      entry = create();
      this.entries.set(key, entry);
      const kept = entry;
      kept.catch(() => { if (this.entries.get(key) === kept) this.entries.delete(key); });
    }
    return entry;
  }
}

/**
 * botbuilder's CloudAdapter builds a new ConnectorClient and a new UserTokenClient, each with its
 * credentials and HTTP pipeline, on every turn, invoke or not: that was 7% of a vote's CPU. Neither
 * holds per-turn state. A client signs each request with its credentials, which fetch a new token
 * when theirs has expired, so one client per bot app id, service URL and audience serves every
 * turn, and keeping the credentials keeps their token cache rather than starting one per turn.
 */
export class ReusedConnectorsAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectors = new ClientCache<ConnectorClient>();
  private readonly userTokenClients = new ClientCache<UserTokenClient>();

  override async authenticateRequest(...args: Parameters<Authentication['authenticateRequest']>): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(...args);
    // CloudAdapter takes the turn's connector from here, not from createConnectorFactory.
    return result.connectorFactory ? { ...result, connectorFactory: this.reusing(result.connectorFactory, appIdOf(result.claimsIdentity)) } : result;
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.reusing(super.createConnectorFactory(claimsIdentity), appIdOf(claimsIdentity));
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.userTokenClients.get(appIdOf(claimsIdentity), () => super.createUserTokenClient(claimsIdentity));
  }

  private reusing(inner: ConnectorFactory, appId: string): ConnectorFactory {
    return {
      create: (serviceUrl: string, audience?: string) =>
        this.connectors.get(JSON.stringify([appId, serviceUrl, audience ?? null]), () => inner.create(serviceUrl, audience)),
    };
  }
}
