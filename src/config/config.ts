import { existsSync } from 'node:fs';
import { z } from 'zod';
import { isLoopbackHost } from '../shared/loopback.js';
import { describeSettingIssue } from './messages.js';

const csv = z
  .string()
  .transform((value) => value.split(',').map((part) => part.trim()).filter(Boolean));

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/**
 * Every setting Concord reads, by its environment variable name. The Bot Framework names
 * (MicrosoftAppId, ...) are the ones Azure Bot Service and the Teams Toolkit already use.
 * Defaults make `npm start` work with no settings: local mode on 127.0.0.1 without credentials.
 */
const Environment = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  MicrosoftAppTenantId: optionalText,
  CONCORD_ALLOWED_TENANTS: csv.default([]),
  CONCORD_DATA_DIR: z.string().trim().min(1).default('data/store'),
  /**
   * PostgreSQL for several instances sharing one record (postgres://user:password@host:5432/db).
   * When set, Concord uses it instead of the embedded store in CONCORD_DATA_DIR.
   */
  DATABASE_URL: optionalText.pipe(z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional()),
  CONCORD_KNOWLEDGE_DIR: z.string().trim().min(1).default('data/knowledge'),
  CONCORD_COLLABORATIVE_FILE: z.string().trim().min(1).default('data/collaborative.json'),
  CONCORD_SECRETARIAT_CONVERSATION: optionalText,
  CONCORD_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  CONCORD_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest HTTP body accepted on /api/messages; Teams activities are far smaller. */
  CONCORD_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10_000_000).default(256 * 1024),
  /** Commands a person may send per minute before Concord asks them to slow down. */
  CONCORD_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
  /** Least time between two refreshes of one shared card, to stay inside Teams' per-conversation limits. */
  CONCORD_CARD_UPDATE_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1500),
  /** A card refresh that Teams has not answered in this time is abandoned and retried. */
  CONCORD_CONNECTOR_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Days a logged guidance question (and feedback on it) is kept before it is deleted. */
  CONCORD_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Where the register tab fetches the keys that sign Teams SSO tokens; tests point it at a local server. */
  CONCORD_SSO_JWKS_URL: z.url({ protocol: /^https?$/ }).default('https://login.microsoftonline.com/common/discovery/v2.0/keys'),
});

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  /** Local mode: no Bot Framework credentials, so requests are not authenticated. */
  readonly localMode: boolean;
  readonly bot: {
    readonly appId?: string;
    readonly appPassword?: string;
    readonly appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    readonly tenantId?: string;
  };
  readonly allowedTenants: readonly string[];
  readonly dataDir: string;
  /** When set, the shared PostgreSQL store instead of the embedded one in dataDir. */
  readonly databaseUrl?: string;
  readonly knowledgeDir: string;
  readonly collaborativeFile: string;
  readonly secretariatConversationId?: string;
  readonly publicUrl?: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly maxBodyBytes: number;
  readonly rateLimitPerMinute: number;
  readonly cardUpdateIntervalMs: number;
  readonly connectorTimeoutMs: number;
  readonly retentionDays: number;
  /** JWKS for verifying the register tab's Teams SSO tokens (Microsoft identity platform keys). */
  readonly ssoJwksUrl: string;
  readonly version: string;
}

/** Every problem with the settings, each naming its variable, so one run shows them all. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

export function parseConfig(environment: Record<string, string | undefined>, version = '0.0.0'): Config {
  const parsed = Environment.safeParse(environment);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => describeSettingIssue(issue, environment)));
  }
  const settings = parsed.data;
  const problems: string[] = [];
  const hasCredentials = Boolean(settings.MicrosoftAppId);
  if (settings.MicrosoftAppId && !settings.MicrosoftAppPassword && settings.MicrosoftAppType !== 'UserAssignedMSI') {
    problems.push('MicrosoftAppPassword: required when MicrosoftAppId is set');
  }
  if (settings.MicrosoftAppType === 'SingleTenant' && hasCredentials && !settings.MicrosoftAppTenantId) {
    problems.push('MicrosoftAppTenantId: required when MicrosoftAppType is SingleTenant');
  }
  // Production without credentials would accept unauthenticated activities from anyone.
  if (settings.NODE_ENV === 'production' && !hasCredentials) {
    problems.push('MicrosoftAppId: required in production (NODE_ENV=production); set MicrosoftAppId and MicrosoftAppPassword from your Azure Bot registration');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return Object.freeze({
    env: settings.NODE_ENV,
    host: settings.HOST,
    port: settings.PORT,
    localMode: !hasCredentials,
    bot: Object.freeze({
      appId: settings.MicrosoftAppId,
      appPassword: settings.MicrosoftAppPassword,
      appType: settings.MicrosoftAppType,
      tenantId: settings.MicrosoftAppTenantId,
    }),
    allowedTenants: Object.freeze([...settings.CONCORD_ALLOWED_TENANTS]),
    dataDir: settings.CONCORD_DATA_DIR,
    databaseUrl: settings.DATABASE_URL,
    knowledgeDir: settings.CONCORD_KNOWLEDGE_DIR,
    collaborativeFile: settings.CONCORD_COLLABORATIVE_FILE,
    secretariatConversationId: settings.CONCORD_SECRETARIAT_CONVERSATION,
    publicUrl: settings.CONCORD_PUBLIC_URL,
    logLevel: settings.CONCORD_LOG_LEVEL,
    maxBodyBytes: settings.CONCORD_MAX_BODY_BYTES,
    rateLimitPerMinute: settings.CONCORD_RATE_LIMIT_PER_MINUTE,
    cardUpdateIntervalMs: settings.CONCORD_CARD_UPDATE_INTERVAL_MS,
    connectorTimeoutMs: settings.CONCORD_CONNECTOR_TIMEOUT_MS,
    retentionDays: settings.CONCORD_RETENTION_DAYS,
    ssoJwksUrl: settings.CONCORD_SSO_JWKS_URL,
    version,
  });
}

/**
 * Settings that parse but must not run a server: checked when Concord starts, not by tools
 * (`npm run package`) that only read the settings. Each names the variable to change.
 */
export function startupProblems(config: Config): string[] {
  const problems: string[] = [];
  // Local mode authenticates nothing and trusts the person named in each activity, so it must
  // not be reachable from another computer.
  if (config.localMode && !isLoopbackHost(config.host)) {
    problems.push(`HOST: local mode (no MicrosoftAppId) listens only on loopback (127.0.0.1, ::1 or localhost), not ${config.host}; set MicrosoftAppId and MicrosoftAppPassword to serve other computers`);
  }
  // Bot Framework tokens are issued for every Microsoft 365 tenant; the bot and the register tab
  // both need the list of tenants that may use this Concord.
  if (!config.localMode && config.allowedTenants.length === 0) {
    problems.push('CONCORD_ALLOWED_TENANTS: required when MicrosoftAppId is set; list the Microsoft 365 tenant ids that may use Concord');
  }
  return problems;
}

/**
 * Reads the process environment once, after an optional `.env` in the working directory.
 * Nothing else in Concord reads process.env.
 */
export function loadConfig(version: string, envFile = '.env'): Config {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return parseConfig(process.env, version);
}
