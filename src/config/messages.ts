import type { z } from 'zod';

/**
 * What each setting accepts, in the words the message uses: "<NAME> must be <this>, got "<value>"".
 * A setting missing here still gets a message naming it and its value, with zod's wording.
 */
const ACCEPTS: Record<string, string> = {
  NODE_ENV: '"development", "production" or "test"',
  HOST: 'an interface address such as 127.0.0.1 or 0.0.0.0',
  PORT: 'a whole number from 1 to 65535 (or 0 for any free port)',
  MicrosoftAppType: '"MultiTenant", "SingleTenant" or "UserAssignedMSI"',
  CONCORD_DATA_DIR: 'a folder path',
  DATABASE_URL: 'a postgres:// or postgresql:// URL, such as postgres://user:password@host:5432/concord',
  CONCORD_KNOWLEDGE_DIR: 'a folder path',
  CONCORD_COLLABORATIVE_FILE: 'a file path',
  CONCORD_PUBLIC_URL: 'an http:// or https:// URL, such as https://concord.example.nhs.uk',
  CONCORD_LOG_LEVEL: '"fatal", "error", "warn", "info", "debug", "trace" or "silent"',
  CONCORD_MAX_BODY_BYTES: 'a whole number of bytes from 1024 to 10000000',
  CONCORD_RATE_LIMIT_PER_MINUTE: 'a whole number from 1 to 10000',
  CONCORD_CARD_UPDATE_INTERVAL_MS: 'a whole number of milliseconds from 0 to 60000',
  CONCORD_CONNECTOR_TIMEOUT_MS: 'a whole number of milliseconds from 100 to 120000',
  CONCORD_SSO_JWKS_URL: 'an http:// or https:// URL',
};

/** One zod issue about the environment as a sentence naming the setting, its value and what is accepted. */
export function describeSettingIssue(issue: z.core.$ZodIssue, environment: Record<string, string | undefined>): string {
  const name = String(issue.path[0] ?? 'environment');
  const value = environment[name];
  const accepts = ACCEPTS[name];
  if (value === undefined) return `${name} is required${accepts ? `: set it to ${accepts}` : ''}`;
  const got = `got ${JSON.stringify(value)}`;
  return accepts ? `${name} must be ${accepts}, ${got}` : `${name}: ${issue.message}, ${got}`;
}
