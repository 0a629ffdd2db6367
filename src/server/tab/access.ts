/**
 * Who may read the register through the tab's API. The page itself holds no data and is served to
 * anyone; every /api/register request passes through `checkAccess` first.
 *
 * - Local mode (no Microsoft app id): nothing can be authenticated, so only this computer is
 *   answered: the connection must come from loopback, and the Host header must name loopback too,
 *   so a web page in the developer's browser cannot reach the API by DNS rebinding.
 * - With credentials: a Teams SSO token (Authorization: Bearer) that verifies (sso-token.ts), from
 *   a tenant on CONCORD_ALLOWED_TENANTS.
 */
import type { Config } from '../../config/config.js';
import type { VerifyToken } from './sso-token.js';

export interface AccessRequest {
  readonly remoteAddress: string | undefined;
  readonly host: string | undefined;
  readonly authorization: string | undefined;
}

export type AccessDecision =
  | { readonly ok: true; readonly tenantId?: string; readonly userId?: string; readonly name?: string }
  /** `message` is for the caller; `reason` (and `tenantId`) for the log. */
  | { readonly ok: false; readonly status: 401 | 403 | 503; readonly message: string; readonly reason: string; readonly tenantId?: string };

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export const isLoopbackAddress = (address: string | undefined): boolean => address !== undefined && LOOPBACK_ADDRESSES.has(address);

/** The host name of a Host header ("127.0.0.1:3978" → "127.0.0.1", "[::1]:3978" → "[::1]"). */
function hostName(host: string | undefined): string {
  if (!host) return '';
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0] ?? '';
  return name.toLowerCase();
}

export async function checkAccess(request: AccessRequest, config: Config, verifyToken: VerifyToken): Promise<AccessDecision> {
  if (config.localMode) {
    if (!isLoopbackAddress(request.remoteAddress)) {
      return { ok: false, status: 403, message: 'In local mode the register answers only this computer.', reason: 'local mode: not loopback' };
    }
    if (!LOOPBACK_HOSTS.has(hostName(request.host))) {
      return { ok: false, status: 403, message: 'In local mode the register answers only requests addressed to localhost or 127.0.0.1.', reason: 'local mode: host is not loopback' };
    }
    return { ok: true };
  }

  const bearer = /^Bearer\s+(\S+)$/i.exec(request.authorization ?? '');
  if (!bearer) return { ok: false, status: 401, message: 'Sign in through Teams to read the register.', reason: 'no bearer token' };
  const checked = await verifyToken(bearer[1]!);
  if (!checked.ok) {
    return checked.status === 503
      ? { ok: false, status: 503, message: 'Sign-in cannot be checked just now. Try again in a minute.', reason: checked.reason }
      : { ok: false, status: 401, message: 'Your sign-in was not accepted. Reopen the tab in Teams.', reason: checked.reason };
  }
  // An empty allow-list refuses everyone: Microsoft's common keys sign tokens for every Microsoft 365
  // tenant in the world, so "no list" must not mean "any organisation may read the register".
  if (!config.allowedTenants.includes(checked.tenantId)) {
    return {
      ok: false,
      status: 403,
      message: 'Your organisation is not one this register is shared with.',
      reason: config.allowedTenants.length === 0 ? 'CONCORD_ALLOWED_TENANTS is empty: every tenant is refused' : 'tenant not allowed',
      tenantId: checked.tenantId,
    };
  }
  return { ok: true, tenantId: checked.tenantId, userId: checked.userId, name: checked.name };
}
