import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { ReusedConnectorsAuthentication } from '../../src/server/reused-connectors.js';

type Claims = Parameters<ReusedConnectorsAuthentication['createConnectorFactory']>[0];
/** A turn's identity naming the bot `appId` (the `aud` claim of a channel's token). */
const claimsFor = (appId: string): Claims => ({ claims: [{ type: 'aud', value: appId }], isAuthenticated: true, getClaimValue: (type: string) => (type === 'aud' ? appId : null) } as unknown as Claims);

function authentication(): ReusedConnectorsAuthentication {
  // No app id: local mode, as the Agents Playground speaks (credentials are empty, nothing is fetched).
  const settings = { MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: '' };
  return new ReusedConnectorsAuthentication(settings, new ConfigurationServiceClientCredentialFactory(settings));
}

describe('one ConnectorClient per bot, service URL and audience, not one per turn', () => {
  it.each([
    ['two turns to the same service URL', ['bot', 'https://smba.example/emea/', 'aud-1'], ['bot', 'https://smba.example/emea/', 'aud-1'], true],
    ['another service URL', ['bot', 'https://smba.example/emea/', 'aud-1'], ['bot', 'https://smba.example/amer/', 'aud-1'], false],
    ['another audience', ['bot', 'https://smba.example/emea/', 'aud-1'], ['bot', 'https://smba.example/emea/', 'aud-2'], false],
    ['another bot (app id)', ['bot', 'https://smba.example/emea/', 'aud-1'], ['other-bot', 'https://smba.example/emea/', 'aud-1'], false],
  ] as const)('%s → same client: %s', async (_, [appA, urlA, audA], [appB, urlB, audB], same) => {
    const auth = authentication();
    const first = await auth.createConnectorFactory(claimsFor(appA)).create(urlA, audA);
    const second = await auth.createConnectorFactory(claimsFor(appB)).create(urlB, audB);
    expect(first === second).toBe(same);
    expect(second.conversations).toBeDefined();
  });

  it('the connector a turn gets from authenticating its request is reused too, and so is the user-token client', async () => {
    const auth = authentication();
    const activity = { type: 'invoke', channelId: 'msteams', serviceUrl: 'https://smba.example/emea/' } as Parameters<ReusedConnectorsAuthentication['authenticateRequest']>[0];
    const first = await auth.authenticateRequest(activity, '');
    const second = await auth.authenticateRequest(activity, '');
    const url = 'https://smba.example/emea/';
    expect(await first.connectorFactory?.create(url, first.audience)).toBe(await second.connectorFactory?.create(url, second.audience));
    expect(await auth.createUserTokenClient(first.claimsIdentity)).toBe(await auth.createUserTokenClient(second.claimsIdentity));
  });
});
