/**
 * Checks the Teams SSO token the register tab sends (`authentication.getAuthToken()`), with
 * `jose` against the Microsoft identity platform's signing keys (CONCORD_SSO_JWKS_URL).
 *
 * What makes a token good here (Teams SSO docs, "Validate the access token"):
 * - signed (RS256) by a key in the JWKS; `exp` present and not passed (`nbf` honoured);
 * - audience is this bot's app id, or the Application ID URI `api://<host>/<app id>` that Teams
 *   asks for (v1 tokens carry the URI, v2 tokens the bare id: both are accepted);
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

export function audienceMatches(audience: JWTPayload['aud'], appId: string): boolean {
  const audiences = audience === undefined ? [] : Array.isArray(audience) ? audience : [audience];
  return audiences.some((aud) => aud === appId || (aud.startsWith('api://') && aud.endsWith(`/${appId}`)));
}

const issuersFor = (tenantId: string): string[] => [
  `https://login.microsoftonline.com/${tenantId}/v2.0`,
  `https://sts.windows.net/${tenantId}/`,
];

export function createSsoTokenVerifier(options: { jwksUrl: string; appId: string }): VerifyToken {
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
    if (!audienceMatches(payload.aud, options.appId)) return { ok: false, status: 401, reason: 'wrong audience' };
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
