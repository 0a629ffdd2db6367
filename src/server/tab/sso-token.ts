/**
 * Checks the Teams SSO token the register tab sends (`authentication.getAuthToken()`), with
 * `jose` against the Microsoft identity platform's signing keys (CONCORD_SSO_JWKS_URL).
 *
 * What makes a token good here (Teams SSO docs, "Validate the access token"):
 * - signed (RS256) by a key in the JWKS; `exp` present and not passed (`nbf` honoured);
 * - audience is exactly the Application ID URI the Teams package declares,
 *   `api://<host of CONCORD_PUBLIC_URL>/<app id>` (v1 tokens), or the bare app id (v2 tokens);
 *   not any `api://.../<app id>`, which another app registration could claim;
 * - it was issued to a Microsoft Teams (or Microsoft 365 host) client: `azp` (v2) or `appid`
 *   (v1) is one of the client ids Teams SSO pre-authorises ("Configure your tab app in
 *   Microsoft Entra ID", Microsoft Learn), so a token some other app obtained is refused;
 * - `tid` present, and the issuer is that tenant's (v1 `sts.windows.net` or v2 `login...`): the
 *   common JWKS signs tokens for every tenant, so the issuer must agree with the tenant claimed.
 * Whether the tenant is allowed is the caller's rule (a 403, not a 401).
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

export type TokenCheck =
  | { readonly ok: true; readonly tenantId: string; readonly userId?: string; readonly name?: string }
  /** 401: the token is not good. 503: the keys could not be fetched, so nothing can be checked now. */
  | { readonly ok: false; readonly status: 401 | 503; readonly reason: string };

export type VerifyToken = (token: string) => Promise<TokenCheck>;

/** Seconds of clock difference tolerated between Concord and Microsoft's token service. */
const CLOCK_TOLERANCE_SECONDS = 60;

/** jose's codes for a token that is wrong in itself; anything else means the keys were unreachable. */
const TOKEN_FAULTS = new Set([
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_INVALID',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
]);

const codeOf = (error: unknown): string | undefined =>
  (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined);

/**
 * The Microsoft 365 clients that request tab SSO tokens: Teams desktop/mobile, Teams web,
 * Microsoft 365 web and desktop/mobile, Outlook desktop, web and mobile.
 */
export const TEAMS_CLIENT_IDS: ReadonlySet<string> = new Set([
  '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
  '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
  '4765445b-32c6-49b0-83e6-1d93765276ca',
  '0ec893e0-5785-4de6-99da-4ed124e5296c',
  'd3590ed6-52b3-4102-aeff-aad2292ab01c',
  'bc59ab01-8403-45c6-8796-ac3ef710b3e3',
  '27922004-5251-4030-b22d-91ecd9a37ea4',
]);

/** The Application ID URI `npm run package` writes into webApplicationInfo.resource. */
export function applicationIdUri(publicUrl: string, appId: string): string {
  return `api://${new URL(publicUrl).host}/${appId}`;
}

export function audienceMatches(audience: JWTPayload['aud'], appId: string, publicUrl: string | undefined): boolean {
  const audiences = audience === undefined ? [] : Array.isArray(audience) ? audience : [audience];
  const accepted = new Set([appId, ...(publicUrl ? [applicationIdUri(publicUrl, appId)] : [])]);
  return appId !== '' && audiences.some((aud) => accepted.has(aud));
}

/** v2 tokens name the client in `azp`, v1 tokens in `appid`. */
export function issuedToTeams(payload: JWTPayload): boolean {
  const client = typeof payload.azp === 'string' ? payload.azp : typeof payload.appid === 'string' ? payload.appid : undefined;
  return client !== undefined && TEAMS_CLIENT_IDS.has(client.toLowerCase());
}

const issuersFor = (tenantId: string): string[] => [
  `https://login.microsoftonline.com/${tenantId}/v2.0`,
  `https://sts.windows.net/${tenantId}/`,
];

export function createSsoTokenVerifier(options: { jwksUrl: string; appId: string; publicUrl?: string }): VerifyToken {
  // jose caches the key set, refetches it when a token names an unknown key (at most every 30 s),
  // and times a fetch out after 5 s; one set serves every request.
  const keys = createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'aud', 'iss', 'tid'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (error) {
      const code = codeOf(error);
      if (code !== undefined && TOKEN_FAULTS.has(code)) return { ok: false, status: 401, reason: code };
      return { ok: false, status: 503, reason: `signing keys unavailable: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (!audienceMatches(payload.aud, options.appId, options.publicUrl)) return { ok: false, status: 401, reason: 'wrong audience' };
    if (!issuedToTeams(payload)) return { ok: false, status: 401, reason: 'not issued to a Teams client' };
    const tenantId = typeof payload.tid === 'string' ? payload.tid : '';
    if (tenantId === '') return { ok: false, status: 401, reason: 'no tenant' };
    if (!payload.iss || !issuersFor(tenantId).includes(payload.iss)) return { ok: false, status: 401, reason: 'issuer does not match tenant' };
    return {
      ok: true,
      tenantId,
      userId: typeof payload.oid === 'string' ? payload.oid : undefined,
      name: typeof payload.name === 'string' ? payload.name : undefined,
    };
  };
}
